// Structural checks of member-account/template.yml, the CloudFormation template a member account deploys
// (directly or as a StackSet), parsed with the CloudFormation short-form tags mapped to their long forms.
// What its IAM allows and denies is evaluated as AWS would in test/deploy/iam/member-roles.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { type Json, parseTemplate, type Resource, type Template } from "./templates/cloudformation";
import { memberTemplate } from "./templates/member-template";

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);
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
]);
// Attributes Fn::GetAtt may read, per resource type this template uses. A new type must be added here.
const GETATT_ATTRIBUTES: Record<string, string[]> = {
  "AWS::IAM::Role": ["Arn", "RoleId"],
  "AWS::Events::Rule": ["Arn"],
};
const PARAMETER_TYPES = new Set(["String", "Number", "CommaDelimitedList", "List<Number>"]);

/** Every node of a JSON value, with the path that leads to it. */
function* walk(value: Json, path: string[] = []): Generator<[Json, string[]]> {
  yield [value, path];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* walk(item, [...path, String(i)]);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) yield* walk(item, [...path, key]);
  }
}

/** The names a Ref, Fn::GetAtt or Fn::Sub inside `value` refers to (resource names without attributes). */
function references(value: Json): { name: string; attribute?: string; via: string }[] {
  const found: { name: string; attribute?: string; via: string }[] = [];
  for (const [node] of walk(value)) {
    if (!isObject(node)) continue;
    if (typeof node.Ref === "string") found.push({ name: node.Ref, via: "Ref" });
    const getAtt = node["Fn::GetAtt"];
    if (Array.isArray(getAtt)) {
      found.push({ name: String(getAtt[0]), attribute: String(getAtt[1]), via: "Fn::GetAtt" });
    }
    const sub = node["Fn::Sub"];
    const [text, variables] =
      typeof sub === "string" ? [sub, {}] : Array.isArray(sub) ? sub : [undefined, {}];
    if (typeof text === "string") {
      const local = new Set(Object.keys(isObject(variables) ? variables : {}));
      // ${Name} or ${Resource.Attribute}; ${!Literal} is an escaped literal.
      for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const [name = "", attribute] = (match[1] ?? "").split(".", 2);
        if (!local.has(name)) found.push({ name, ...(attribute ? { attribute } : {}), via: "Fn::Sub" });
      }
    }
  }
  return found;
}

/** The conditions a value uses: Fn::If's first argument and {Condition: name}. */
function conditionsUsed(value: Json): string[] {
  const used: string[] = [];
  for (const [node] of walk(value)) {
    if (!isObject(node)) continue;
    const fnIf = node["Fn::If"];
    if (Array.isArray(fnIf)) used.push(String(fnIf[0]));
    if (typeof node.Condition === "string" && Object.keys(node).length === 1) used.push(node.Condition);
  }
  return used;
}

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = memberTemplate();
  resources = template.Resources;
});

const resource = (name: string): Resource => {
  const r = resources[name];
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};
const resourcesOfType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const onlyResourceOfType = (type: string): [string, Resource] => {
  const found = resourcesOfType(type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0] as [string, Resource];
};

/** The execution role and forwarding role, found by what refers to them rather than by name. */
function executionRole(): [string, Resource] {
  const roles = resourcesOfType("AWS::IAM::Role").filter(([, r]) =>
    JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("sts:ExternalId"),
  );
  expect(roles, "exactly one role requiring an external id").toHaveLength(1);
  return roles[0] as [string, Resource];
}
function forwardingRule(): Resource {
  return onlyResourceOfType("AWS::Events::Rule")[1];
}
function forwardingRole(): [string, Resource] {
  const targets = forwardingRule().Properties.Targets as { RoleArn?: Json }[];
  const roleArn = targets[0]?.RoleArn as { "Fn::GetAtt"?: string[] } | undefined;
  const name = roleArn?.["Fn::GetAtt"]?.[0];
  expect(roleArn?.["Fn::GetAtt"]?.[1]).toBe("Arn");
  return [String(name), resource(String(name))];
}

// ---------------------------------------------------------------------------------------------------------

describe("the short-form parser used by these tests", () => {
  it("maps scalar, sequence and nested short forms to their long forms", () => {
    const parsed = parseTemplate(
      [
        "A: !Ref Bucket",
        "B: !GetAtt Role.Arn",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
        "C: !Sub arn:${AWS::Partition}:s3:::${Bucket}",
        "D: !If [IsProd, !Join [',', [a, !Ref Name]], !Ref AWS::NoValue]",
        "E: !Not [!Equals [!Ref Env, prod]]",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
        "F: !Sub ['${X}-y', { X: !Ref Name }]",
        "G: !Condition IsProd",
      ].join("\n"),
    ) as unknown as Record<string, Json>;
    expect(parsed).toEqual({
      A: { Ref: "Bucket" },
      B: { "Fn::GetAtt": ["Role", "Arn"] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
      C: { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" },
      D: { "Fn::If": ["IsProd", { "Fn::Join": [",", ["a", { Ref: "Name" }]] }, { Ref: "AWS::NoValue" }] },
      E: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "Env" }, "prod"] }] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
      F: { "Fn::Sub": ["${X}-y", { X: { Ref: "Name" } }] },
      G: { Condition: "IsProd" },
    });
  });

  it("rejects unknown tags and duplicate keys", () => {
    expect(() => parseTemplate("A: !Unknown x")).toThrow();
    expect(() => parseTemplate("A: 1\nA: 2")).toThrow();
  });
});

describe("member-account/template.yml is a well-formed CloudFormation template", () => {
  it("has the format version and only known top-level sections", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    for (const section of Object.keys(template)) expect(SECTIONS, section).toContain(section);
    expect(typeof template.Description).toBe("string");
    // CloudFormation limits the description to 1024 bytes.
    expect(Buffer.byteLength(template.Description ?? "")).toBeLessThanOrEqual(1024);
  });

  it("gives every resource a Type of the form AWS::Service::Resource and Properties", () => {
    expect(Object.keys(resources).length).toBeGreaterThan(0);
    for (const [name, r] of Object.entries(resources)) {
      expect(name).toMatch(/^[A-Za-z0-9]+$/);
      expect(r.Type, name).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(isObject(r.Properties), `${name}.Properties`).toBe(true);
      for (const key of Object.keys(r)) {
        expect(
          [
            "Type",
            "Properties",
            "Condition",
            "DependsOn",
            "DeletionPolicy",
            "UpdateReplacePolicy",
            "Metadata",
          ],
          `${name}.${key}`,
        ).toContain(key);
      }
    }
  });

  it("declares parameters of valid types whose defaults satisfy their own constraints", () => {
    for (const [name, p] of Object.entries(template.Parameters ?? {})) {
      expect(PARAMETER_TYPES.has(String(p.Type)) || String(p.Type).startsWith("AWS::"), `${name}.Type`).toBe(
        true,
      );
      if (p.Default === undefined) continue;
      const values = p.Type === "CommaDelimitedList" ? String(p.Default).split(",") : [String(p.Default)];
      for (const value of values) {
        if (p.AllowedValues) expect(p.AllowedValues, `${name} default`).toContain(value);
        if (p.AllowedPattern) expect(value, `${name} default`).toMatch(new RegExp(String(p.AllowedPattern)));
        if (p.MinLength !== undefined) expect(value.length).toBeGreaterThanOrEqual(Number(p.MinLength));
        if (p.MaxLength !== undefined) expect(value.length).toBeLessThanOrEqual(Number(p.MaxLength));
      }
    }
  });

  it("accepts realistic parameter values with its AllowedPatterns", () => {
    const pattern = (name: string) => new RegExp(String(template.Parameters?.[name]?.AllowedPattern));
    expect("123456789012").toMatch(pattern("ServiceAccountId"));
    expect("arn:aws:events:us-east-1:123456789012:event-bus/peering-autopilot-prod").toMatch(
      pattern("ServiceEventBusArn"),
    );
    expect("arn:aws:iam::123456789012:role/peering-autopilot-prod-us-east-1-lambdaRole").toMatch(
      pattern("ServiceRoleArns"),
    );
    expect("arn:aws:iam::123456789012:user/someone").not.toMatch(pattern("ServiceRoleArns"));
    expect("*").not.toMatch(pattern("ServiceRoleArns"));
    expect("Zq3-external-id.2026").toMatch(pattern("ExternalId"));
  });

  it("resolves every Ref, Fn::GetAtt and Fn::Sub variable to a parameter, resource or pseudo parameter", () => {
    const parameters = new Set(Object.keys(template.Parameters ?? {}));
    const refs = references({
      Resources: resources,
      Outputs: template.Outputs ?? {},
      Conditions: template.Conditions ?? {},
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const { name, attribute, via } of refs) {
      const where = `${via} ${name}${attribute ? `.${attribute}` : ""}`;
      if (via === "Fn::GetAtt" || attribute) {
        const target = resources[name];
        expect(target, where).toBeDefined();
        expect(GETATT_ATTRIBUTES[target?.Type ?? ""] ?? [], where).toContain(attribute);
      } else {
        expect(parameters.has(name) || name in resources || PSEUDO_PARAMETERS.has(name), where).toBe(true);
      }
    }
    // Conditions may only refer to parameters and pseudo parameters.
    for (const { name, via } of references(template.Conditions ?? {})) {
      expect(via).toBe("Ref");
      expect(parameters.has(name) || PSEUDO_PARAMETERS.has(name), name).toBe(true);
    }
  });

  it("uses every parameter", () => {
    const used = new Set(
      references({ r: resources, o: template.Outputs ?? {}, c: template.Conditions ?? {} }).map(
        (r) => r.name,
      ),
    );
    for (const name of Object.keys(template.Parameters ?? {})) expect(used, name).toContain(name);
  });

  it("defines every condition it uses", () => {
    const defined = new Set(Object.keys(template.Conditions ?? {}));
    const used = [
      ...Object.values(resources).flatMap((r) => (r.Condition ? [r.Condition] : [])),
      ...Object.values(template.Outputs ?? {}).flatMap((o) => (o.Condition ? [o.Condition] : [])),
      ...conditionsUsed({ r: resources, o: template.Outputs ?? {}, c: template.Conditions ?? {} }),
    ];
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(defined, name).toContain(name);
  });

  it("never refers to a conditional resource from something that can exist without it", () => {
    const holders: [string, { Condition?: string }, Json][] = [
      ...Object.entries(resources).map(([n, r]): [string, Resource, Json] => [n, r, r]),
      ...Object.entries(template.Outputs ?? {}).map(([n, o]): [string, { Condition?: string }, Json] => [
        `Outputs.${n}`,
        o,
        o,
      ]),
    ];
    for (const [name, holder, body] of holders) {
      for (const ref of references(body)) {
        const target = resources[ref.name];
        if (!target?.Condition) continue;
        expect(holder.Condition, `${name} refers to ${ref.name} (Condition ${target.Condition})`).toBe(
          target.Condition,
        );
      }
    }
  });

  it("gives every output a value", () => {
    for (const [name, output] of Object.entries(template.Outputs ?? {}))
      expect(output.Value, name).toBeDefined();
  });
});

describe("parameters and conditions", () => {
  it("takes the service's account, bus, role ARNs, external id and role name", () => {
    const p = template.Parameters ?? {};
    expect(p.ServiceAccountId?.Type).toBe("String");
    expect(p.ServiceEventBusArn?.Type).toBe("String");
    expect(p.ServiceRoleArns?.Type).toBe("CommaDelimitedList");
    expect(p.ExternalId).toMatchObject({ Type: "String", NoEcho: true });
    expect(Number(p.ExternalId?.MinLength)).toBeGreaterThanOrEqual(8);
    expect(p.ExternalId?.Default).toBeUndefined();
    expect(p.ExecutionRoleName).toMatchObject({ Type: "String", Default: "peering-autopilot-execution" });
  });

  it("switches the global role and the regional rule separately, both on by default", () => {
    const p = template.Parameters ?? {};
    for (const name of ["CreateExecutionRole", "ForwardEvents"]) {
      expect(p[name], name).toMatchObject({
        Type: "String",
        Default: "true",
        AllowedValues: ["true", "false"],
      });
    }
    expect(template.Conditions?.CreateRole).toEqual({
      "Fn::Equals": [{ Ref: "CreateExecutionRole" }, "true"],
    });
    const [, role] = executionRole();
    expect(role.Condition).toBe("CreateRole");
    const ruleCondition = forwardingRule().Condition;
    expect(ruleCondition).toBeDefined();
    expect(template.Conditions?.[ruleCondition ?? ""]).toEqual({
      "Fn::Equals": [{ Ref: "ForwardEvents" }, "true"],
    });
    expect(forwardingRole()[1].Condition).toBe(ruleCondition);
  });

  it("outputs the execution role ARN and, when forwarding, the rule ARN", () => {
    const [roleName] = executionRole();
    const [ruleName] = onlyResourceOfType("AWS::Events::Rule");
    expect(template.Outputs?.ExecutionRoleArn).toMatchObject({
      Condition: "CreateRole",
      Value: { "Fn::GetAtt": [roleName, "Arn"] },
    });
    expect(template.Outputs?.ForwardingRuleArn).toMatchObject({
      Condition: forwardingRule().Condition,
      Value: { "Fn::GetAtt": [ruleName, "Arn"] },
    });
  });
});

describe("the forwarding rule", () => {
  const EVENT_NAMES = [
    "CreateVpcPeeringConnection",
    "AcceptVpcPeeringConnection",
    "RejectVpcPeeringConnection",
    "DeleteVpcPeeringConnection",
    "AssociateVpcCidrBlock",
    "DisassociateVpcCidrBlock",
  ];

  it("listens on this account's default bus", () => {
    const bus = forwardingRule().Properties.EventBusName;
    expect(bus === undefined || bus === "default").toBe(true);
    expect(forwardingRule().Properties.State ?? "ENABLED").toBe("ENABLED");
  });

  it("matches successful CloudTrail calls of exactly the six peering and CIDR operations", () => {
    const pattern = forwardingRule().Properties.EventPattern as {
      detail: { eventName: string[]; [key: string]: Json };
      [key: string]: Json;
    };
    expect([...pattern.detail.eventName].sort()).toEqual([...EVENT_NAMES].sort());
    expect(pattern.detail.eventName).toHaveLength(EVENT_NAMES.length);
    expect(pattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["ec2.amazonaws.com"],
        eventName: pattern.detail.eventName,
        // Failed calls carry errorCode; they must not be forwarded.
        errorCode: [{ exists: false }],
      },
    });
  });

  it("targets only the service's bus, through the forwarding role", () => {
    const targets = forwardingRule().Properties.Targets as Record<string, Json>[];
    expect(targets).toHaveLength(1);
    const [roleName] = forwardingRole();
    expect(targets[0]).toMatchObject({
      Arn: { Ref: "ServiceEventBusArn" },
      RoleArn: { "Fn::GetAtt": [roleName, "Arn"] },
    });
    // No input transformation: the service needs the event as CloudTrail delivered it.
    expect(Object.keys(targets[0] ?? {}).sort()).toEqual(["Arn", "Id", "RoleArn"]);
  });

  // Its trust and permissions are evaluated as AWS would in test/deploy/iam/member-roles.test.ts.
});

describe("the execution role", () => {
  it("is named by the ExecutionRoleName parameter", () => {
    expect(executionRole()[1].Properties.RoleName).toEqual({ Ref: "ExecutionRoleName" });
  });

  // Its trust and permissions are evaluated as AWS would in test/deploy/iam/member-roles.test.ts.
});
