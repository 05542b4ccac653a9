// A CloudFormation template linter: the checks CloudFormation itself would make when the stack is created
// or updated, made before any deployment. Pure: a template and the resource specification in, findings out.
import type { Json, Template } from "../templates/cloudformation";
import { checkConstantConditions } from "./conditions";
import { at, type Finding, isObject, type Report, show } from "./findings";
import { intrinsicKind, intrinsicName } from "./intrinsics";
import { checkProperties } from "./property-types";
import {
  checkReferences,
  impliedConditions,
  type ReferenceContext,
  type Usage,
  useResource,
} from "./references";
import type { ResourceSpec } from "./resource-spec";
import { checkParameters, checkSections } from "./template-sections";
import { checkCycles, checkExportNames, checkUnused } from "./usage-checks";

export { type Finding, formatFindings } from "./findings";

const RESOURCE_KEYS = new Set([
  "Type",
  "Properties",
  "Condition",
  "DependsOn",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "Metadata",
  "CreationPolicy",
  "UpdatePolicy",
]);
const POLICIES: Record<string, string[]> = {
  DeletionPolicy: ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"],
  UpdateReplacePolicy: ["Delete", "Retain", "Snapshot"],
};
const OUTPUT_KEYS = new Set(["Description", "Value", "Export", "Condition"]);

/** Every problem found in `template`, in template order. */
export function lintTemplate(spec: ResourceSpec, template: Template): Finding[] {
  const findings: Finding[] = [];
  const report: Report = (path, message) => findings.push({ path, message });
  if (!isObject(template)) {
    report("", "a template is an object");
    return findings;
  }
  const usage: Usage = { parameters: new Set(), conditions: new Set(), dependsOn: new Map() };
  const ctx: ReferenceContext = { template, spec, report, usage };
  checkSections(template, report);
  checkParameters(template, report);
  for (const [name, definition] of Object.entries(template.Conditions ?? {})) {
    checkReferences(definition, at("Conditions", name), { inConditions: true, holds: new Set() }, ctx);
  }
  checkConstantConditions(template, report);
  for (const name of Object.keys(template.Resources ?? {})) checkResource(name, ctx);
  for (const name of Object.keys(template.Outputs ?? {})) checkOutput(name, ctx);
  checkExportNames(template, report);
  checkUnused(template, usage, report);
  checkCycles(usage, report);
  return findings;
}

function checkResource(name: string, ctx: ReferenceContext): void {
  const { template, spec, report } = ctx;
  const resource: Json = template.Resources[name];
  const path = at("Resources", name);
  if (!isObject(resource)) {
    report(path, "expected an object");
    return;
  }
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) report(at(path, key), "not a resource attribute");
  }
  for (const [key, allowed] of Object.entries(POLICIES)) {
    const value = resource[key];
    if (value !== undefined && !allowed.includes(value as string)) {
      report(at(path, key), `${show(value)} is not one of ${allowed.join(", ")}`);
    }
  }
  const holds = checkResourceCondition(resource.Condition, at(path, "Condition"), ctx);
  const scope = { inConditions: false, resource: name, holds };
  checkDependsOn(name, resource.DependsOn, at(path, "DependsOn"), scope, ctx);
  const type = resource.Type;
  const propertiesPath = at(path, "Properties");
  if (resource.Properties !== undefined) checkReferences(resource.Properties, propertiesPath, scope, ctx);
  if (typeof type !== "string") {
    report(path, "missing Type");
    return;
  }
  if (type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource") {
    const token = isObject(resource.Properties) ? resource.Properties.ServiceToken : undefined;
    if (token === undefined) {
      report(propertiesPath, "missing required property ServiceToken of a custom resource");
    }
    return;
  }
  const shape = spec.resource(type);
  if (shape === undefined) {
    report(at(path, "Type"), `${type} is not a CloudFormation resource type`);
    return;
  }
  checkProperties(shape, resource.Properties ?? {}, propertiesPath, { spec, template, report });
}

/** The conditions that hold wherever the resource (or output) exists. */
function checkResourceCondition(condition: Json, path: string, ctx: ReferenceContext): Set<string> {
  if (condition === undefined) return new Set();
  if (typeof condition !== "string") {
    ctx.report(path, "expected a condition's name");
    return new Set();
  }
  ctx.usage.conditions.add(condition);
  if (!ctx.template.Conditions?.[condition]) ctx.report(path, `condition ${condition} is not defined`);
  return impliedConditions(new Set([condition]), ctx.template);
}

function checkDependsOn(
  name: string,
  dependsOn: Json,
  path: string,
  scope: Parameters<typeof useResource>[3],
  ctx: ReferenceContext,
): void {
  if (dependsOn === undefined) return;
  const names = typeof dependsOn === "string" ? [dependsOn] : dependsOn;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
    ctx.report(path, "expected a resource name or a list of them");
    return;
  }
  names.forEach((target, i) => {
    const itemPath = typeof dependsOn === "string" ? path : at(path, i);
    if (target === name) ctx.report(itemPath, "a resource cannot depend on itself");
    else if (!ctx.template.Resources[target])
      ctx.report(itemPath, `DependsOn ${target}: ${target} is not a resource`);
    else useResource(target, itemPath, `DependsOn ${target}`, scope, ctx);
  });
}

function checkOutput(name: string, ctx: ReferenceContext): void {
  const { template, spec, report } = ctx;
  const output: Json = template.Outputs?.[name];
  const path = at("Outputs", name);
  if (!isObject(output)) {
    report(path, "expected an object");
    return;
  }
  for (const key of Object.keys(output)) {
    if (!OUTPUT_KEYS.has(key)) report(at(path, key), "not an output attribute");
  }
  const holds = checkResourceCondition(output.Condition, at(path, "Condition"), ctx);
  const scope = { inConditions: false, holds };
  if (output.Value === undefined || output.Value === null || output.Value === "") {
    report(path, "missing Value");
  } else checkReferences(output.Value, at(path, "Value"), scope, ctx);
  // Outputs are strings: a list must be joined first.
  const fn = intrinsicName(output.Value);
  const kind = fn ? intrinsicKind(fn, (output.Value as Record<string, Json>)[fn], template, spec) : undefined;
  if (kind === "list" || (fn === undefined && typeof output.Value === "object" && output.Value !== null)) {
    report(at(path, "Value"), "an output's value must be a string (Fn::Join a list)");
  }
  if (output.Export !== undefined) {
    if (!isObject(output.Export) || output.Export.Name === undefined) {
      report(at(path, "Export"), "missing Name");
    } else checkReferences(output.Export.Name, at(at(path, "Export"), "Name"), scope, ctx);
  }
}
