import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { chunks } from "../../collections";
import { settleWithConcurrency } from "../../concurrency";
import { DETAIL_TYPES, EVENT_SOURCE } from "../../events/service-events";

// PutEvents takes at most ten entries per call.
const BATCH = 10;
// Well under EventBridge's PutEvents rate in every region.
const PUTS_IN_FLIGHT = 10;

/** What the publisher reads of a decision record; the whole record is the event's detail. */
export interface PublishedDecision {
  connectionId: string;
  rule?: string;
  findings: readonly string[];
  routes: { created: readonly object[]; removed: readonly object[] };
}

/** An audit event that EventBridge did not take. */
export class PublishError extends Error {
  override readonly name = "PublishError";

  constructor(
    readonly busName: string,
    readonly failures: string[],
  ) {
    super(`event bus ${busName} refused ${failures.length} audit event(s): ${failures.join("; ")}`);
  }
}

/**
 * Publishes decisions and route changes as custom events on the service's bus. Rules on that bus send
 * the ones marked `notify` (rejections, conflicts, findings outside policy) to the notification topic.
 * Without a bus name (local runs) nothing is published.
 */
export class AuditPublisher {
  constructor(
    private readonly busName: string | undefined,
    private readonly client: EventBridgeClient = new EventBridgeClient({
      retryMode: "adaptive",
      maxAttempts: 5,
    }),
  ) {}

  async publishDecisions(records: PublishedDecision[]): Promise<void> {
    await this.put(records.flatMap((record) => this.decisionEntries(record)));
  }

  async publishSummary(summary: object): Promise<void> {
    await this.put([this.entry(DETAIL_TYPES.reconcileSummary, summary)]);
  }

  private decisionEntries(record: PublishedDecision): PutEventsRequestEntry[] {
    const entries = [this.entry(DETAIL_TYPES.decision, { ...record, notify: record.findings.length > 0 })];
    const { created, removed } = record.routes;
    if (created.length > 0 || removed.length > 0) {
      const { connectionId, rule } = record;
      entries.push(this.entry(DETAIL_TYPES.routesChanged, { connectionId, rule, created, removed }));
    }
    return entries;
  }

  private entry(detailType: string, detail: object): PutEventsRequestEntry {
    return {
      Source: EVENT_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      EventBusName: this.busName,
    };
  }

  private async put(entries: PutEventsRequestEntry[]): Promise<void> {
    const busName = this.busName;
    if (!busName || entries.length === 0) return;
    // Batches go out together: a sweep's hundreds of records must not add a round trip each.
    const settled = await settleWithConcurrency(chunks(entries, BATCH), PUTS_IN_FLIGHT, async (batch) => {
      const result = await this.client.send(new PutEventsCommand({ Entries: batch }));
      return (result.Entries ?? []).flatMap((e, i) =>
        e.ErrorCode ? [`${batch[i]?.DetailType}: ${e.ErrorCode} ${e.ErrorMessage ?? ""}`.trim()] : [],
      );
    });
    const thrown = settled.find((s) => s.status === "rejected");
    if (thrown) throw thrown.reason;
    const failures = settled.flatMap((s) => (s.status === "fulfilled" ? s.value : []));
    if (failures.length > 0) throw new PublishError(busName, failures);
  }
}
