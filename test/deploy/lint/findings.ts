// What the linter reports, and the paths it reports them at (e.g. `Resources.Rule.Properties.Targets[0].Arn`).
import type { Json } from "../templates/cloudformation";

export interface Finding {
  path: string;
  message: string;
}

/** Findings are collected as the template is walked; each check reports into one of these. */
export type Report = (path: string, message: string) => void;

export const at = (path: string, key: string | number): string =>
  typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;

/** One line per finding, naming the template: what a failing test prints. */
export const formatFindings = (template: string, findings: Finding[]): string[] =>
  findings.map((f) => `${template}: ${f.path}: ${f.message}`);

export const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A literal as a message shows it. */
export const show = (v: Json): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
