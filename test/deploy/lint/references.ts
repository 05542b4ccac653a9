// Intrinsic functions wherever they occur: their arguments' shapes, and that every name they use
// (parameter, resource, attribute, condition, mapping) exists and is usable where it is used.
import type { Json, Template } from "../templates/cloudformation";
import { at, isObject, type Report, show } from "./findings";
import {
  CONDITION_FUNCTIONS,
  getAttTarget,
  intrinsicKind,
  intrinsicName,
  KNOWN_FUNCTIONS,
  LANGUAGE_EXTENSIONS,
  PSEUDO_PARAMETERS,
  subVariables,
} from "./intrinsics";
import type { ResourceSpec } from "./resource-spec";

/** Where a value sits: which section, which resource, and the conditions known to hold there. */
export interface Scope {
  inConditions: boolean;
  resource?: string;
  holds: ReadonlySet<string>;
}

/** What the walk saw used: for the unused-name checks and the dependency cycle check. */
export interface Usage {
  parameters: Set<string>;
  conditions: Set<string>;
  dependsOn: Map<string, Set<string>>;
}

export interface ReferenceContext {
  template: Template;
  spec: ResourceSpec;
  report: Report;
  usage: Usage;
}

const ARGUMENT_SHAPES: Record<string, [(arg: Json) => boolean, string]> = {
  Ref: [(a) => typeof a === "string", "a name"],
  Condition: [(a) => typeof a === "string", "a condition's name"],
  "Fn::GetAtt": [(a) => getAttTarget(a)[1] !== undefined, '["Resource", "Attribute"]'],
  "Fn::Sub": [
    (a) =>
      typeof a === "string" ||
      (Array.isArray(a) && a.length === 2 && typeof a[0] === "string" && isObject(a[1])),
    'a string, or ["string", {variables}]',
  ],
  "Fn::Join": [(a) => Array.isArray(a) && a.length === 2 && typeof a[0] === "string", "[delimiter, list]"],
  "Fn::If": [
    (a) => Array.isArray(a) && a.length === 3 && typeof a[0] === "string",
    "[condition, then, else]",
  ],
  "Fn::Split": [(a) => Array.isArray(a) && a.length === 2 && typeof a[0] === "string", "[delimiter, string]"],
  "Fn::Select": [(a) => Array.isArray(a) && a.length === 2, "[index, list]"],
  "Fn::FindInMap": [(a) => Array.isArray(a) && (a.length === 3 || a.length === 4), "[map, key, key]"],
  "Fn::Cidr": [(a) => Array.isArray(a) && a.length === 3, "[ipBlock, count, cidrBits]"],
  "Fn::GetAZs": [(a) => typeof a === "string" || isObject(a), "a region"],
  "Fn::Equals": [(a) => Array.isArray(a) && a.length === 2, "[value, value]"],
  "Fn::Not": [(a) => Array.isArray(a) && a.length === 1, "[condition]"],
  "Fn::And": [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10, "2 to 10 conditions"],
  "Fn::Or": [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10, "2 to 10 conditions"],
};

/** Checks every intrinsic function inside `value`. */
export function checkReferences(value: Json, path: string, scope: Scope, ctx: ReferenceContext): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkReferences(item, at(path, i), scope, ctx);
    return;
  }
  if (!isObject(value)) return;
  const name = intrinsicName(value, scope.inConditions);
  if (name === undefined) {
    for (const [key, item] of Object.entries(value)) checkReferences(item, at(path, key), scope, ctx);
    return;
  }
  const arg = value[name];
  // A function's own problems are reported where it stands; those of its arguments, inside it.
  const fnPath = at(path, name);
  if (!KNOWN_FUNCTIONS.has(name) && name !== "Condition") {
    ctx.report(path, `${name} is not an intrinsic function`);
    return;
  }
  if (CONDITION_FUNCTIONS.has(name) && !scope.inConditions) {
    ctx.report(path, `${name} is usable only in Conditions (Fn::If takes a condition's name)`);
  }
  if (LANGUAGE_EXTENSIONS.has(name) && !usesLanguageExtensions(ctx.template)) {
    ctx.report(path, `${name} needs Transform: AWS::LanguageExtensions`);
  }
  const shape = ARGUMENT_SHAPES[name];
  if (shape && !shape[0](arg)) {
    ctx.report(path, `${name} takes ${shape[1]}, got ${show(arg)}`);
    return;
  }
  switch (name) {
    case "Ref":
      checkRef(arg as string, path, `Ref ${arg}`, scope, ctx);
      return;
    case "Condition":
      checkConditionName(arg as string, path, ctx);
      return;
    case "Fn::GetAtt":
      checkGetAtt(arg, path, scope, ctx);
      return;
    case "Fn::Sub":
      checkSub(arg, path, scope, ctx);
      return;
    case "Fn::If":
      checkIf(arg as [string, Json, Json], fnPath, scope, ctx);
      return;
    case "Fn::FindInMap":
      checkReferences(arg, fnPath, scope, ctx);
      checkFindInMap(arg as Json[], path, ctx);
      return;
    case "Fn::Join":
    case "Fn::Select":
      checkReferences(arg, fnPath, scope, ctx);
      checkListArgument(name, (arg as Json[])[1], path, ctx);
      return;
    default:
      checkReferences(arg, fnPath, scope, ctx);
  }
}

/** Fn::Join and Fn::Select take a list: a literal one, or a function that yields one. */
function checkListArgument(name: string, list: Json, path: string, ctx: ReferenceContext): void {
  const fn = intrinsicName(list);
  const kind =
    fn === undefined
      ? Array.isArray(list)
        ? "list"
        : "scalar"
      : intrinsicKind(fn, (list as Record<string, Json>)[fn], ctx.template, ctx.spec);
  if (kind === "scalar") ctx.report(path, `${name} needs a list, got ${show(list)}`);
}

/** `label` names the use in messages, e.g. "Ref Queue" or "Fn::Sub ${Queue}". */
function checkRef(name: string, path: string, label: string, scope: Scope, ctx: ReferenceContext): void {
  const { template } = ctx;
  if (PSEUDO_PARAMETERS.has(name)) return;
  if (template.Parameters?.[name]) {
    ctx.usage.parameters.add(name);
    return;
  }
  if (template.Resources[name]) {
    if (scope.inConditions) ctx.report(path, `${label}: Conditions can use only parameters, not resources`);
    else useResource(name, path, label, scope, ctx);
    return;
  }
  ctx.report(path, `${label} names no parameter, resource or pseudo parameter`);
}

/** A resource used from another resource or an output: recorded for the cycle check, and it must exist
 * whenever its user does. */
export function useResource(
  name: string,
  path: string,
  label: string,
  scope: Scope,
  ctx: ReferenceContext,
): void {
  if (scope.resource !== undefined) {
    const deps = ctx.usage.dependsOn.get(scope.resource) ?? new Set<string>();
    ctx.usage.dependsOn.set(scope.resource, deps.add(name));
  }
  const condition = ctx.template.Resources[name]?.Condition;
  if (typeof condition === "string" && !scope.holds.has(condition)) {
    ctx.report(
      path,
      `${label}: ${name} exists only when ${condition} is true, and ${condition} may not hold here`,
    );
  }
}

function checkConditionName(name: string, path: string, ctx: ReferenceContext): void {
  ctx.usage.conditions.add(name);
  if (!ctx.template.Conditions?.[name]) ctx.report(path, `condition ${name} is not defined`);
}

function checkGetAtt(arg: Json, path: string, scope: Scope, ctx: ReferenceContext): void {
  const [resource = "", attribute] = getAttTarget(arg);
  const label = `Fn::GetAtt ${resource}.${typeof attribute === "string" ? attribute : show(attribute)}`;
  if (typeof attribute !== "string") checkReferences(attribute, at(at(path, "Fn::GetAtt"), 1), scope, ctx);
  checkAttribute(resource, attribute, path, label, scope, ctx);
}

function checkAttribute(
  resource: string,
  attribute: Json,
  path: string,
  label: string,
  scope: Scope,
  ctx: ReferenceContext,
): void {
  const type = ctx.template.Resources[resource]?.Type;
  if (scope.inConditions) {
    ctx.report(path, `${label}: Conditions can use only parameters, not resources`);
    return;
  }
  if (type === undefined) {
    ctx.report(path, `${label}: ${resource} is not a resource`);
    return;
  }
  useResource(resource, path, label, scope, ctx);
  if (typeof attribute !== "string" || hasAnyAttribute(type)) return;
  if (type === "AWS::CloudFormation::Stack" && attribute.startsWith("Outputs.")) return;
  const attributes = ctx.spec.resource(type)?.attributes;
  if (attributes === undefined || attribute in attributes) return; // an unknown type is reported once, elsewhere
  const names = Object.keys(attributes);
  ctx.report(
    path,
    `${label}: ${type} has no attribute ${attribute} (${names.length ? `it has ${names.join(", ")}` : "it has none"})`,
  );
}

const hasAnyAttribute = (type: string) =>
  type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource";

function checkSub(arg: Json, path: string, scope: Scope, ctx: ReferenceContext): void {
  const [text, variables] = typeof arg === "string" ? [arg, {}] : (arg as [string, Record<string, Json>]);
  if (Array.isArray(arg)) checkReferences(variables, at(at(path, "Fn::Sub"), 1), scope, ctx);
  for (const name of subVariables(text)) {
    if (name in variables) continue;
    const dot = name.indexOf(".");
    if (dot < 0) checkRef(name, path, `Fn::Sub \${${name}}`, scope, ctx);
    else checkAttribute(name.slice(0, dot), name.slice(dot + 1), path, `Fn::Sub \${${name}}`, scope, ctx);
  }
}

function checkIf(
  [condition, then, otherwise]: [string, Json, Json],
  path: string,
  scope: Scope,
  ctx: ReferenceContext,
) {
  checkConditionName(condition, at(path, 0), ctx);
  const holds = impliedConditions(new Set([...scope.holds, condition]), ctx.template);
  checkReferences(then, at(path, 1), { ...scope, holds }, ctx);
  checkReferences(otherwise, at(path, 2), scope, ctx);
}

function checkFindInMap(args: Json[], path: string, ctx: ReferenceContext): void {
  const [map, first, second] = args;
  if (typeof map !== "string") return;
  const mapping = ctx.template.Mappings as Record<string, Record<string, Record<string, Json>>> | undefined;
  const top = mapping?.[map];
  if (top === undefined) ctx.report(path, `Fn::FindInMap: mapping ${map} is not defined`);
  else if (typeof first === "string" && !(first in top))
    ctx.report(path, `Fn::FindInMap: ${map} has no key ${first}`);
  else if (typeof first === "string" && typeof second === "string" && !(second in (top[first] ?? {}))) {
    ctx.report(path, `Fn::FindInMap: ${map}.${first} has no key ${second}`);
  }
}

export const usesLanguageExtensions = (template: Template): boolean =>
  [template.Transform].flat().includes("AWS::LanguageExtensions");

/**
 * The conditions that hold wherever `holding` do: those a holding condition names directly or through
 * Fn::And, and any condition defined identically. Enough to accept the usual ways of guarding a use.
 */
export function impliedConditions(holding: ReadonlySet<string>, template: Template): Set<string> {
  const conditions = template.Conditions ?? {};
  const result = new Set(holding);
  const pending = [...holding];
  const add = (name: string) => {
    if (result.has(name)) return;
    result.add(name);
    pending.push(name);
  };
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const definition = conditions[name];
    if (definition === undefined) continue;
    const operands =
      isObject(definition) && Array.isArray(definition["Fn::And"]) ? definition["Fn::And"] : [definition];
    for (const operand of operands) {
      if (isObject(operand) && typeof operand.Condition === "string") add(operand.Condition);
    }
    const same = JSON.stringify(definition);
    for (const [other, body] of Object.entries(conditions)) if (JSON.stringify(body) === same) add(other);
  }
  return result;
}
