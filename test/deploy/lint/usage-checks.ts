// Checks over the template as a whole, once every use has been seen: unused names, duplicate exports,
// circular dependencies.
import type { Template } from "../templates/cloudformation";
import { at, isObject, type Report } from "./findings";
import type { Usage } from "./references";

/** Export names are unique in an account and region, so within a template too. */
export function checkExportNames(template: Template, report: Report): void {
  const seen = new Map<string, string>();
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const exported = isObject(output?.Export) ? output.Export.Name : undefined;
    if (typeof exported !== "string") continue;
    const first = seen.get(exported);
    if (first) {
      report(at(at("Outputs", name), "Export"), `export name ${exported} is also exported by ${first}`);
    } else seen.set(exported, name);
  }
}

/** A parameter or condition nothing uses is a mistake or dead weight. */
export function checkUnused(template: Template, usage: Usage, report: Report): void {
  for (const name of Object.keys(template.Parameters ?? {})) {
    if (!usage.parameters.has(name)) report(at("Parameters", name), "parameter is never used");
  }
  for (const name of Object.keys(template.Conditions ?? {})) {
    if (!usage.conditions.has(name)) report(at("Conditions", name), "condition is never used");
  }
}

/** CloudFormation refuses a template whose resources depend on each other in a circle. */
export function checkCycles(usage: Usage, report: Report): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      report(at("Resources", name), `circular dependency: ${cycle.join(" -> ")}`);
      return;
    }
    state.set(name, "visiting");
    for (const next of usage.dependsOn.get(name) ?? []) visit(next, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of usage.dependsOn.keys()) visit(name, []);
}
