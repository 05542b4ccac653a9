import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const out = mkdtempSync(join(tmpdir(), "peering-autopilot-package-"));
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
let statements: Statement[];

beforeAll(async () => {
  // The same command a user runs; it must work offline, without AWS credentials.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" };
  await promisify(execFile)("npx", ["serverless", "package", "--stage", "ci", "--package", out], { env });
  const template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"));
  resources = template.Resources;
  const role = Object.values(resources).find((r) => r.Type === "AWS::IAM::Role");
  const policies = role?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  statements = policies.flatMap((p) => p.PolicyDocument.Statement);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const actions = (s: Statement) => [s.Action].flat();
const grantFor = (action: string) =>
  statements.filter((s) => s.Effect === "Allow" && actions(s).includes(action));

describe("serverless package", () => {
  it("builds a function on a supported Node.js runtime", () => {
    const fn = Object.values(resources).find((r) => r.Type === "AWS::Lambda::Function");
    expect(fn?.Properties.Runtime).toMatch(/^nodejs(22|24)\.x$/);
    expect(fn?.Properties.Handler).toBe("functions/on-peering-request.handler");
  });

  it("routes successful CreateVpcPeeringConnection calls from CloudTrail to the function", () => {
    const rule = Object.values(resources).find((r) => r.Type === "AWS::Events::Rule");
    expect(rule?.Properties.EventPattern).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["ec2.amazonaws.com"],
        eventName: ["CreateVpcPeeringConnection"],
        errorCode: [{ exists: false }],
      },
    });
  });

  it("grants no wildcard action and only reads on every resource", () => {
    for (const s of statements) {
      for (const action of actions(s)) expect(action).not.toContain("*");
    }
    const unscoped = statements.filter((s) => s.Resource === "*").flatMap(actions);
    expect(unscoped.every((a) => /^ec2:Describe/.test(a) || a.startsWith("logs:"))).toBe(true);
  });

  it.each([
    ["ec2:AcceptVpcPeeringConnection", "vpc-peering-connection/*"],
    ["ec2:RejectVpcPeeringConnection", "vpc-peering-connection/*"],
    ["ec2:CreateRoute", "route-table/*"],
    ["ec2:CreateTags", "vpc-peering-connection/*"],
  ])("scopes %s to this account's %s", (action, resource) => {
    const grants = grantFor(action);
    expect(grants).toHaveLength(1);
    const text = JSON.stringify(grants[0]?.Resource);
    expect(text).toContain(resource);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
    expect(text).toContain(":${AWS::AccountId}:");
  });

  it("lets the function tag only with the service's own tag keys", () => {
    expect(grantFor("ec2:CreateTags")[0]?.Condition).toEqual({
      "ForAllValues:StringLike": { "aws:TagKeys": ["peering-autopilot:*"] },
    });
  });

  it("assumes only the fixed-name execution role", () => {
    const [grant] = grantFor("sts:AssumeRole");
    expect(JSON.stringify(grant?.Resource)).toMatch(/:role\/peering-autopilot-execution"/);
  });

  it("never grants route deletion or replacement, which no code path needs yet", () => {
    for (const action of ["ec2:DeleteRoute", "ec2:ReplaceRoute", "ec2:DeleteVpcPeeringConnection"]) {
      expect(grantFor(action)).toEqual([]);
    }
  });
});
