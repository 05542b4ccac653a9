import * as z from "zod";

/**
 * A batch of SQS messages as Lambda's event source mapping hands it to a function, reduced to what the
 * service reads; written here, as the EventBridge envelope is, so that zod's locales stay out of the bundle.
 */
export const SqsBatchSchema = z.object({
  Records: z.array(
    z.object({
      messageId: z.string(),
      // An EventBridge rule with an SQS target puts the whole event, as JSON, in the body.
      body: z.string(),
    }),
  ),
});

export type SqsBatch = z.infer<typeof SqsBatchSchema>;
export type SqsMessage = SqsBatch["Records"][number];
