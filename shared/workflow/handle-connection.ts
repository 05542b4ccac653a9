import { type CarryOutError, ConnectionNotFoundError, PartialFailureError } from "../aws/aws-errors";
import { carryOut, type Outcome } from "../aws/carry-out";
import type { AwsSessions } from "../aws/sessions";
import type { WaitBounds } from "../aws/waiters";
import { decide } from "../decision/decide";
import type { Policy } from "../policy/schema";
import { type DecisionRecord, toDecisionRecord } from "./decision-record";
import { type ConnectionRef, readForDecision } from "./read-for-decision";

export type { ConnectionRef };

export interface WorkflowContext {
  policy: Policy;
  sessions: AwsSessions;
  waits: { visible: WaitBounds; active: WaitBounds };
  now: () => Date;
}

export type HandleResult =
  | { kind: "skipped"; ref: ConnectionRef; reason: string }
  | { kind: "decided"; record: DecisionRecord; failure?: Error }
  /** Failed before a decision could be made (e.g. throttled beyond the SDK's retries while reading). */
  | { kind: "failed"; ref: ConnectionRef; failure: Error };

/**
 * The flow of one connection: read what a decision needs (see readForDecision), decide, carry the
 * decision out. Failures after the decision are returned with the record, so that the record is logged
 * before the invocation fails.
 */
export async function handleConnection(ref: ConnectionRef, ctx: WorkflowContext): Promise<HandleResult> {
  const { policy, sessions } = ctx;
  let read: Awaited<ReturnType<typeof readForDecision>>;
  try {
    read = await readForDecision(ref, ctx);
  } catch (error) {
    if (error instanceof ConnectionNotFoundError) return { kind: "skipped", ref, reason: error.message };
    // Throttled, failing or unreachable while reading: nothing was decided, and the record says so.
    return { kind: "failed", ref, failure: error as Error };
  }
  if (read.kind === "skipped") return { kind: "skipped", ref, reason: read.reason };
  const { facts } = read;

  const decision = decide(facts, policy);
  let outcome: Outcome;
  try {
    outcome = await carryOut(decision, {
      sessions,
      activeWait: ctx.waits.active,
      currentTags: facts.connection.tags,
      now: ctx.now(),
    });
  } catch (error) {
    const stopped = error as CarryOutError;
    const failure = stopped.cause instanceof Error ? stopped.cause : stopped;
    return { kind: "decided", record: toDecisionRecord(decision, stopped.outcome, failure), failure };
  }
  const failed = [
    ...outcome.routes.flatMap((r) =>
      r.result === "failed" ? [`create ${r.route.routeTableId} ${r.route.destination}: ${r.error}`] : [],
    ),
    ...outcome.removed.flatMap((r) =>
      r.result === "failed" ? [`delete ${r.route.routeTableId} ${r.route.destination}: ${r.error}`] : [],
    ),
    ...outcome.dns.flatMap((d) => (d.result === "failed" ? [`dns ${d.change.side}: ${d.error}`] : [])),
  ];
  const failure = failed.length > 0 ? new PartialFailureError(ref.connectionId, failed) : undefined;
  return {
    kind: "decided",
    record: toDecisionRecord(decision, outcome, failure),
    ...(failure && { failure }),
  };
}
