// The namespace import lets esbuild drop the parts of zod the functions never use (its locales, most of all).
import * as z from "zod";

/**
 * The EventBridge envelope, as Powertools' EventBridgeSchema defines it; written here because importing
 * that schema brings in the whole of zod.
 */
export const EventBridgeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  "detail-type": z.string(),
  detail: z.unknown(),
  "replay-name": z.string().optional(),
});

/**
 * An EC2 API call recorded by CloudTrail and delivered by EventBridge. Only what every such event
 * carries is required; the call's own parameters are checked by the schema for that call.
 */
// Present in every recorded call, null when the call has none; absent only in a malformed event.
const presentOrNull = z
  .unknown()
  .refine((value) => value !== undefined, "must be present (null when the call has none)");

export const CloudTrailApiCallSchema = EventBridgeSchema.extend({
  // Only CloudTrail records of API calls qualify; anything else that reaches a rule is malformed.
  source: z.string().startsWith("aws.", "must be an AWS service source such as aws.ec2"),
  "detail-type": z.literal("AWS API Call via CloudTrail"),
  detail: z.object({
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string(),
    // Who made the call, and in which account: kept for the handlers that read them (a person's answer
    // is attributed to its caller), each of which checks them in its own schema.
    userIdentity: z.unknown().optional(),
    recipientAccountId: z.unknown().optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    requestParameters: presentOrNull,
    responseElements: presentOrNull,
  }),
});

export type CloudTrailApiCall = z.infer<typeof CloudTrailApiCallSchema>;
