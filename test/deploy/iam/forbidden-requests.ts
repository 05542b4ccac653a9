// Requests the service must never be allowed to make, whatever its code does: EC2 calls sent in
// `account` with the function role there or the execution role elsewhere.
import { REQUESTER_ACCOUNT, STRANGER_ACCOUNT } from "./accounts";
import { pcxArn, routeTableArn, securityGroupArn, securityGroupRuleArn, vpcArn } from "./arns";
import type { Request } from "./service-requests";
import { decisionTagsWritten, RULE_TAGS, tagContext } from "./service-requests";

/** Tags on a security-group rule: as a rule is created (`creating`), or on one that exists. */
function ruleTagged(account: string, what: string, tags: Record<string, string>, creating: boolean): Request {
  return {
    what,
    action: "ec2:CreateTags",
    resource: securityGroupRuleArn(account),
    context: {
      ...(creating && { "ec2:CreateAction": "AuthorizeSecurityGroupIngress" }),
      ...tagContext(tags),
    },
  };
}

function securityGroupRequests(account: string): Request[] {
  const group = (action: string, where: string, what: string): Request => ({
    what,
    action,
    resource: securityGroupArn(where),
    context: { "ec2:SecurityGroupID": "sg-0a1b2c3d", "ec2:Vpc": vpcArn(where) },
  });
  const newRule = (what: string, tags: Record<string, string>): Request => ({
    what,
    action: "ec2:AuthorizeSecurityGroupIngress",
    resource: securityGroupRuleArn(account),
    context: tagContext(tags),
  });
  return [
    ruleTagged(account, "tagging someone else's rule as the service's own", RULE_TAGS, false),
    ruleTagged(account, "a key other than the connection's on a new rule", { Name: "x" }, true),
    ruleTagged(account, "the connection's key and another on a new rule", { ...RULE_TAGS, Name: "x" }, true),
    ruleTagged(
      account,
      "the connection's key naming no connection",
      { "peering-autopilot:connection": "x" },
      true,
    ),
    newRule("a new rule tagged other than with its connection", { Owner: "someone" }),
    newRule("a new rule tagged with its connection and more", { ...RULE_TAGS, Owner: "someone" }),
    group("ec2:AuthorizeSecurityGroupIngress", STRANGER_ACCOUNT, "opening another account's group"),
    group("ec2:RevokeSecurityGroupIngress", STRANGER_ACCOUNT, "closing another account's group"),
    ...[
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:ModifySecurityGroupRules",
      "ec2:DeleteSecurityGroup",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ].map((action) => group(action, account, "anything but adding and revoking ingress rules")),
    {
      what: "removing tags from a rule",
      action: "ec2:DeleteTags",
      resource: securityGroupRuleArn(account),
      context: tagContext(RULE_TAGS),
    },
  ];
}

/** A connection whose accepter VPC is in another account: not this account's to accept or reject. */
const elsewhere = {
  "ec2:AccepterVpc": vpcArn(STRANGER_ACCOUNT),
  "ec2:RequesterVpc": vpcArn(REQUESTER_ACCOUNT, "vpc-0f0e0d0c"),
};

function taggedWith(account: string, what: string, keys: string[]): Request {
  const accepted = { "ec2:AccepterVpc": vpcArn(account), "ec2:RequesterVpc": vpcArn(REQUESTER_ACCOUNT) };
  return {
    what: `tagging with ${what}`,
    action: "ec2:CreateTags",
    resource: pcxArn(REQUESTER_ACCOUNT),
    context: { ...accepted, ...tagContext(Object.fromEntries(keys.map((k) => [k, "x"]))) },
  };
}

export function forbiddenEc2Requests(account: string): Request[] {
  const own = Object.keys(decisionTagsWritten());
  return [
    ...["ec2:AcceptVpcPeeringConnection", "ec2:RejectVpcPeeringConnection"].map((action) => ({
      what: "a connection whose accepter VPC is in another account",
      action,
      resource: pcxArn(REQUESTER_ACCOUNT),
      context: elsewhere,
    })),
    {
      what: "accepting into another account's VPC",
      action: "ec2:AcceptVpcPeeringConnection",
      resource: vpcArn(STRANGER_ACCOUNT),
      context: { "ec2:VpcID": "vpc-0a1b2c3d" },
    },
    {
      what: "the options of a connection neither of whose VPCs is in this account",
      action: "ec2:ModifyVpcPeeringConnectionOptions",
      resource: pcxArn(REQUESTER_ACCOUNT),
      context: elsewhere,
    },
    taggedWith(account, "peering-approval, a key the service must never write", ["peering-approval"]),
    taggedWith(account, "Name, a key outside the service's prefix", ["Name"]),
    taggedWith(account, "the service's keys and one outside its prefix", [...own, "Name"]),
    taggedWith(account, "the service's keys and peering-approval", [...own, "peering-approval"]),
    taggedWith(account, "peering-approval-reason, a person's key too", ["peering-approval-reason"]),
    taggedWith(account, "the service's keys and peering-approval-reason", [
      ...own,
      "peering-approval-reason",
    ]),
    taggedWith(account, "no key at all", []),
    ...securityGroupRequests(account),
    ...["ec2:DeleteRouteTable", "ec2:ReplaceRoute", "ec2:CreateRouteTable"].map((action) => ({
      what: "anything but adding and removing routes",
      action,
      resource: routeTableArn(account),
      context: {},
    })),
    ...["ec2:DeleteVpcPeeringConnection", "ec2:CreateVpcPeeringConnection", "ec2:DeleteTags"].map(
      (action) => ({
        what: "a call the service never makes",
        action,
        resource: pcxArn(account),
        context: {},
      }),
    ),
  ];
}
