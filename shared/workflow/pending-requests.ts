import { listConnections } from "../aws/find-connections";
import type { AwsSessions } from "../aws/sessions";
import { toPeeringConnection } from "../aws/to-facts";
import { settleWithConcurrency } from "../concurrency";
import { decide } from "../decision/decide";
import type { Decision } from "../decision/decision";
import type { Policy } from "../policy/schema";
import { assignConnections, type Listing } from "./sweep/assign";
import { readSnapshot } from "./sweep/read-snapshot";
import { factsFromSnapshot } from "./sweep/snapshot";
import type { SweepTarget } from "./sweep-targets";

const PENDING = ["pending-acceptance"];

export interface PendingContext {
  policy: Policy;
  sessions: AwsSessions;
  /** Account-regions read at once. */
  concurrency: number;
  now: () => Date;
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
 * Every pending request in these accepter account-regions, read as the reconciler reads them (one
 * paginated listing per account-region, the snapshot of route tables and accepter CIDRs) and decided
 * with `decide`. Read-only: nothing is carried out. A request is taken from its accepter's own
 * listing, as the reconciler takes it; one account-region's failure does not stop the others.
 */
export async function readPendingRequests(
  ctx: PendingContext,
  targets: readonly SweepTarget[],
): Promise<PendingRequests> {
  const failures: PendingReadFailure[] = [];
  const listed = await settleWithConcurrency(targets, ctx.concurrency, (target) =>
    listConnections(ctx.sessions.ec2(target.account, target.region), PENDING),
  );
  const listings: Listing[] = [];
  for (const result of listed) {
    if (result.status === "fulfilled")
      listings.push({ target: result.item, connections: result.value.map(toPeeringConnection) });
    else failures.push({ ...result.item, error: asError(result.reason) });
  }

  const { listed: items } = assignConnections(ctx.policy, targets, listings);
  const snapshot = await readSnapshot(
    ctx.sessions,
    listings.map((listing) => listing.target),
    items.map((item) => item.connection),
    ctx.concurrency,
  );
  const readAt = ctx.now();
  const requests: PendingRequest[] = [];
  for (const { target, connection } of items) {
    const read = factsFromSnapshot(snapshot, connection, readAt);
    if ("error" in read) failures.push({ ...target, connectionId: connection.id, error: read.error });
    else requests.push({ target, decision: decide(read.facts, ctx.policy), readAt: readAt.toISOString() });
  }
  return { requests, failures };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
