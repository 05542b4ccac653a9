// What each operation the code sends asks IAM for: the action, every resource it is authorized against,
// and the request's context keys, in the situations the service sends it in. An operation found in the
// code (operations-used.ts) without an entry here fails the suite: its grant would go untested.

import type { Decision } from "../../../shared/decision/decision";
import { decisionTags } from "../../../shared/decision/decision-tags";
import { DETAIL_TYPES, EVENT_SOURCE } from "../../../shared/events/service-events";
import { CONNECTION_TAG } from "../../../shared/security-groups/rule-key";
import { MEMBER_ACCOUNT, OTHER_REGION, REQUESTER_ACCOUNT } from "./accounts";
import {
  busArn,
  pcxArn,
  roleArn,
  routeTableArn,
  securityGroupArn,
  securityGroupRuleArn,
  vpcArn,
} from "./arns";

export interface Request {
  what: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

/** What the functions' environment tells them (serverless.yml provider.environment). */
export interface FunctionSettings {
  busName: string;
  busAccount: string;
  assumeRoleName: string;
  externalId: string;
  /** The topic the notify function publishes to (its NOTIFICATION_TOPIC_ARN). */
  topicArn: string;
}

/**
 * Every tag the service writes on a connection (shared/decision/decision-tags.ts): an accepted request, one
 * a person approved or denied, one parked for approval that is about to expire.
 */
export function decisionTagsWritten(): Record<string, string> {
  const by = "arn:aws:sts::222222222222:assumed-role/network-admin/someone";
  const decisions: Partial<Decision>[] = [
    { action: "accept", rule: "shared-services", findings: [] },
    {
      action: "accept",
      rule: "shared-services",
      findings: ["approved"],
      approval: { answer: "approve", by },
    },
    { action: "reject", rule: "shared-services", findings: ["denied"], approval: { answer: "deny", by } },
    { action: "await-approval", rule: "shared-services", findings: ["expiring-soon"] },
  ];
  return Object.assign(
    {},
    ...decisions.map((d) => decisionTags(d as Decision, {}, new Date("2026-01-01T00:00:00Z"))),
  );
}

export function tagContext(tags: Record<string, string>): Record<string, string | string[]> {
  return {
    "aws:TagKeys": Object.keys(tags),
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  };
}

/** The peering connections an accepter in `account` handles: the pcx ARN names its creator, the requester. */
function acceptedConnections(account: string) {
  return [
    {
      what: "a cross-account request",
      pcx: pcxArn(REQUESTER_ACCOUNT),
      accepterVpc: vpcArn(account),
      requesterVpc: vpcArn(REQUESTER_ACCOUNT, "vpc-0f0e0d0c"),
    },
    {
      what: "a cross-account, inter-region request",
      pcx: pcxArn(REQUESTER_ACCOUNT, OTHER_REGION),
      accepterVpc: vpcArn(account, "vpc-0a1b2c3d", OTHER_REGION),
      requesterVpc: vpcArn(REQUESTER_ACCOUNT, "vpc-0f0e0d0c"),
    },
    {
      what: "a request within the account",
      pcx: pcxArn(account),
      accepterVpc: vpcArn(account),
      requesterVpc: vpcArn(account, "vpc-0f0e0d0c"),
    },
  ];
}

/** The peer of a connection requested from `account`: some other account of the organisation. */
const otherThan = (account: string) => (account === MEMBER_ACCOUNT ? REQUESTER_ACCOUNT : MEMBER_ACCOUNT);

const peeringKeys = (c: { accepterVpc: string; requesterVpc: string }) => ({
  "ec2:AccepterVpc": c.accepterVpc,
  "ec2:RequesterVpc": c.requesterVpc,
});

const onConnections = (action: string, account: string, extra: Record<string, string | string[]> = {}) =>
  acceptedConnections(account).map((c) => ({
    what: c.what,
    action,
    resource: c.pcx,
    context: { ...peeringKeys(c), ...extra },
  }));

const onRouteTable = (action: string, account: string): Request[] => [
  {
    what: "a route in one of the account's route tables",
    action,
    resource: routeTableArn(account),
    context: { "ec2:RouteTableID": "rtb-0a1b2c3d", "ec2:Vpc": vpcArn(account) },
  },
];

/** The tag AuthorizeSecurityGroupIngress puts on each rule it creates (shared/aws/carry-out/apply-rules.ts). */
export const RULE_TAGS = { [CONNECTION_TAG]: "pcx-0a1b2c3d4e5f" };

const onSecurityGroup = (action: string, account: string): Request => ({
  what: "an ingress rule in one of the account's security groups",
  action,
  resource: securityGroupArn(account),
  context: { "ec2:SecurityGroupID": "sg-0a1b2c3d", "ec2:Vpc": vpcArn(account) },
});

const describe = (action: string): Request[] => [
  { what: "a describe call", action, resource: "*", context: {} },
];

/** EC2 calls, sent in `account` with the function role there or with the execution role elsewhere. */
const EC2_REQUESTS: Record<string, (account: string) => Request[]> = {
  "ec2:DescribeVpcPeeringConnections": () => describe("ec2:DescribeVpcPeeringConnections"),
  "ec2:DescribeVpcs": () => describe("ec2:DescribeVpcs"),
  "ec2:DescribeRouteTables": () => describe("ec2:DescribeRouteTables"),
  "ec2:DescribeSubnets": () => describe("ec2:DescribeSubnets"),
  "ec2:DescribeSecurityGroups": () => describe("ec2:DescribeSecurityGroups"),
  "ec2:DescribeSecurityGroupRules": () => describe("ec2:DescribeSecurityGroupRules"),
  // Authorized against the group, and (since the call tags them) against each new rule.
  "ec2:AuthorizeSecurityGroupIngress": (account) => [
    onSecurityGroup("ec2:AuthorizeSecurityGroupIngress", account),
    {
      what: "a new rule, tagged with its connection",
      action: "ec2:AuthorizeSecurityGroupIngress",
      resource: securityGroupRuleArn(account),
      context: tagContext(RULE_TAGS),
    },
  ],
  "ec2:RevokeSecurityGroupIngress": (account) => [onSecurityGroup("ec2:RevokeSecurityGroupIngress", account)],
  // Accept is authorized against the connection and against the accepter VPC.
  "ec2:AcceptVpcPeeringConnection": (account) =>
    acceptedConnections(account).flatMap((c) => [
      { what: c.what, action: "ec2:AcceptVpcPeeringConnection", resource: c.pcx, context: peeringKeys(c) },
      {
        what: `${c.what}: the accepter VPC`,
        action: "ec2:AcceptVpcPeeringConnection",
        resource: c.accepterVpc,
        context: { "ec2:VpcID": "vpc-0a1b2c3d" },
      },
    ]),
  "ec2:RejectVpcPeeringConnection": (account) => onConnections("ec2:RejectVpcPeeringConnection", account),
  // Each side sets its own side's options: the accepter on a connection the requester created, the
  // requester on the one it created itself.
  "ec2:ModifyVpcPeeringConnectionOptions": (account) => [
    ...onConnections("ec2:ModifyVpcPeeringConnectionOptions", account),
    {
      what: "the requester's side of a cross-account connection",
      action: "ec2:ModifyVpcPeeringConnectionOptions",
      resource: pcxArn(account),
      context: {
        "ec2:RequesterVpc": vpcArn(account),
        "ec2:AccepterVpc": vpcArn(otherThan(account), "vpc-0f0e0d0c"),
      },
    },
  ],
  // The decision is tagged in the accepter account, on the connection it accepted or rejected.
  // Rules are tagged as AuthorizeSecurityGroupIngress creates them, which EC2 authorizes as CreateTags.
  "ec2:CreateTags": (account) => [
    ...onConnections("ec2:CreateTags", account, tagContext(decisionTagsWritten())),
    {
      what: "the connection tag on a rule being created",
      action: "ec2:CreateTags",
      resource: securityGroupRuleArn(account),
      context: { "ec2:CreateAction": "AuthorizeSecurityGroupIngress", ...tagContext(RULE_TAGS) },
    },
  ],
  "ec2:CreateRoute": (account) => onRouteTable("ec2:CreateRoute", account),
  "ec2:DeleteRoute": (account) => onRouteTable("ec2:DeleteRoute", account),
};

/** Calls only the functions make, with their own role. */
const FUNCTION_REQUESTS: Record<string, (s: FunctionSettings) => Request[]> = {
  "sts:AssumeRole": (s) => [
    {
      what: "the execution role of a member account",
      action: "sts:AssumeRole",
      resource: roleArn(MEMBER_ACCOUNT, s.assumeRoleName),
      context: { "sts:ExternalId": s.externalId, "sts:RoleSessionName": "peering-autopilot" },
    },
  ],
  "events:PutEvents": (s) =>
    Object.values(DETAIL_TYPES).map((detailType) => ({
      what: `a ${detailType} event on the service's bus`,
      action: "events:PutEvents",
      resource: busArn(s.busAccount, s.busName),
      context: { "events:source": EVENT_SOURCE, "events:detail-type": detailType },
    })),
  "sns:Publish": (s) => [
    {
      what: "a notification on the service's topic",
      action: "sns:Publish",
      resource: s.topicArn,
      context: {},
    },
  ],
};

const unmapped = (action: string) =>
  new Error(
    `${action} is sent by the code but test/deploy/iam/service-requests.ts does not say what it requests`,
  );

/** The requests of an EC2 action sent in `account`. */
export function ec2Requests(action: string, account: string): Request[] {
  const requests = EC2_REQUESTS[action];
  if (!requests) throw unmapped(action);
  return requests(account);
}

/** The requests of any action the functions send with their own role, from their own account. */
export function functionRequests(action: string, account: string, settings: FunctionSettings): Request[] {
  if (action.startsWith("ec2:")) return ec2Requests(action, account);
  const requests = FUNCTION_REQUESTS[action];
  if (!requests) throw unmapped(action);
  return requests(settings);
}
