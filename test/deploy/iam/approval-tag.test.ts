// A person's answer to a request awaiting approval is the peering-approval tag: no role of either
// template may write it (nor peering-approval-reason), alone or along with the service's own keys, on
// any connection the service tags, so that no bug and no forged event can approve a request in a
// person's name. The service's own decision tags on the same connections stay allowed, which shows
// that the denials come from the tag keys and not from the request.
import { describe, expect, it } from "vitest";
import { MEMBER_ACCOUNT, OTHER_REGION, REQUESTER_ACCOUNT, SERVICE_ACCOUNT } from "./accounts";
import { pcxArn, sessionArn, vpcArn } from "./arns";
import { memberDeployment, serviceDeployment, serviceRoles } from "./deployments";
import { decisionTagsWritten, tagContext } from "./service-requests";
import { evaluate } from "./simulate";
import { identityPolicies } from "./template-policies";

const service = await serviceDeployment();
const member = memberDeployment(service);

interface Role {
  role: string;
  session: string;
  account: string;
  identity: ReturnType<typeof identityPolicies>;
  /** Whether the role writes the service's decision tags at all. */
  tags: boolean;
}

const roles: Role[] = [
  ...serviceRoles(service).map(({ role, functions }) => ({
    role: `${role} (${functions.map((f) => f.id).join(", ")})`,
    session: functions[0]?.session ?? "",
    account: SERVICE_ACCOUNT,
    identity: identityPolicies(service, role),
    tags: true,
  })),
  ...member.ofType("AWS::IAM::Role").map(([id]) => {
    const name = String(member.properties(id).RoleName ?? id);
    return {
      role: `member ${id}`,
      session: sessionArn(MEMBER_ACCOUNT, name, "peering-autopilot"),
      account: MEMBER_ACCOUNT,
      identity: identityPolicies(member, id),
      tags: JSON.stringify(member.properties(id).Policies).includes("ec2:CreateTags"),
    };
  }),
];

/** The connections an accepter in `account` tags, named as their creator's ARN names them. */
const connections = (account: string) => [
  { what: "a cross-account request", pcx: pcxArn(REQUESTER_ACCOUNT), region: undefined },
  { what: "an inter-region request", pcx: pcxArn(REQUESTER_ACCOUNT, OTHER_REGION), region: OTHER_REGION },
  { what: "a request within the account", pcx: pcxArn(account), region: undefined },
];

const own = decisionTagsWritten();
const PERSON_TAG_SETS: [string, Record<string, string>][] = [
  ["peering-approval", { "peering-approval": "approve" }],
  [
    "peering-approval and a peering-autopilot: key",
    { "peering-autopilot:decision": "accept", "peering-approval": "approve" },
  ],
  ["peering-approval and every decision tag", { ...own, "peering-approval": "deny" }],
  ["peering-approval-reason", { "peering-approval-reason": "reviewed" }],
  [
    "peering-approval-reason and a peering-autopilot: key",
    { "peering-autopilot:rule": "x", "peering-approval-reason": "ok" },
  ],
  [
    "peering-approval and peering-approval-reason",
    { "peering-approval": "approve", "peering-approval-reason": "ok" },
  ],
];

function createTags(role: Role, pcx: string, region: string | undefined, tags: Record<string, string>) {
  return evaluate(
    {
      principal: role.session,
      action: "ec2:CreateTags",
      resource: pcx,
      resourceAccount: role.account,
      context: {
        "ec2:AccepterVpc": vpcArn(role.account, "vpc-0a1b2c3d", region),
        "ec2:RequesterVpc": vpcArn(REQUESTER_ACCOUNT, "vpc-0f0e0d0c"),
        ...tagContext(tags),
      },
    },
    { identity: role.identity },
  );
}

it("covers the function roles, the execution role and the forwarding role", () => {
  expect(roles.filter((r) => r.account === SERVICE_ACCOUNT).length).toBeGreaterThan(0);
  expect(roles.filter((r) => r.account === MEMBER_ACCOUNT)).toHaveLength(2);
  expect(roles.filter((r) => r.tags).length).toBeGreaterThan(1);
});

describe.each(roles.map((r) => [r.role, r] as const))("%s", (_, role) => {
  it.each(PERSON_TAG_SETS)("cannot tag a connection with %s", async (_what, tags) => {
    for (const c of connections(role.account)) {
      expect(await createTags(role, c.pcx, c.region, tags), c.what).not.toBe("Allowed");
    }
  });

  if (role.tags) {
    it("can tag the same connections with the decision tags", async () => {
      for (const c of connections(role.account)) {
        expect(await createTags(role, c.pcx, c.region, own), c.what).toBe("Allowed");
      }
    });
  }
});
