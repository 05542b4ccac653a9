import * as z from "zod";
import { APPROVAL_TAG } from "../decision/approval-tag";
import type { CloudTrailApiCall } from "./cloudtrail-api-call";
import type { ConnectionRef } from "./connection-ref";
import {
  AccountIdSchema as accountId,
  ConnectionIdSchema as connectionId,
  RegionSchema as region,
} from "./id-schemas";
import { clip, describeIssues } from "./invalid-event-error";

// Who answered ends up in a tag, a record and a notification: an ARN of a principal, of bounded length.
const principalArn = z
  .string()
  .max(2048)
  .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/, "must be an IAM or STS principal ARN");

// EC2 takes at most 1,000 resources and 50 tags in one CreateTags call; a longer list is no real call.
const CreateTagsCallSchema = z.object({
  detail: z.object({
    awsRegion: region,
    // The account the call was made in: a connection's tags are that account's view of it.
    recipientAccountId: accountId,
    userIdentity: z.object({ arn: principalArn.optional() }).optional(),
    requestParameters: z.object({
      resourcesSet: z.object({ items: z.array(z.object({ resourceId: z.string() })).max(1000) }),
      tagSet: z.object({ items: z.array(z.object({ key: z.string() })).max(50) }),
    }),
  }),
});

export type ApprovalTagEvent =
  | { kind: "answers"; refs: ConnectionRef[] }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

/**
 * The connections a person answered by tagging them with `peering-approval`, and who did. The tag's
 * value is not read from the event: anyone who can put events on the bus could forge it, so the
 * connection and its tags are re-read from EC2 before anything is decided.
 */
export function toApprovalTagEvent(event: CloudTrailApiCall): ApprovalTagEvent {
  const { detail } = event;
  if (detail.eventSource !== "ec2.amazonaws.com" || detail.eventName !== "CreateTags") {
    return {
      kind: "ignored",
      reason: clip(`${detail.eventSource} ${detail.eventName} is not an EC2 CreateTags call`),
    };
  }
  // Any errorCode at all, even an empty one, marks a call that CloudTrail recorded as failed.
  if (detail.errorCode !== undefined) {
    return { kind: "ignored", reason: clip(`the call failed (${detail.errorCode}): no tag was set`) };
  }
  const parsed = CreateTagsCallSchema.safeParse(event);
  if (!parsed.success) return { kind: "invalid", reason: describeIssues(parsed.error.issues) };

  const call = parsed.data.detail;
  // EventBridge stamps the account an event came from; a CloudTrail record of another account's call
  // would attribute someone else's answer.
  if (event.account !== call.recipientAccountId) {
    return {
      kind: "invalid",
      reason: `the call was made in account ${call.recipientAccountId} but the event came from account ${event.account}`,
    };
  }
  if (!call.requestParameters.tagSet.items.some((tag) => tag.key === APPROVAL_TAG)) {
    return { kind: "ignored", reason: `no ${APPROVAL_TAG} tag was set` };
  }
  const ids = call.requestParameters.resourcesSet.items
    .map((item) => item.resourceId)
    .filter((id) => id.startsWith("pcx-"));
  if (ids.length === 0) return { kind: "ignored", reason: "no peering connection was tagged" };
  const checked = z.array(connectionId).safeParse(ids);
  if (!checked.success) {
    return {
      kind: "invalid",
      reason: `detail.requestParameters.resourcesSet: ${describeIssues(checked.error.issues)}`,
    };
  }
  const by = call.userIdentity?.arn;
  return {
    kind: "answers",
    refs: [...new Set(checked.data)].map((id) => ({
      connectionId: id,
      account: call.recipientAccountId,
      region: call.awsRegion,
      ...(by !== undefined && { answeredBy: by }),
    })),
  };
}
