import type { CloudTrailApiCall } from "./cloudtrail-api-call";
import type { ConnectionRef } from "./connection-ref";
import { CreatePeeringCallSchema } from "./create-peering-call";
import { clip, describeIssues } from "./invalid-event-error";

export type RequestEvent =
  | { kind: "request"; ref: ConnectionRef }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

/**
 * Reads which connection a CreateVpcPeeringConnection event is about and where it is accepted.
 * The call is made by the requester, so without `peerOwnerId`/`peerRegion` the accepter is the
 * event's own account and region.
 */
export function toPeeringRequest(event: CloudTrailApiCall): RequestEvent {
  const { detail } = event;
  if (detail.eventSource !== "ec2.amazonaws.com" || detail.eventName !== "CreateVpcPeeringConnection") {
    return {
      kind: "ignored",
      reason: clip(`${detail.eventSource} ${detail.eventName} is not a peering request`),
    };
  }
  // Any errorCode at all, even an empty one, marks a call that CloudTrail recorded as failed.
  if (detail.errorCode !== undefined) {
    return {
      kind: "ignored",
      reason: clip(`the call failed (${detail.errorCode}): no connection was created`),
    };
  }
  const parsed = CreatePeeringCallSchema.safeParse(event);
  if (!parsed.success) return { kind: "invalid", reason: describeIssues(parsed.error.issues) };

  const { account, detail: call } = parsed.data;
  const connection = call.responseElements.vpcPeeringConnection;
  return {
    kind: "request",
    ref: {
      connectionId: connection.vpcPeeringConnectionId,
      account: connection.accepterVpcInfo?.ownerId ?? call.requestParameters.peerOwnerId ?? account,
      region: connection.accepterVpcInfo?.region ?? call.requestParameters.peerRegion ?? call.awsRegion,
    },
  };
}
