import { throttledAnswers } from "../shared/aws/sessions/throttled-answers";
import { toApprovalTagEvent } from "../shared/events/approval-tag-event";
import { InvalidEventError } from "../shared/events/invalid-event-error";
import { cloudTrailHandler } from "../shared/lambda/cloudtrail-handler";
import { logger } from "../shared/log";
import { decisionMetrics } from "../shared/metrics/decision-metrics";
import { invocationMetrics, recordMetrics } from "../shared/metrics/metrics";
import { type HandleResult, handleConnection } from "../shared/workflow/handle-connection";
import { reportResults } from "../shared/workflow/report-results";

/**
 * CreateTags with `peering-approval` on peering connections: a person answered a request parked for
 * approval. Each connection is decided again from what EC2 shows, its tags included.
 */
export const handler = cloudTrailHandler(async (event, { workflow, publisher }) => {
  const tagged = toApprovalTagEvent(event);
  if (tagged.kind === "invalid") throw new InvalidEventError(event.id, tagged.reason);
  if (tagged.kind === "ignored") {
    logger.info("event ignored", { eventId: event.id, reason: tagged.reason });
    return tagged;
  }
  const results: HandleResult[] = [];
  for (const ref of tagged.refs) results.push(await handleConnection(ref, workflow));
  recordMetrics(decisionMetrics(results, { onlyChanges: false, now: new Date() }));
  await reportResults(results, publisher, { onlyChanges: false, rethrow: true });
  return results;
}).use(invocationMetrics(throttledAnswers));
