import { randomUUID } from "node:crypto";

/**
 * CloudTrail events as EventBridge delivers them, shaped like the samples AWS documents. The model
 * produces one for each peering call so that tests and the demo feed the handlers what AWS would.
 */
export interface PeeringCallSides {
  connectionId: string;
  requester: { account: string; region: string; vpcId: string; cidrs: string[] };
  accepter: { account: string; region: string; vpcId: string };
}

export interface EventOptions {
  /** The call failed: CloudTrail still records it, with an error code and no response. */
  errorCode?: string;
  time?: Date;
}

export function createPeeringEvent(sides: PeeringCallSides, options: EventOptions = {}) {
  const { requester, accepter } = sides;
  const ipv4 = requester.cidrs.filter((c) => !c.includes(":"));
  return apiCallEvent({
    account: requester.account,
    region: requester.region,
    eventName: "CreateVpcPeeringConnection",
    options,
    requestParameters: {
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      ...(accepter.account !== requester.account && { peerOwnerId: accepter.account }),
      ...(accepter.region !== requester.region && { peerRegion: accepter.region }),
    },
    responseElements: {
      vpcPeeringConnection: {
        vpcPeeringConnectionId: sides.connectionId,
        requesterVpcInfo: {
          ownerId: requester.account,
          vpcId: requester.vpcId,
          cidrBlock: ipv4[0],
          cidrBlockSet: { items: ipv4.map((cidrBlock) => ({ cidrBlock })) },
          region: requester.region,
        },
        accepterVpcInfo: { ownerId: accepter.account, vpcId: accepter.vpcId, region: accepter.region },
        status: { code: "initiating-request", message: `Initiating Request to ${accepter.account}` },
        tagSet: {},
      },
    },
  });
}

interface ApiCall {
  account: string;
  region: string;
  eventName: string;
  requestParameters: unknown;
  responseElements: unknown;
  options: EventOptions;
}

export function apiCallEvent(call: ApiCall) {
  const time = (call.options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const failed = call.options.errorCode !== undefined;
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.ec2",
    account: call.account,
    time,
    region: call.region,
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: { type: "AssumedRole", accountId: call.account },
      eventTime: time,
      eventSource: "ec2.amazonaws.com",
      eventName: call.eventName,
      awsRegion: call.region,
      requestParameters: call.requestParameters,
      responseElements: failed ? null : call.responseElements,
      ...(failed && {
        errorCode: call.options.errorCode,
        errorMessage: `${call.options.errorCode} (modelled)`,
      }),
      eventID: randomUUID(),
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: call.account,
      eventCategory: "Management",
    },
  };
}

/** Accept, Reject or Delete of a connection, as recorded in the account and region that made the call. */
export function peeringCallEvent(
  eventName: "AcceptVpcPeeringConnection" | "RejectVpcPeeringConnection" | "DeleteVpcPeeringConnection",
  call: { connectionId: string; account: string; region: string },
  options: EventOptions = {},
) {
  return apiCallEvent({
    account: call.account,
    region: call.region,
    eventName,
    options,
    requestParameters: { vpcPeeringConnectionId: call.connectionId },
    responseElements: { _return: true },
  });
}

/** A CIDR block added to or removed from a VPC. */
export function vpcCidrEvent(
  eventName: "AssociateVpcCidrBlock" | "DisassociateVpcCidrBlock",
  call: { vpcId: string; account: string; region: string; cidr: string },
  options: EventOptions = {},
) {
  const association = { associationId: "vpc-cidr-assoc-0abc1234def567890", cidrBlock: call.cidr };
  return apiCallEvent({
    account: call.account,
    region: call.region,
    eventName,
    options,
    requestParameters:
      eventName === "AssociateVpcCidrBlock"
        ? { vpcId: call.vpcId, cidrBlock: call.cidr }
        : { associationId: association.associationId },
    responseElements: { vpcId: call.vpcId, cidrBlockAssociation: association },
  });
}

/**
 * A person's answer, as CloudTrail records it: CreateTags of `peering-approval` on a connection, in the
 * account and region whose view of it was tagged, by `principal`. `value` is what the event claims.
 */
export function approvalTagEvent(
  call: { connectionId: string; account: string; region: string; value: string; principal: string },
  options: EventOptions = {},
) {
  const event = apiCallEvent({
    account: call.account,
    region: call.region,
    eventName: "CreateTags",
    options,
    requestParameters: {
      resourcesSet: { items: [{ resourceId: call.connectionId }] },
      tagSet: { items: [{ key: "peering-approval", value: call.value }] },
    },
    responseElements: { _return: true },
  });
  return {
    ...event,
    detail: { ...event.detail, userIdentity: { ...event.detail.userIdentity, arn: call.principal } },
  };
}
