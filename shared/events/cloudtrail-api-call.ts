import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { z } from "zod";

/**
 * An EC2 API call recorded by CloudTrail and delivered by EventBridge. Only what every such event
 * carries is required; the call's own parameters are checked by the schema for that call.
 */
export const CloudTrailApiCallSchema = EventBridgeSchema.extend({
  detail: z.object({
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    requestParameters: z.unknown(),
    responseElements: z.unknown(),
  }),
});

export type CloudTrailApiCall = z.infer<typeof CloudTrailApiCallSchema>;
