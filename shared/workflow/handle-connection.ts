import { ConnectionNotFoundError, PartialFailureError } from "../aws/aws-errors";
import { carryOut, type Outcome } from "../aws/carry-out";
import { readConnection, readDecisionFacts } from "../aws/read-facts";
import type { AwsSessions } from "../aws/sessions";
import type { WaitBounds } from "../aws/waiters";
import { decide } from "../decision/decide";
import { accountsNamed, isInRemit } from "../policy/match-rule";
import type { Policy } from "../policy/schema";
import { type DecisionRecord, toDecisionRecord } from "./decision-record";

/**
 * A connection as an event or a sweep names it, and where to look it up: enough to find it, nothing
 * to trust. For a request that is the accepter's account and region; for a deletion, whichever side
 * made the call.
 */
export interface ConnectionRef {
  connectionId: string;
  account: string;
  region: string;
}

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
 * The flow of one connection: check the remit, re-read the connection from EC2, read both sides'
 * facts, decide, carry the decision out. Failures after the decision are returned with the record,
 * so that the record is logged before the invocation fails.
 */
export async function handleConnection(ref: ConnectionRef, ctx: WorkflowContext): Promise<HandleResult> {
  const { policy, sessions } = ctx;
  if (!isInRemit(policy, ref.account, ref.region) && !accountsNamed(policy).has(ref.account)) {
    return {
      kind: "skipped",
      ref,
      reason: `account ${ref.account} region ${ref.region} is not named in the policy`,
    };
  }

  let connection: Awaited<ReturnType<typeof readConnection>>;
  try {
    connection = await readConnection(sessions, ref, ctx.waits.visible);
    const { accepter } = connection;
    const accepterInRemit = isInRemit(policy, accepter.account, accepter.region);
    if (connection.status === "pending-acceptance" && !accepterInRemit) {
      const reason = `the connection's accepter is ${accepter.account} ${accepter.region}, which the policy does not name`;
      return { kind: "skipped", ref, reason };
    }
    // Accepting, rejecting and tagging happen on the accepter's side: decide on what it sees.
    if (accepterInRemit && (accepter.account !== ref.account || accepter.region !== ref.region)) {
      const where = { connectionId: ref.connectionId, account: accepter.account, region: accepter.region };
      connection = await readConnection(sessions, where, ctx.waits.visible);
    }
  } catch (error) {
    if (error instanceof ConnectionNotFoundError) return { kind: "skipped", ref, reason: error.message };
    throw error;
  }

  const facts = await readDecisionFacts(sessions, connection);
  const decision = decide(facts, policy);
  let outcome: Outcome;
  try {
    outcome = await carryOut(decision, {
      sessions,
      activeWait: ctx.waits.active,
      currentTags: connection.tags,
      now: ctx.now(),
    });
  } catch (error) {
    return {
      kind: "decided",
      record: toDecisionRecord(decision, undefined, error as Error),
      failure: error as Error,
    };
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
