import { throttledAnswers } from "../shared/aws/sessions/throttled-answers";
import { InvalidEventError } from "../shared/events/invalid-event-error";
import { toPeeringRequest } from "../shared/events/peering-request";
import { cloudTrailHandler } from "../shared/lambda/cloudtrail-handler";
import { logger } from "../shared/log";
import { decisionMetrics } from "../shared/metrics/decision-metrics";
import { invocationMetrics, recordMetrics } from "../shared/metrics/metrics";
import { handleConnection } from "../shared/workflow/handle-connection";
import { reportResults } from "../shared/workflow/report-results";

/** CreateVpcPeeringConnection: decide the request by policy and carry the decision out. */
export const handler = cloudTrailHandler(async (event, { workflow, publisher }) => {
  const request = toPeeringRequest(event);
  if (request.kind === "invalid") throw new InvalidEventError(event.id, request.reason);
  if (request.kind === "ignored") {
    logger.info("event ignored", { eventId: event.id, reason: request.reason });
    return request;
  }
  const result = await handleConnection(request.ref, workflow);
  recordMetrics(decisionMetrics([result], { onlyChanges: false, now: new Date() }));
  await reportResults([result], publisher, { onlyChanges: false, rethrow: true });
  return result;
}).use(invocationMetrics(throttledAnswers));
