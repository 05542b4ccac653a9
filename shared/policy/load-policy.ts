import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type * as z from "zod";
import { PolicyError, type PolicyProblem } from "./policy-error";
import { type Policy, PolicySchema } from "./schema";

// Aliases are legal YAML, but a few hundred of them is a "billion laughs" document, not a policy.
const MAX_ALIASES = 50;

/** Parses and validates policy text; throws PolicyError naming the file, rule and field. */
export function parsePolicy(text: string, file: string): Policy {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: true, merge: true });
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e) => ({
    message: e.message.split("\n", 1).join("").replace(/:$/, ""),
  }));
  if (yamlProblems.length > 0) throw new PolicyError(file, yamlProblems);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new PolicyError(file, [{ message: (error as Error).message }]);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    // An empty or comment-only document is null; toJS never answers undefined.
    const found = raw === null ? "nothing" : Array.isArray(raw) ? "a list" : `a ${typeof raw}`;
    const message = `expected a YAML mapping with version, unmatched and rules, found ${found} (is the file empty, binary, or not UTF-8?)`;
    throw new PolicyError(file, [{ message }]);
  }
  const result = PolicySchema.safeParse(raw);
  if (!result.success)
    throw new PolicyError(
      file,
      result.error.issues.map((issue) => toProblem(issue, raw as { rules?: unknown })),
    );
  return result.data;
}

export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PolicyError(path, [{ message: `cannot read the file: ${(error as Error).message}` }]);
  }
  return parsePolicy(text, path);
}

function toProblem(issue: z.core.$ZodIssue, raw: { rules?: unknown }): PolicyProblem {
  const [top, index, ...rest] = issue.path;
  const message =
    issue.code === "unrecognized_keys" ? `unknown key(s): ${issue.keys.join(", ")}` : issue.message;
  if (top === "rules" && typeof index === "number") {
    const field = formatPath(rest);
    // An issue has an index under `rules` only when `rules` is a list.
    return { rule: ruleLabel(raw.rules as unknown[], index), ...(field && { field }), message };
  }
  const field = formatPath(issue.path);
  return { ...(field && { field }), message };
}

function ruleLabel(rules: unknown[], index: number): string {
  const nameOf = (rule: unknown) => (rule as { name?: unknown } | null)?.name;
  const name = nameOf(rules[index]);
  if (typeof name !== "string" || name.length === 0) return `rules[${index}]`;
  // A name used twice does not say which rule is meant; the position does.
  return rules.filter((rule) => nameOf(rule) === name).length > 1 ? `rules[${index}]` : name;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`))
    .join("");
}
