// CloudFormation templates as data: the member template parsed from YAML (short-form intrinsics such as
// `!Sub` become their long forms), and the service's template as `serverless package` writes it.
import { type CollectionTag, parseDocument, type ScalarTag, type YAMLMap, type YAMLSeq } from "yaml";

export type Json = unknown;

export interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, Json>;
  [key: string]: Json;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, Record<string, Json>>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Condition?: string; [key: string]: Json }>;
  [section: string]: Json;
}

const INTRINSICS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  Sub: "Fn::Sub",
  GetAtt: "Fn::GetAtt",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  Join: "Fn::Join",
  Split: "Fn::Split",
  Select: "Fn::Select",
  FindInMap: "Fn::FindInMap",
  Base64: "Fn::Base64",
  Cidr: "Fn::Cidr",
  GetAZs: "Fn::GetAZs",
  ImportValue: "Fn::ImportValue",
  Transform: "Fn::Transform",
  ToJsonString: "Fn::ToJsonString",
  Length: "Fn::Length",
};

const cfnTags = Object.entries(INTRINSICS).flatMap(([short, long]): (ScalarTag | CollectionTag)[] => {
  const scalar: ScalarTag = {
    tag: `!${short}`,
    // `!GetAtt Resource.Attribute` is the short form of ["Resource", "Attribute"].
    resolve: (value) => {
      if (short !== "GetAtt") return { [long]: value };
      const dot = value.indexOf(".");
      return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
    },
  };
  // Nested short forms are resolved first, so toJSON() already sees their long forms.
  const collection = (kind: "seq" | "map"): CollectionTag => ({
    tag: `!${short}`,
    collection: kind,
    resolve: (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [long]: node.toJSON() }),
  });
  return [scalar, collection("seq"), collection("map")];
});

/** A CloudFormation YAML template; duplicate keys, unknown tags and YAML warnings are errors. */
export function parseTemplate(text: string): Template {
  const doc = parseDocument(text, {
    customTags: cfnTags,
    uniqueKeys: true,
    strict: true,
    prettyErrors: true,
  });
  if (doc.errors.length > 0 || doc.warnings.length > 0) {
    throw new Error([...doc.errors, ...doc.warnings].map((e) => e.message).join("\n"));
  }
  return doc.toJS() as Template;
}
