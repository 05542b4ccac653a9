import { CarryOutError, PartialFailureError } from "../aws/carry-out/carry-out-errors";
import type { CarriedOut } from "../aws/carry-out/jobs";
import { ConnectionNotFoundError, NotDecidedError } from "../aws/read/read-errors";
import type { WaitBounds } from "../aws/read/waiters";
import type { AwsSessions } from "../aws/sessions/sessions";
import { decide } from "../decision/decide";
import type { Decision } from "../decision/decision";
import type { ConnectionRef } from "../events/connection-ref";
import type { Quotas } from "../facts";
import type { Policy } from "../policy/schema";
import { type CarryOutStrategy, inAws } from "./carry-out-strategy";
import { type DecisionRecord, toDecisionRecord } from "./decision-record";
import { readForDecision } from "./read-for-decision";

export interface WorkflowContext {
  policy: Policy;
  sessions: AwsSessions;
  waits: { visible: WaitBounds; active: WaitBounds };
  now: () => Date;
  /** Checked before a request is accepted (see readForDecision); none given, none checked. */
  quotas?: Quotas;
  /** In AWS unless given: `peering plan` carries decisions out on paper. */
  carryOut?: CarryOutStrategy;
}

export type HandleResult =
  | { kind: "skipped"; ref: ConnectionRef; reason: string }
  | { kind: "decided"; decision: Decision; record: DecisionRecord; failure?: Error }
  /** Failed before a decision could be made (e.g. throttled beyond the SDK's retries while reading). */
  | { kind: "failed"; ref: ConnectionRef; failure: Error };

/**
 * The flow of one connection: read what a decision needs (see readForDecision), decide, carry the
 * decision out. Failures after the decision are returned with the record, so that the record is logged
 * before the invocation fails.
 */
export async function handleConnection(ref: ConnectionRef, ctx: WorkflowContext): Promise<HandleResult> {
  let read: Awaited<ReturnType<typeof readForDecision>>;
  try {
    read = await readForDecision(ref, ctx);
  } catch (error) {
    if (error instanceof ConnectionNotFoundError) return { kind: "skipped", ref, reason: error.message };
    // Throttled, failing or unreachable while reading: nothing was decided, and the record says so.
    return { kind: "failed", ref, failure: new NotDecidedError(ref.connectionId, error) };
  }
  if (read.kind === "skipped") return { kind: "skipped", ref, reason: read.reason };
  const { facts } = read;
  const decision = decide(facts, ctx.policy);
  const results = await (ctx.carryOut ?? inAws).carryOutAll(
    [{ decision, currentTags: facts.connection.tags }],
    {
      sessions: ctx.sessions,
      activeWait: ctx.waits.active,
      now: ctx.now(),
    },
  );
  // carryOutAll answers one result per decision given.
  return decidedResult(decision, results[0] as CarriedOut);
}

/** A decision and what carrying it out did, as a result: a step that stopped it, or the changes not made. */
export function decidedResult(decision: Decision, { outcome, error }: CarriedOut): HandleResult {
  if (error !== undefined) {
    // The error that ends the invocation must name the connection; the AWS layer's names the call.
    const failure = namesConnection(error, decision.connectionId)
      ? error
      : new CarryOutError(decision.connectionId, outcome, error);
    return { kind: "decided", decision, record: toDecisionRecord(decision, outcome, failure), failure };
  }
  const failed = [
    ...outcome.routes.flatMap((r) =>
      r.result === "failed" ? [`create ${r.route.routeTableId} ${r.route.destination}: ${r.error}`] : [],
    ),
    ...outcome.removed.flatMap((r) =>
      r.result === "failed" ? [`delete ${r.route.routeTableId} ${r.route.destination}: ${r.error}`] : [],
    ),
    ...outcome.dns.flatMap((d) => (d.result === "failed" ? [`dns ${d.change.side}: ${d.error}`] : [])),
    ...(outcome.securityGroupRules?.authorized ?? []).flatMap(({ rule, ...r }) =>
      r.result === "failed"
        ? [
            `authorize ${rule.groupId} ${rule.protocol} ${rule.fromPort}-${rule.toPort} ${rule.cidr}: ${r.error}`,
          ]
        : [],
    ),
    ...(outcome.securityGroupRules?.revoked ?? []).flatMap(({ rule, ...r }) =>
      r.result === "failed" ? [`revoke ${rule.groupId} ${rule.ruleId}: ${r.error}`] : [],
    ),
  ];
  const failure = failed.length > 0 ? new PartialFailureError(decision.connectionId, failed) : undefined;
  return {
    kind: "decided",
    decision,
    record: toDecisionRecord(decision, outcome, failure),
    ...(failure && { failure }),
  };
}

function namesConnection(error: unknown, connectionId: string): error is Error {
  return error instanceof Error && (error as { connectionId?: unknown }).connectionId === connectionId;
}
