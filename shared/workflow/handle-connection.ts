import { ConnectionNotFoundError, RouteFailuresError } from "../aws/aws-errors";
import { carryOut, type Outcome } from "../aws/carry-out";
import { readConnection, readDecisionFacts } from "../aws/read-facts";
import type { AwsSessions } from "../aws/sessions";
import type { WaitBounds } from "../aws/waiters";
import { decide } from "../decision/decide";
import { isInRemit } from "../policy/match-rule";
import type { Policy } from "../policy/schema";
import { type DecisionRecord, toDecisionRecord } from "./decision-record";

/** A connection as an event or a sweep names it: enough to find it, nothing to trust. */
export interface ConnectionRef {
  connectionId: string;
  accepterAccount: string;
  accepterRegion: string;
}

export interface WorkflowContext {
  policy: Policy;
  sessions: AwsSessions;
  waits: { visible: WaitBounds; active: WaitBounds };
  now: () => Date;
}

export type HandleResult =
  | { kind: "skipped"; ref: ConnectionRef; reason: string }
  | { kind: "decided"; record: DecisionRecord; failure?: Error };

/**
 * The flow of one request: check the remit, re-read the connection in the accepter account and
 * region, read both sides' facts, decide, carry the decision out. Failures after the decision are
 * returned with the record, so the record is logged before the invocation fails.
 */
export async function handleConnection(ref: ConnectionRef, ctx: WorkflowContext): Promise<HandleResult> {
  const { connectionId, accepterAccount: account, accepterRegion: region } = ref;
  if (!isInRemit(ctx.policy, account, region)) {
    return {
      kind: "skipped",
      ref,
      reason: `accepter account ${account} region ${region} is not named in the policy`,
    };
  }

  let connection: Awaited<ReturnType<typeof readConnection>>;
  try {
    connection = await readConnection(ctx.sessions, { connectionId, account, region }, ctx.waits.visible);
  } catch (error) {
    if (error instanceof ConnectionNotFoundError) return { kind: "skipped", ref, reason: error.message };
    throw error;
  }
  // The event only pointed here; if EC2 says this account is not the accepter, there is nothing to accept.
  if (connection.accepter.account !== account || connection.accepter.region !== region) {
    const actual = `${connection.accepter.account} ${connection.accepter.region}`;
    return {
      kind: "skipped",
      ref,
      reason: `the connection's accepter is ${actual}, not ${account} ${region}`,
    };
  }

  const facts = await readDecisionFacts(ctx.sessions, connection);
  const decision = decide(facts, ctx.policy);
  let outcome: Outcome | undefined;
  try {
    outcome = await carryOut(decision, {
      sessions: ctx.sessions,
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
  const failed = outcome.routes.flatMap((r) =>
    r.result === "failed" ? [`${r.route.routeTableId} ${r.route.destination}: ${r.error}`] : [],
  );
  const failure = failed.length > 0 ? new RouteFailuresError(connectionId, failed) : undefined;
  return {
    kind: "decided",
    record: toDecisionRecord(decision, outcome, failure),
    ...(failure && { failure }),
  };
}
