// Checks of member-account/template.yml, the CloudFormation template a member account deploys (directly or
// as a StackSet), parsed with the CloudFormation short-form tags mapped to their long forms: what it takes,
// switches and outputs, and what its rules forward. Whether it is valid CloudFormation is the linter's
// (test/deploy/lint/); what its IAM allows and denies is evaluated in test/deploy/iam/member-roles.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { type Json, parseTemplate, type Resource, type Template } from "./templates/cloudformation";
import { memberTemplate } from "./templates/member-template";

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

/** The execution role and forwarding role, found by what refers to them rather than by name. */
function executionRole(): [string, Resource] {
  const roles = resourcesOfType("AWS::IAM::Role").filter(([, r]) =>
    JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("sts:ExternalId"),
  );
  expect(roles, "exactly one role requiring an external id").toHaveLength(1);
  return roles[0] as [string, Resource];
}
/** The rules, told apart by what they forward: peering and CIDR calls, or the approval tag. */
function ruleForwarding(eventName: string): [string, Resource] {
  const rules = resourcesOfType("AWS::Events::Rule").filter(([, r]) =>
    (r.Properties.EventPattern as { detail: { eventName: string[] } }).detail.eventName.includes(eventName),
  );
  expect(rules, `exactly one rule forwarding ${eventName}`).toHaveLength(1);
  return rules[0] as [string, Resource];
}
function forwardingRule(): Resource {
  return ruleForwarding("CreateVpcPeeringConnection")[1];
}
function approvalForwardingRule(): Resource {
  return ruleForwarding("CreateTags")[1];
}
function forwardingRole(rule = forwardingRule()): [string, Resource] {
  const targets = rule.Properties.Targets as { RoleArn?: Json }[];
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

describe("parameters and conditions", () => {
  it("gives parameters defaults that satisfy their own constraints", () => {
    for (const [name, p] of Object.entries(template.Parameters ?? {})) {
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
    expect(approvalForwardingRule().Condition).toBe(ruleCondition);
    expect(resourcesOfType("AWS::Events::Rule")).toHaveLength(2);
  });

  it("outputs the execution role ARN and, when forwarding, the rules' ARNs", () => {
    const [roleName] = executionRole();
    const [ruleName] = ruleForwarding("CreateVpcPeeringConnection");
    const [approvalRuleName] = ruleForwarding("CreateTags");
    expect(template.Outputs?.ExecutionRoleArn).toMatchObject({
      Condition: "CreateRole",
      Value: { "Fn::GetAtt": [roleName, "Arn"] },
    });
    expect(template.Outputs?.ForwardingRuleArn).toMatchObject({
      Condition: forwardingRule().Condition,
      Value: { "Fn::GetAtt": [ruleName, "Arn"] },
    });
    expect(template.Outputs?.ApprovalForwardingRuleArn).toMatchObject({
      Condition: forwardingRule().Condition,
      Value: { "Fn::GetAtt": [approvalRuleName, "Arn"] },
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

  it.each(["CreateVpcPeeringConnection", "CreateTags"])(
    "forwarding %s, targets only the service's bus, through the forwarding role",
    (eventName) => {
      const rule = ruleForwarding(eventName)[1];
      const targets = rule.Properties.Targets as Record<string, Json>[];
      expect(targets).toHaveLength(1);
      const [roleName] = forwardingRole(rule);
      expect(roleName).toBe(forwardingRole()[0]);
      expect(targets[0]).toMatchObject({
        Arn: { Ref: "ServiceEventBusArn" },
        RoleArn: { "Fn::GetAtt": [roleName, "Arn"] },
      });
      // No input transformation: the service needs the event as CloudTrail delivered it.
      expect(Object.keys(targets[0] ?? {}).sort()).toEqual(["Arn", "Id", "RoleArn"]);
      expect(rule.Properties.EventBusName ?? "default").toBe("default");
      expect(rule.Properties.State ?? "ENABLED").toBe("ENABLED");
    },
  );

  it("forwards the CreateTags calls that set peering-approval on a peering connection, and no other", () => {
    expect(approvalForwardingRule().Properties.EventPattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["ec2.amazonaws.com"],
        eventName: ["CreateTags"],
        errorCode: [{ exists: false }],
        requestParameters: {
          resourcesSet: { items: { resourceId: [{ prefix: "pcx-" }] } },
          tagSet: { items: { key: ["peering-approval"] } },
        },
      },
    });
    // That the service takes exactly what the members forward: test/deploy/serverless-package.test.ts.
  });

  // Its trust and permissions are evaluated as AWS would in test/deploy/iam/member-roles.test.ts.
});

describe("the execution role", () => {
  it("is named by the ExecutionRoleName parameter", () => {
    expect(executionRole()[1].Properties.RoleName).toEqual({ Ref: "ExecutionRoleName" });
  });

  // Its trust and permissions are evaluated as AWS would in test/deploy/iam/member-roles.test.ts.
});
