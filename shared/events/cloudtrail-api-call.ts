import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { z } from "zod";

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
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    requestParameters: presentOrNull,
    responseElements: presentOrNull,
  }),
});

export type CloudTrailApiCall = z.infer<typeof CloudTrailApiCallSchema>;
