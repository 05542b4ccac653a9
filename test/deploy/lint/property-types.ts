// Property values against the resource specification: known names, required ones present, and values of
// the declared type, recursing into nested property types. An intrinsic function is accepted where it can
// stand for the value (a Fn::Sub for a string, a Fn::Split for a list); both branches of a Fn::If are checked.
import type { Json, Template } from "../templates/cloudformation";
import { at, isObject, type Report, show } from "./findings";
import { intrinsicKind, intrinsicName, isNoValue, type ValueKind } from "./intrinsics";
import type { PropertyShape, PropertyType, ResourceSpec } from "./resource-spec";

export interface TypeContext {
  spec: ResourceSpec;
  template: Template;
  report: Report;
}

const TAG: PropertyShape = {
  name: "Tag",
  properties: {
    Key: { type: { type: "string" }, required: true },
    Value: { type: { type: "string" }, required: true },
  },
};

/** An object of `shape`'s properties: a resource's Properties, or a nested property type. */
export function checkProperties(shape: PropertyShape, value: Json, path: string, ctx: TypeContext): void {
  const checkBranch = (branch: Json, branchPath: string) => checkProperties(shape, branch, branchPath, ctx);
  if (ifBranches(value, path, checkBranch)) return;
  if (!isObject(value) || intrinsicName(value) !== undefined) {
    ctx.report(path, `expected ${shape.name} properties, got ${show(value)}`);
    return;
  }
  for (const [name, property] of Object.entries(shape.properties)) {
    if (property.required && (value[name] === undefined || isNoValue(value[name]))) {
      ctx.report(path, `missing required property ${name} of ${shape.name}`);
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const property = shape.properties[name];
    if (property === undefined) ctx.report(at(path, name), `not a property of ${shape.name}`);
    else checkValue(property.type, item, at(path, name), ctx);
  }
}

/** One value against one property type. */
export function checkValue(type: PropertyType, value: Json, path: string, ctx: TypeContext): void {
  if (isNoValue(value)) return;
  if (ifBranches(value, path, (branch, branchPath) => checkValue(type, branch, branchPath, ctx))) return;
  const fn = intrinsicName(value);
  if (fn !== undefined) {
    const kind = intrinsicKind(fn, (value as Record<string, Json>)[fn], ctx.template, ctx.spec);
    if (!accepts(type, kind, ctx.spec)) {
      ctx.report(
        path,
        `${fn} yields ${kind === "list" ? "a list" : "a single value"}, expected ${describe(type, ctx.spec)}`,
      );
    }
    return;
  }
  const problem = valueProblem(type, value, path, ctx);
  if (problem !== undefined) ctx.report(path, problem);
}

/** What is wrong with a literal value of `type` at `path` (nested values report their own problems). */
function valueProblem(type: PropertyType, value: Json, path: string, ctx: TypeContext): string | undefined {
  const mismatch = `expected ${describe(type, ctx.spec)}, got ${show(value)}`;
  const notAllowed = (allowed: (string | number)[] | undefined, literal: string | number) =>
    allowed && !allowed.includes(literal) ? `${show(value)} is not one of ${allowed.join(", ")}` : undefined;
  switch (type.type) {
    case "string":
    case "date-time":
      // CloudFormation turns numbers and booleans into the strings they spell.
      if (kindOf(value) !== "scalar") return mismatch;
      return type.type === "string" ? notAllowed(type.allowedValues, String(value)) : undefined;
    case "integer":
      // Numbers may be written as strings: YAML and JSON templates often quote them.
      if (!(Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value)))) return mismatch;
      return notAllowed(type.allowedValues, Number(value));
    case "number": {
      const numeric = typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value));
      return Number.isFinite(value) || numeric ? undefined : mismatch;
    }
    case "boolean":
      return typeof value === "boolean" || (typeof value === "string" && /^(true|false)$/i.test(value))
        ? undefined
        : mismatch;
    case "json":
    case "null":
      return undefined;
    case "tag":
      if (!isObject(value)) return mismatch;
      checkProperties(TAG, value, path, ctx);
      return undefined;
    case "ref": {
      if (!isObject(value)) return mismatch;
      const shape = ctx.spec.definition(type);
      // A nested type with no declared properties is free-form in the registry schema.
      if (Object.keys(shape.properties).length > 0) checkProperties(shape, value, path, ctx);
      return undefined;
    }
    case "array":
      if (!Array.isArray(value)) return mismatch;
      for (const [i, item] of value.entries()) checkValue(type.element, item, at(path, i), ctx);
      return undefined;
    case "map":
      if (!isObject(value)) return mismatch;
      for (const [key, item] of Object.entries(value)) checkValue(type.element, item, at(path, key), ctx);
      return undefined;
    case "union":
      return checkUnion(type.types, value, path, ctx) ? undefined : mismatch;
  }
}

/**
 * The first member the value's shape fits decides what is reported, unless another member fits cleanly;
 * false if no member fits its shape.
 */
function checkUnion(types: PropertyType[], value: Json, path: string, ctx: TypeContext): boolean {
  const candidates = types.filter((t) => accepts(t, kindOf(value), ctx.spec));
  const attempts = candidates.map((t) => {
    const findings: [string, string][] = [];
    checkValue(t, value, path, { ...ctx, report: (p, m) => findings.push([p, m]) });
    return findings;
  });
  if (attempts.length === 0) return false;
  if (attempts.some((a) => a.length === 0)) return true;
  for (const [p, m] of attempts[0] ?? []) ctx.report(p, m);
  return true;
}

/** For Fn::If: checks each branch and returns true; false if `value` is no Fn::If. */
function ifBranches(value: Json, path: string, check: (branch: Json, path: string) => void): boolean {
  const args = isObject(value) && intrinsicName(value) === "Fn::If" ? value["Fn::If"] : undefined;
  if (!Array.isArray(args) || args.length !== 3) return false;
  for (const i of [1, 2]) if (!isNoValue(args[i])) check(args[i], at(at(path, "Fn::If"), i));
  return true;
}

type LiteralKind = ValueKind | "object";

const kindOf = (value: Json): LiteralKind =>
  Array.isArray(value) ? "list" : isObject(value) ? "object" : value === null ? "any" : "scalar";

function accepts(type: PropertyType, kind: LiteralKind, spec: ResourceSpec): boolean {
  if (kind === "any") return true;
  switch (type.type) {
    case "json":
    case "null":
      return true;
    case "array":
      return kind === "list";
    case "map":
    case "ref":
    case "tag":
      return kind === "object";
    case "union":
      return type.types.some((t) => accepts(t, kind, spec));
    default:
      return kind === "scalar";
  }
}

function describe(type: PropertyType, spec: ResourceSpec): string {
  switch (type.type) {
    case "array":
      return `list of ${describe(type.element, spec)}`;
    case "map":
      return `map of ${describe(type.element, spec)}`;
    case "ref":
      return spec.definition(type).name;
    case "tag":
      return "Tag";
    case "union":
      return type.types.map((t) => describe(t, spec)).join(" | ");
    default:
      return type.type;
  }
}
