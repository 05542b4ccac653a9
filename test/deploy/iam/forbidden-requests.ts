// Requests the service must never be allowed to make, whatever its code does: EC2 calls sent in
// `account` with the function role there or the execution role elsewhere.
import { REQUESTER_ACCOUNT, STRANGER_ACCOUNT } from "./accounts";
import { pcxArn, routeTableArn, vpcArn } from "./arns";
import type { Request } from "./service-requests";
import { decisionTagsWritten, tagContext } from "./service-requests";

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
