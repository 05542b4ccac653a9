import * as z from "zod";
import type { CloudTrailApiCall } from "./cloudtrail-api-call";
import type { ConnectionRef } from "./connection-ref";
import {
  AccountIdSchema as accountId,
  ConnectionIdSchema as connectionId,
  RegionSchema as region,
  VpcIdSchema as vpcId,
} from "./id-schemas";
import { clip, describeIssues } from "./invalid-event-error";
import { toPeeringRequest } from "./peering-request";

/** Accept, Reject and Delete name the connection; the call was made in the event's account and region. */
const ConnectionCallSchema = z.object({
  account: accountId,
  detail: z.object({
    awsRegion: region,
    requestParameters: z.object({ vpcPeeringConnectionId: connectionId }),
  }),
});

/** Disassociate names only the association; the VPC is in the response (and in Associate's request). */
const VpcCidrCallSchema = z.object({
  account: accountId,
  detail: z.object({
    awsRegion: region,
    requestParameters: z.object({ vpcId: vpcId.optional() }).nullish(),
    responseElements: z.object({ vpcId: vpcId.optional() }).nullish(),
  }),
});

export interface VpcRef {
  vpcId: string;
  account: string;
  region: string;
}

export type LifecycleEvent =
  | { kind: "connection"; ref: ConnectionRef; eventName: string }
  | { kind: "vpc"; vpc: VpcRef; eventName: string }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

const CONNECTION_CALLS = new Set([
  "AcceptVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "DeleteVpcPeeringConnection",
]);
const CIDR_CALLS = new Set(["AssociateVpcCidrBlock", "DisassociateVpcCidrBlock"]);

/**
 * What a peering or VPC CIDR event is about: a connection to re-decide, or a VPC whose active
 * connections need their routes brought in line. Only ids are taken from the event.
 */
export function toLifecycleEvent(event: CloudTrailApiCall): LifecycleEvent {
  const { detail } = event;
  const { eventName } = detail;
  if (detail.eventSource !== "ec2.amazonaws.com") {
    return { kind: "ignored", reason: clip(`${detail.eventSource} ${eventName} is not an EC2 call`) };
  }
  // Any errorCode at all, even an empty one, marks a call that CloudTrail recorded as failed.
  if (detail.errorCode !== undefined) {
    return { kind: "ignored", reason: clip(`the call failed (${detail.errorCode}): nothing changed`) };
  }

  if (eventName === "CreateVpcPeeringConnection") {
    const request = toPeeringRequest(event);
    return request.kind === "request" ? { kind: "connection", ref: request.ref, eventName } : request;
  }
  if (CONNECTION_CALLS.has(eventName)) {
    const parsed = ConnectionCallSchema.safeParse(event);
    if (!parsed.success) return { kind: "invalid", reason: describeIssues(parsed.error.issues) };
    const { account, detail: call } = parsed.data;
    const ref = {
      connectionId: call.requestParameters.vpcPeeringConnectionId,
      account,
      region: call.awsRegion,
    };
    return { kind: "connection", ref, eventName };
  }
  if (CIDR_CALLS.has(eventName)) {
    const parsed = VpcCidrCallSchema.safeParse(event);
    if (!parsed.success) return { kind: "invalid", reason: describeIssues(parsed.error.issues) };
    const { account, detail: call } = parsed.data;
    const id = call.responseElements?.vpcId ?? call.requestParameters?.vpcId;
    if (!id) return { kind: "invalid", reason: "detail: names no VPC id" };
    return { kind: "vpc", vpc: { vpcId: id, account, region: call.awsRegion }, eventName };
  }
  return {
    kind: "ignored",
    reason: clip(`${detail.eventSource} ${eventName} is not a peering or VPC CIDR change`),
  };
}
