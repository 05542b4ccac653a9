import type { AuditPublisher } from "../aws/publish/audit-publisher";
import { logger } from "../log";
import type { DecisionRecord } from "./decision-record";
import type { HandleResult } from "./handle-connection";

/**
 * Logs every result (one record per decision), publishes the decisions, then (for an event) fails with
 * the first failure so that the invocation is retried; all of them are in the log by then. A sweep
 * publishes only decisions that changed something, so that a steady state is quiet, and does not fail:
 * its next run retries, and its summary counts the failures.
 */
export async function reportResults(
  results: HandleResult[],
  publisher: AuditPublisher,
  options: { onlyChanges: boolean; rethrow: boolean },
): Promise<void> {
  for (const result of results) logResult(result);
  const published = publishedRecords(results, options);
  try {
    await publisher.publishDecisions(published);
  } catch (error) {
    // The decisions are in the log already; say which ones the bus did not get, then fail for a retry.
    logger.error("audit events not published", { connections: published.map((r) => r.connectionId), error });
    throw error;
  }
  if (!options.rethrow) return;
  for (const result of results) if (result.kind !== "skipped" && result.failure) throw result.failure;
}

/** The records a trigger publishes: an event, every decision; a sweep, those that changed something. */
export function publishedRecords(
  results: HandleResult[],
  options: { onlyChanges: boolean },
): DecisionRecord[] {
  const records = results.flatMap((r) => (r.kind === "decided" ? [r.record] : []));
  return options.onlyChanges ? records.filter((r) => r.changed) : records;
}

function logResult(result: HandleResult): void {
  if (result.kind === "skipped") {
    logger.info("connection left alone", { ...result.ref, reason: result.reason });
  } else if (result.kind === "failed") {
    logger.error("connection not decided", { ...result.ref, error: result.failure });
  } else if (result.failure) {
    logger.error("decision", { decision: result.record });
  } else {
    logger.info("decision", { decision: result.record });
  }
}
