import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { ParsedResult } from "@aws-lambda-powertools/parser/types";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type CloudTrailApiCall, CloudTrailApiCallSchema } from "../events/cloudtrail-api-call";
import { clip, describeIssues, InvalidEventError } from "../events/invalid-event-error";
import { type SqsBatch, SqsBatchSchema, type SqsMessage } from "../events/sqs-batch";
import { logger } from "../log";
import { accountOfFunction, type Runtime, serviceRuntime } from "../runtime";

// The parser reports Standard Schema issues as the ParseError's cause.
type Issues = Parameters<typeof describeIssues>[0];

/**
 * A Lambda handler for CloudTrail API-call events that EventBridge put on an SQS queue: structured logs
 * with the Lambda context, the batch validated by the Powertools parser and each message's event by the
 * CloudTrail schema (a malformed event fails with a clear error before anything reaches AWS), and the
 * service runtime of this container.
 *
 * The queues hand over one message at a time (serverless.yml). Should a batch hold more, its events are
 * handled in order and the first failure fails the invocation, so that the whole batch is retried: every
 * step is idempotent, so what had been done is found done.
 */
export function cloudTrailHandler<R>(handle: (event: CloudTrailApiCall, runtime: Runtime) => Promise<R>) {
  return middy(async (batch: ParsedResult<unknown, SqsBatch>, context: Context): Promise<R[]> => {
    if (!batch.success) {
      throw new InvalidEventError(
        undefined,
        `not an SQS batch: ${describeIssues(batch.error.cause as Issues)}`,
      );
    }
    const runtime = serviceRuntime(accountOfFunction(context.invokedFunctionArn));
    const results: R[] = [];
    for (const message of batch.data.Records) results.push(await handle(cloudTrailEvent(message), runtime));
    return results;
  })
    .use(injectLambdaContext(logger))
    .use(parser({ schema: SqsBatchSchema, safeParse: true }));
}

/** The CloudTrail event a message carries, validated. */
function cloudTrailEvent(message: SqsMessage): CloudTrailApiCall {
  let event: unknown;
  try {
    event = JSON.parse(message.body);
  } catch {
    throw new InvalidEventError(undefined, `message ${message.messageId} is not JSON: ${clip(message.body)}`);
  }
  const parsed = CloudTrailApiCallSchema.safeParse(event);
  if (!parsed.success) throw new InvalidEventError(eventId(event), describeIssues(parsed.error.issues));
  return parsed.data;
}

function eventId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}
