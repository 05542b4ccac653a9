// Intrinsic functions: how to recognise one, and what kind of value it stands for.
import type { Json, Template } from "../templates/cloudformation";
import { isObject } from "./findings";
import type { ResourceSpec } from "./resource-spec";

export const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

/** Usable only in Conditions (and Rules): Fn::If takes a condition's name instead. */
export const CONDITION_FUNCTIONS = new Set(["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"]);

/** Accepted by CloudFormation only with `Transform: AWS::LanguageExtensions`. */
export const LANGUAGE_EXTENSIONS = new Set(["Fn::ToJsonString", "Fn::Length", "Fn::ForEach"]);

export const KNOWN_FUNCTIONS = new Set([
  "Ref",
  "Fn::GetAtt",
  "Fn::Sub",
  "Fn::Join",
  "Fn::If",
  "Fn::Split",
  "Fn::Select",
  "Fn::ImportValue",
  "Fn::FindInMap",
  "Fn::Base64",
  "Fn::GetAZs",
  "Fn::Cidr",
  "Fn::Transform",
  ...CONDITION_FUNCTIONS,
  ...LANGUAGE_EXTENSIONS,
]);

/**
 * The function an object calls, if it is one: a single key, `Ref` or `Fn::…` (and `Condition` inside
 * the Conditions section). Anything else, e.g. an IAM condition block, is plain data.
 */
export function intrinsicName(value: Json, inConditions = false): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return undefined;
  if (key === "Ref" || key.startsWith("Fn::") || (inConditions && key === "Condition")) return key;
  return undefined;
}

export const isNoValue = (value: Json) => isObject(value) && value.Ref === "AWS::NoValue";

/** What a function yields, as far as a property's type is concerned. */
export type ValueKind = "scalar" | "list" | "any";

const LIST_PARAMETER =
  /^(List<.*>|CommaDelimitedList|AWS::SSM::Parameter::Value<(List<.*>|CommaDelimitedList)>)$/;

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean", "date-time"]);

/** The kind of value an intrinsic function (other than Fn::If, whose branches are checked) stands for. */
export function intrinsicKind(name: string, arg: Json, template: Template, spec: ResourceSpec): ValueKind {
  switch (name) {
    case "Fn::Split":
    case "Fn::GetAZs":
    case "Fn::Cidr":
      return "list";
    case "Fn::Sub":
    case "Fn::Join":
    case "Fn::Base64":
    case "Fn::ImportValue":
    case "Fn::ToJsonString":
    case "Fn::Length":
      return "scalar";
    case "Ref": {
      if (typeof arg !== "string") return "any";
      if (arg === "AWS::NotificationARNs") return "list";
      const type = template.Parameters?.[arg]?.Type;
      return typeof type === "string" && LIST_PARAMETER.test(type) ? "list" : "scalar";
    }
    case "Fn::GetAtt": {
      const [resource, attribute] = getAttTarget(arg);
      const type = resource && template.Resources[resource]?.Type;
      const attr =
        type && typeof attribute === "string" ? spec.resource(type)?.attributes[attribute] : undefined;
      if (!attr) return "any";
      if (attr.type.type === "array") return "list";
      return SCALAR_TYPES.has(attr.type.type) ? "scalar" : "any";
    }
    default:
      // Fn::Select, Fn::FindInMap and Fn::Transform yield whatever their data holds.
      return "any";
  }
}

/** `Fn::GetAtt` as [resource, attribute]: `["R", "A.B"]` or the string form `"R.A.B"`. */
export function getAttTarget(arg: Json): [string | undefined, Json] {
  if (typeof arg === "string") {
    const dot = arg.indexOf(".");
    return dot < 0 ? [arg, undefined] : [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") return [arg[0], arg[1]];
  return [undefined, undefined];
}

/** The `${…}` names of a Fn::Sub string; `${!Literal}` is an escaped literal. */
export const subVariables = (text: string): string[] =>
  [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => (m[1] ?? "").trim());
