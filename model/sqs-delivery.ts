import type { Context } from "aws-lambda";

/** A function as Lambda's SQS event source mapping invokes it. */
export type QueuedFunction = (batch: unknown, context: Context) => Promise<unknown>;

let delivered = 0;

/**
 * The batch an SQS event source mapping hands a function for one event that an EventBridge rule put on
 * the queue: the event, as JSON, is the message body. Only the fields the service reads are realistic.
 */
export function sqsBatch(...events: unknown[]) {
  return {
    Records: events.map((event) => {
      delivered += 1;
      return {
        messageId: `00000000-0000-4000-8000-${String(delivered).padStart(12, "0")}`,
        receiptHandle: `model-receipt-${delivered}`,
        body: JSON.stringify(event),
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:111111111111:peering-autopilot-model-queue",
        awsRegion: "us-east-1",
      };
    }),
  };
}

/**
 * Delivers one event through its queue, as production does (one message per batch), and answers what
 * the function made of that event: the single result of an event function; the reconciler's summary.
 */
export async function deliverQueued(fn: QueuedFunction, event: unknown, context: Context): Promise<unknown> {
  const answer = await fn(sqsBatch(event), context);
  return Array.isArray(answer) ? answer[0] : answer;
}
