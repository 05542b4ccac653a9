import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { ParsedResult } from "@aws-lambda-powertools/parser/types";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type CloudTrailApiCall, CloudTrailApiCallSchema } from "../events/cloudtrail-api-call";
import { describeIssues, InvalidEventError } from "../events/invalid-event-error";
import { logger } from "../log";
import { accountOfFunction, type Runtime, serviceRuntime } from "../runtime";

// The parser reports Standard Schema issues as the ParseError's cause.
type Issues = Parameters<typeof describeIssues>[0];

/**
 * A Lambda handler for CloudTrail API-call events: structured logs with the Lambda context, the
 * envelope validated by the Powertools parser (a malformed event fails with a clear error before
 * anything reaches AWS), and the service runtime of this container.
 */
export function cloudTrailHandler<R>(handle: (event: CloudTrailApiCall, runtime: Runtime) => Promise<R>) {
  return middy(async (event: ParsedResult<unknown, CloudTrailApiCall>, context: Context) => {
    if (!event.success) {
      throw new InvalidEventError(eventId(event.originalEvent), describeIssues(event.error.cause as Issues));
    }
    return handle(event.data, serviceRuntime(accountOfFunction(context.invokedFunctionArn)));
  })
    .use(injectLambdaContext(logger))
    .use(parser({ schema: CloudTrailApiCallSchema, safeParse: true }));
}

function eventId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}
