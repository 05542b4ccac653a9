import type { AwsSessions } from "../aws/sessions/sessions";
import { decide } from "../decision/decide";
import type { Decision } from "../decision/decision";
import type { Quotas } from "../facts";
import type { Policy } from "../policy/schema";
import { targetKey } from "./sweep/assign";
import { readSweep } from "./sweep/read-sweep";
import { factsFromSnapshot } from "./sweep/snapshot";
import type { SweepTarget } from "./sweep-targets";

export interface PendingContext {
  policy: Policy;
  sessions: AwsSessions;
  /** Account-regions read at once. */
  concurrency: number;
  now: () => Date;
  /** Checked before a request is accepted, as the service checks them. */
  quotas?: Quotas;
}

/** A pending request and what the service would decide about it, from facts read at `readAt`. */
export interface PendingRequest {
  target: SweepTarget;
  decision: Decision;
  /** ISO 8601. */
  readAt: string;
}

/** An account-region that could not be listed (no connectionId), or a request whose facts could not be read. */
export interface PendingReadFailure {
  account: string;
  region: string;
  connectionId?: string;
  error: Error;
}

export interface PendingRequests {
  requests: PendingRequest[];
  failures: PendingReadFailure[];
}

/**
 * Every pending request in these accepter account-regions, read as the reconciler's pending pass reads
 * them (one paginated listing per account-region, then only the pending requests' VPCs) and decided
 * with `decide`. Read-only: nothing is carried out. A request is taken from its accepter's own
 * listing, as the reconciler takes it; one account-region's failure does not stop the others.
 */
export async function readPendingRequests(
  ctx: PendingContext,
  targets: readonly SweepTarget[],
): Promise<PendingRequests> {
  const { listingErrors, assignment, snapshot } = await readSweep(ctx.sessions, ctx.policy, targets, {
    pass: "pending",
    concurrency: ctx.concurrency,
  });
  const failures: PendingReadFailure[] = targets.flatMap((target) => {
    const key = targetKey(target);
    return listingErrors.has(key) ? [{ ...target, error: asError(listingErrors.get(key)) }] : [];
  });
  const readAt = ctx.now();
  const requests: PendingRequest[] = [];
  for (const { target, connection } of assignment.listed) {
    const read = factsFromSnapshot(snapshot, connection, readAt, ctx.quotas);
    if ("error" in read) failures.push({ ...target, connectionId: connection.id, error: read.error });
    else requests.push({ target, decision: decide(read.facts, ctx.policy), readAt: readAt.toISOString() });
  }
  return { requests, failures };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
