import { throttledAnswers } from "../shared/aws/sessions/throttled-answers";
import { InvalidEventError } from "../shared/events/invalid-event-error";
import { toLifecycleEvent } from "../shared/events/lifecycle-event";
import { cloudTrailHandler } from "../shared/lambda/cloudtrail-handler";
import { logger } from "../shared/log";
import { decisionMetrics } from "../shared/metrics/decision-metrics";
import { invocationMetrics, recordMetrics } from "../shared/metrics/metrics";
import { handleConnection } from "../shared/workflow/handle-connection";
import { reportResults } from "../shared/workflow/report-results";

/**
 * AcceptVpcPeeringConnection (a person accepted by hand), RejectVpcPeeringConnection and
 * DeleteVpcPeeringConnection: re-decide the connection, which routes an approved one and cleans up
 * after a dead one.
 */
export const handler = cloudTrailHandler(async (event, { workflow, publisher }) => {
  const change = toLifecycleEvent(event);
  if (change.kind === "invalid") throw new InvalidEventError(event.id, change.reason);
  if (change.kind !== "connection") {
    const reason =
      change.kind === "ignored" ? change.reason : `${change.eventName} is handled by onVpcCidrChange`;
    logger.info("event ignored", { eventId: event.id, reason });
    return { kind: "ignored", reason };
  }
  const result = await handleConnection(change.ref, workflow);
  recordMetrics(decisionMetrics([result], { onlyChanges: false, now: new Date() }));
  await reportResults([result], publisher, { onlyChanges: false, rethrow: true });
  return result;
}).use(invocationMetrics(throttledAnswers));
