// The template's sections and parameters: known names, values CloudFormation accepts, its quotas.
import type { Template } from "../templates/cloudformation";
import { at, isObject, type Report, show } from "./findings";

const SECTIONS = new Set([
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
  "Hooks",
]);
const PARAMETER_KEYS = new Set([
  "Type",
  "Default",
  "AllowedValues",
  "AllowedPattern",
  "ConstraintDescription",
  "Description",
  "MaxLength",
  "MaxValue",
  "MinLength",
  "MinValue",
  "NoEcho",
]);
const AWS_PARAMETER =
  "AWS::EC2::(AvailabilityZone::Name|Image::Id|Instance::Id|KeyPair::KeyName|SecurityGroup::GroupName|SecurityGroup::Id|Subnet::Id|Volume::Id|VPC::Id)|AWS::Route53::HostedZone::Id";
const PARAMETER_TYPE = new RegExp(
  `^(String|Number|List<Number>|CommaDelimitedList|AWS::SSM::Parameter::Name|${AWS_PARAMETER}|List<(${AWS_PARAMETER})>|AWS::SSM::Parameter::Value<(String|List<String>|CommaDelimitedList|${AWS_PARAMETER}|List<(${AWS_PARAMETER})>)>)$`,
);
// CloudFormation's quotas per template.
const LIMITS: Record<string, number> = { Resources: 500, Parameters: 200, Outputs: 200, Mappings: 200 };
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

/** Known sections, a resource at least, alphanumeric names, the quotas. */
export function checkSections(template: Template, report: Report): void {
  for (const section of Object.keys(template)) {
    if (!SECTIONS.has(section)) report(section, "not a template section");
  }
  if (template.AWSTemplateFormatVersion !== undefined && template.AWSTemplateFormatVersion !== "2010-09-09") {
    report("AWSTemplateFormatVersion", `${show(template.AWSTemplateFormatVersion)} is not "2010-09-09"`);
  }
  if (template.Description !== undefined && typeof template.Description !== "string") {
    report("Description", "expected a string");
  } else if ((template.Description?.length ?? 0) > 1024) report("Description", "longer than 1024 characters");
  if (!isObject(template.Resources) || Object.keys(template.Resources).length === 0) {
    report("Resources", "a template needs at least one resource");
  }
  // Ref cannot tell a parameter from a resource of the same name.
  for (const name of Object.keys(template.Parameters ?? {})) {
    if (isObject(template.Resources) && name in template.Resources) {
      report(at("Parameters", name), `${name} is also a resource's name`);
    }
  }
  for (const [section, limit] of Object.entries(LIMITS)) {
    const entries = template[section];
    if (isObject(entries)) {
      for (const name of Object.keys(entries)) {
        if (!LOGICAL_ID.test(name)) report(at(section, name), "not an alphanumeric name");
      }
      if (Object.keys(entries).length > limit) report(section, `more than ${limit} entries`);
    } else if (entries !== undefined) report(section, "expected an object");
  }
}

/** Known attributes and types; a Default among the AllowedValues. */
export function checkParameters(template: Template, report: Report): void {
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const path = at("Parameters", name);
    if (!isObject(parameter)) {
      report(path, "expected an object");
      continue;
    }
    for (const key of Object.keys(parameter)) {
      if (!PARAMETER_KEYS.has(key)) report(at(path, key), "not a parameter attribute");
    }
    if (typeof parameter.Type !== "string") report(path, "missing Type");
    else if (!PARAMETER_TYPE.test(parameter.Type))
      report(at(path, "Type"), `${parameter.Type} is not a parameter type`);
    const { AllowedValues: allowed, Default: fallback } = parameter;
    if (allowed !== undefined && !Array.isArray(allowed)) {
      report(at(path, "AllowedValues"), "expected a list");
    }
    if (Array.isArray(allowed) && fallback !== undefined) {
      const defaults =
        typeof parameter.Type === "string" && parameter.Type.includes("List")
          ? String(fallback).split(",")
          : [fallback];
      for (const value of defaults) {
        if (!allowed.map(String).includes(String(value).trim())) {
          report(at(path, "Default"), `${show(value)} is not one of the AllowedValues`);
        }
      }
    }
  }
}
