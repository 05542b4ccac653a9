import { readFileSync } from "node:fs";
import { parseTemplate, type Template } from "./cloudformation";

export const MEMBER_TEMPLATE_URL = new URL("../../../member-account/template.yml", import.meta.url);

/** member-account/template.yml, parsed. */
export function memberTemplate(): Template {
  return parseTemplate(readFileSync(MEMBER_TEMPLATE_URL, "utf8"));
}
