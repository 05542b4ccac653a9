import * as z from "zod";

/**
 * The custom notification format of Amazon Q Developer in chat applications (formerly AWS Chatbot), as
 * its administrator guide documents it ("Custom notifications using Amazon Q Developer in chat
 * applications", event schema and parameter details):
 * - `version` (required) must be "1.0"; `source` (required) must be "custom"; `id` is optional;
 * - `content.textType` is optional and only "client-markdown" is supported; `content.title` is optional;
 *   `content.description` is the text shown; `nextSteps` and `keywords` are lists of strings;
 * - `metadata` is optional: `threadId`, `summary`, `eventType`, `relatedResources` (strings) and
 *   `additionalContext` (string values under keys of your own).
 * No other member is part of the format, so none is accepted here.
 *
 * The custom actions a channel attaches to a notification (API reference, CustomActionAttachment) match
 * its type against `[a-zA-Z0-9-]+` (at most 100 characters) and read variables whose values match
 * `[\x21-\x7F]+` (at most 1,024 characters) under keys matching `[A-Za-z0-9-_]+` (at most 100): the
 * metadata is held to those so that a custom action can use any of it.
 */
export const CustomNotificationSchema = z.strictObject({
  version: z.literal("1.0"),
  source: z.literal("custom"),
  id: z.string().min(1).optional(),
  content: z.strictObject({
    textType: z.literal("client-markdown").optional(),
    title: z.string().min(1).optional(),
    description: z.string().min(1),
    nextSteps: z.array(z.string().min(1)).optional(),
    keywords: z.array(z.string().min(1)).optional(),
  }),
  metadata: z
    .strictObject({
      threadId: z.string().min(1).optional(),
      summary: z.string().min(1).optional(),
      eventType: z
        .string()
        .regex(/^[a-zA-Z0-9-]+$/)
        .max(100)
        .optional(),
      relatedResources: z.array(z.string().min(1)).optional(),
      additionalContext: z
        .record(
          z
            .string()
            .regex(/^[A-Za-z0-9-_]+$/)
            .max(100),
          z
            .string()
            .regex(/^[\x21-\x7F]+$/)
            .max(1024),
        )
        .optional(),
    })
    .optional(),
});

/**
 * Bounds of the service's own, stricter than the format: the description fits the smallest text block a
 * chat platform renders it into (a Slack section holds 3,000 characters), the title and each next step
 * fit on a line or two.
 */
export const BoundedNotificationSchema = CustomNotificationSchema.extend({
  content: CustomNotificationSchema.shape.content.extend({
    title: z.string().min(1).max(150),
    description: z.string().min(1).max(3_000),
    nextSteps: z.array(z.string().min(1).max(300)).max(5),
  }),
});
