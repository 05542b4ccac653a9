import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { ParsedResult } from "@aws-lambda-powertools/parser/types";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type CloudTrailApiCall, CloudTrailApiCallSchema } from "../shared/events/cloudtrail-api-call";
import { describeIssues, InvalidEventError } from "../shared/events/invalid-event-error";
import { toPeeringRequest } from "../shared/events/peering-request";
import { logger } from "../shared/log";
import { accountOfFunction, workflowContext } from "../shared/runtime";
import { type HandleResult, handleConnection } from "../shared/workflow/handle-connection";

/** CreateVpcPeeringConnection (CloudTrail via EventBridge): decide the request and carry it out. */
async function onPeeringRequest(
  event: ParsedResult<unknown, CloudTrailApiCall>,
  context: Context,
): Promise<HandleResult | { kind: "ignored"; reason: string }> {
  if (!event.success) {
    throw new InvalidEventError(eventId(event.originalEvent), describeIssues(event.error.cause as Issues));
  }
  const request = toPeeringRequest(event.data);
  if (request.kind === "invalid") throw new InvalidEventError(event.data.id, request.reason);
  if (request.kind === "ignored") {
    logger.info("event ignored", { eventId: event.data.id, reason: request.reason });
    return request;
  }

  const result = await handleConnection(
    request.ref,
    workflowContext(accountOfFunction(context.invokedFunctionArn)),
  );
  if (result.kind === "skipped") {
    logger.info("connection left alone", { ...result.ref, reason: result.reason });
    return result;
  }
  if (result.failure) {
    logger.error("decision", { decision: result.record });
    throw result.failure;
  }
  logger.info("decision", { decision: result.record });
  return result;
}

// The parser reports Standard Schema issues as the ParseError's cause.
type Issues = Parameters<typeof describeIssues>[0];

function eventId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

export const handler = middy(onPeeringRequest)
  .use(injectLambdaContext(logger))
  .use(parser({ schema: CloudTrailApiCallSchema, safeParse: true }));
