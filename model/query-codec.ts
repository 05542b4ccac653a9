import { NormalizedSchema } from "@smithy/core/schema";

/**
 * The server's half of the AWS Query protocols, driven by the SDK's own schemas: a request body
 * (`Action=…&VpcPeeringConnectionId=…`, as the SDK's QueryShapeSerializer writes it) read back into the
 * command's input, and an output written as the XML the SDK's XmlShapeDeserializer reads. `ec2` selects
 * EC2's dialect: `ec2QueryName` keys, capitalised member names and flattened lists; else awsQuery (STS).
 */
type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];

export function readQuery(schema: SchemaRef, params: URLSearchParams, ec2: boolean): Record<string, unknown> {
  const keys = [...params.keys()];
  const value = readValue(NormalizedSchema.of(schema), params, keys, "", ec2);
  return (value ?? {}) as Record<string, unknown>;
}

function readValue(
  ns: NormalizedSchema,
  params: URLSearchParams,
  keys: string[],
  key: string,
  ec2: boolean,
): unknown {
  // Descend only where the body has keys: schemas may be recursive, bodies are not.
  const nested = (prefix: string) => prefix === "" || keys.some((k) => k.startsWith(`${prefix}.`));
  if (ns.isStructSchema()) {
    if (!nested(key)) return undefined;
    const struct: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const value = readValue(member, params, keys, join(key, memberKey(name, member, ec2)), ec2);
      if (value !== undefined) struct[name] = value;
    }
    return struct;
  }
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const traits = member.getMergedTraits();
    const flat = ec2 || ns.getMergedTraits().xmlFlattened;
    const prefix = flat ? key : join(key, (ec2 && traits.ec2QueryName) || traits.xmlName || "member");
    if (!nested(prefix)) return params.has(key) ? [] : undefined;
    const items: unknown[] = [];
    for (let i = 1; ; i++) {
      const item = readValue(member, params, keys, `${prefix}.${i}`, ec2);
      if (item === undefined) return items;
      items.push(item);
    }
  }
  if (ns.isMapSchema()) throw new Error(`the model does not read query maps (${key})`);
  const raw = params.get(key);
  if (raw === null) return undefined;
  if (ns.isBooleanSchema()) return raw === "true";
  if (ns.isNumericSchema()) return Number(raw);
  if (ns.isTimestampSchema()) return new Date(raw);
  return raw;
}

/** As QueryShapeSerializer.getKey names a structure member. */
function memberKey(name: string, member: NormalizedSchema, ec2: boolean): string {
  const { ec2QueryName, xmlName } = member.getMergedTraits();
  if (ec2 && typeof ec2QueryName === "string") return ec2QueryName;
  const key = typeof xmlName === "string" ? xmlName : name;
  return ec2 ? key.charAt(0).toUpperCase() + key.slice(1) : key;
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** The elements of an output structure, named as XmlShapeDeserializer looks them up. */
export function writeXml(schema: SchemaRef, value: unknown): string {
  return writeValue(NormalizedSchema.of(schema), value);
}

function writeValue(ns: NormalizedSchema, value: unknown): string {
  if (ns.isStructSchema()) {
    const struct = value as Record<string, unknown>;
    let xml = "";
    for (const [name, member] of ns.structIterator()) {
      const memberValue = struct[name];
      if (memberValue === undefined || memberValue === null) continue;
      xml += element(String(member.getMemberTraits().xmlName ?? name), writeValue(member, memberValue));
    }
    return xml;
  }
  if (ns.isListSchema()) {
    if (ns.getMergedTraits().xmlFlattened) throw new Error("the model does not write flattened XML lists");
    const member = ns.getValueSchema();
    const tag = String(member.getMergedTraits().xmlName ?? "member");
    return (value as unknown[]).map((item) => element(tag, writeValue(member, item))).join("");
  }
  if (ns.isMapSchema()) throw new Error("the model does not write XML maps");
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

export function element(tag: string, content: string): string {
  return `<${tag}>${content}</${tag}>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
