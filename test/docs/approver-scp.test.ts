import { readFileSync } from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";

// The SCP that docs/rollout.md gives people to copy, evaluated as AWS would: read from the document
// itself, so that what is published is what is proven.
const ROLLOUT = readFileSync("docs/rollout.md", "utf8");
const SECTION = ROLLOUT.slice(ROLLOUT.indexOf("## 5. Who may approve"));
const SCP = JSON.parse(/```json\n([\s\S]*?)```/.exec(SECTION)?.[1] ?? "null");

const ACCOUNT = "111111111111";
const CONNECTION = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-peering-connection/pcx-0123456789abcdef0`;
const APPROVER = `arn:aws:sts::${ACCOUNT}:assumed-role/network-approvers/alice`;
const ADMIN = `arn:aws:sts::${ACCOUNT}:assumed-role/Administrator/bob`;
const EVERYTHING_EC2 = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }],
};
const FULL_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

async function verdict(principal: string, action: string, tagKeys: string[]) {
  const role = /assumed-role\/([^/]+)\//.exec(principal)?.[1];
  const response = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: CONNECTION, accountId: ACCOUNT },
        contextVariables: {
          "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/${role}`,
          "aws:PrincipalAccount": ACCOUNT,
          "aws:TagKeys": tagKeys,
        },
      },
      identityPolicies: [{ name: "ec2-everything", policy: EVERYTHING_EC2 }],
      serviceControlPolicies: [
        {
          orgIdentifier: "r-root",
          policies: [
            { name: "FullAWSAccess", policy: FULL_ACCESS },
            { name: "approvers-only", policy: SCP },
          ],
        },
      ],
      resourceControlPolicies: [],
    },
    { simulationMode: "Strict" },
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe("docs/rollout.md: the SCP that limits who may approve", () => {
  it("is one JSON statement in the section", () => {
    expect(SCP.Statement).toHaveLength(1);
  });

  it.each([
    ["ec2:CreateTags", ["peering-approval"]],
    ["ec2:CreateTags", ["peering-approval", "peering-approval-reason"]],
    ["ec2:DeleteTags", ["peering-approval"]],
  ])("lets the approvers role %s %j", async (action, keys) => {
    expect(await verdict(APPROVER, action, keys)).toBe("Allowed");
  });

  it.each([
    ["ec2:CreateTags", ["peering-approval"]],
    ["ec2:CreateTags", ["Name", "peering-approval"]],
    ["ec2:CreateTags", ["peering-approval-reason"]],
    ["ec2:DeleteTags", ["peering-approval"]],
  ])("denies anyone else, even with ec2:*, %s %j", async (action, keys) => {
    expect(await verdict(ADMIN, action, keys)).toBe("ExplicitlyDenied");
  });

  it("leaves other tags alone", async () => {
    expect(await verdict(ADMIN, "ec2:CreateTags", ["Name", "CostCentre"])).toBe("Allowed");
  });
});
