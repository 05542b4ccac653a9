// Conditions whose value is fixed before the stack is created: once the Serverless Framework has
// resolved its variables, `!Not [!Equals ["o-abc", ""]]` compares two literals and is always true.
// A constant condition makes the resources it guards always or never exist, whatever the parameters.
import type { Json, Template } from "../templates/cloudformation";
import { at, isObject, type Report } from "./findings";
import { intrinsicName } from "./intrinsics";

type Truth = boolean | "depends";

/** What an operand of Fn::Equals can be: one known value, one of a few (AllowedValues), or unknown. */
type Operand = { values: string[] } | "unknown";

/** Reports each condition that is always true or always false, and constant operands of the others. */
export function checkConstantConditions(template: Template, report: Report): void {
  const conditions = template.Conditions ?? {};
  const truths = new Map<string, Truth>();
  const evaluating = new Set<string>();

  const conditionTruth = (name: string, path: string): Truth => {
    const known = truths.get(name);
    if (known !== undefined) return known;
    const definition = conditions[name];
    if (definition === undefined) return "depends"; // reported by the reference checks
    if (evaluating.has(name)) {
      report(path, `condition ${name} depends on itself`);
      return "depends";
    }
    evaluating.add(name);
    const truth = evaluate(definition, at("Conditions", name));
    evaluating.delete(name);
    truths.set(name, truth);
    return truth;
  };

  // A constant condition is reported by the loop below; constant operands of the others are reported here.
  const evaluate = (value: Json, path: string): Truth => {
    const name = intrinsicName(value, true);
    const arg = isObject(value) && name ? value[name] : undefined;
    const args = Array.isArray(arg) ? arg : [];
    let truth: Truth;
    switch (name) {
      case "Condition":
        return typeof arg === "string" ? conditionTruth(arg, path) : "depends";
      case "Fn::Equals":
        truth = equals(operand(args[0], template), operand(args[1], template));
        break;
      case "Fn::Not": {
        const inner = evaluate(args[0], at(at(path, "Fn::Not"), 0));
        return inner === "depends" ? inner : !inner;
      }
      case "Fn::And":
      case "Fn::Or": {
        const parts = args.map((a, i) => evaluate(a, at(at(path, name), i)));
        const absorbing = name === "Fn::Or"; // true absorbs an Or, false an And
        truth = parts.includes(absorbing)
          ? absorbing
          : parts.every((p) => p === !absorbing)
            ? !absorbing
            : "depends";
        for (const [i, part] of parts.entries()) {
          if (truth === "depends" && part !== "depends") {
            report(at(at(path, name), i), `operand is always ${part}, so it changes nothing`);
          }
        }
        break;
      }
      default:
        report(path, "expected a condition: Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
        return "depends";
    }
    return truth;
  };

  for (const name of Object.keys(conditions)) {
    const truth = conditionTruth(name, at("Conditions", name));
    if (truth !== "depends") report(at("Conditions", name), `condition is always ${truth}`);
  }
}

function equals(a: Operand, b: Operand): Truth {
  if (a === "unknown" || b === "unknown") return "depends";
  if (!a.values.some((v) => b.values.includes(v))) return false;
  return a.values.length === 1 && b.values.length === 1 ? true : "depends";
}

/** Literals compare as CloudFormation compares them: as strings. */
function operand(value: Json, template: Template): Operand {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return { values: [String(value)] };
  }
  const name = intrinsicName(value);
  const arg = isObject(value) && name ? value[name] : undefined;
  if (name === "Ref" && typeof arg === "string") {
    const allowed = template.Parameters?.[arg]?.AllowedValues;
    return Array.isArray(allowed) ? { values: allowed.map(String) } : "unknown";
  }
  if (name === "Fn::Sub" && typeof arg === "string" && !/\$\{[^!]/.test(arg)) return { values: [arg] };
  if (name === "Fn::Join" && Array.isArray(arg) && typeof arg[0] === "string" && Array.isArray(arg[1])) {
    const parts = arg[1].map((p) => operand(p, template));
    if (parts.every((p) => p !== "unknown" && p.values.length === 1)) {
      return { values: [parts.map((p) => (p as { values: string[] }).values[0]).join(arg[0])] };
    }
  }
  if (name === "Fn::FindInMap" && Array.isArray(arg) && arg.every((a) => typeof a === "string")) {
    const [map = "", first = "", second = ""] = arg as string[];
    const found = (template.Mappings as Record<string, Record<string, Record<string, Json>>> | undefined)?.[
      map
    ]?.[first]?.[second];
    if (typeof found === "string" || typeof found === "number" || typeof found === "boolean") {
      return { values: [String(found)] };
    }
  }
  return "unknown";
}
