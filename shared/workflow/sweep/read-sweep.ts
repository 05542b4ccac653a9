import type { VpcPeeringConnection } from "@aws-sdk/client-ec2";
import { listConnections } from "../../aws/read/find-connections";
import { activePeeringsByVpc, countActivePeerings } from "../../aws/read/read-active-peerings";
import { toPeeringConnection } from "../../aws/read/to-facts";
import type { AwsSessions } from "../../aws/sessions/sessions";
import { groupBy } from "../../collections";
import { type Settled, settleWithConcurrency } from "../../concurrency";
import type { SweepPass } from "../../events/sweep-message";
import type { PeeringConnection } from "../../facts";
import { readsSubnets } from "../../policy/reach";
import type { Policy } from "../../policy/schema";
import { groupsToRead } from "../../policy/security-groups";
import type { SweepTarget } from "../sweep-targets";
import { type Assignment, assignConnections, type Listing, targetKey } from "./assign";
import { readSnapshot } from "./read-snapshot";
import { type BulkRead, copySnapshot, type SweepSnapshot } from "./snapshot";

const LISTED_STATUSES: Record<SweepPass, string[]> = {
  full: ["pending-acceptance", "active", "deleted", "rejected", "expired", "failed"],
  pending: ["pending-acceptance"],
};

/** What a pass reads before it decides anything. */
export interface SweepRead {
  listings: Listing[];
  /** The account-regions that could not be listed, by key, and why. */
  listingErrors: Map<string, unknown>;
  assignment: Assignment;
  snapshot: SweepSnapshot;
}

/**
 * One paginated listing per account-region (of every connection, or of pending requests only), who
 * decides which connection, and the bulk reads their decisions need. The full pass also reads every
 * route table of each listed account-region, where orphan routes are looked for; the pending pass
 * reads only the pending requests' VPCs, and nothing when nothing is pending. The pending requests'
 * accepter VPCs have their active connections counted (their quota is checked before accepting): from
 * the full pass's own listings, or with two listings per accepter account-region in the pending pass.
 */
export async function readSweep(
  sessions: AwsSessions,
  policy: Policy,
  targets: readonly SweepTarget[],
  options: { pass: SweepPass; concurrency: number },
): Promise<SweepRead> {
  const [read] = await readSweeps(sessions, [{ policy, targets }], options);
  // readSweeps answers one read per sweep given.
  return read as SweepRead;
}

/**
 * One read of the account-regions that several policies name (as readSweep reads them, each only
 * once), and each policy's view of it: its own listings, who decides which connection under it, and
 * a snapshot of its own, since a pass changes its snapshot as it goes. So that two plans of the same
 * organisation compare what it is at one moment, not at two.
 */
export async function readSweeps(
  sessions: AwsSessions,
  sweeps: readonly { policy: Policy; targets: readonly SweepTarget[] }[],
  options: { pass: SweepPass; concurrency: number },
): Promise<SweepRead[]> {
  const everyTarget = [
    ...new Map(sweeps.flatMap(({ targets }) => targets.map((t) => [targetKey(t), t] as const))).values(),
  ];
  const listed = await settleWithConcurrency(everyTarget, options.concurrency, (target) =>
    listConnections(sessions.ec2(target.account, target.region), LISTED_STATUSES[options.pass]),
  );
  const views = sweeps.map(({ policy, targets }) => {
    const keys = new Set(targets.map(targetKey));
    const listings: Listing[] = [];
    const listingErrors = new Map<string, unknown>();
    for (const result of listed) {
      const key = targetKey(result.item);
      if (!keys.has(key)) continue;
      if (result.status === "fulfilled")
        listings.push({ target: result.item, connections: result.value.map(toPeeringConnection) });
      else listingErrors.set(key, result.reason);
    }
    return { listings, listingErrors, assignment: assignConnections(policy, [...targets], listings) };
  });
  const connections = views.flatMap(({ assignment }) => assignment.listed.map((item) => item.connection));
  const full = options.pass === "full";
  const [read, activePeerings] = await Promise.all([
    readSnapshot(
      sessions,
      full ? listed.flatMap((result) => (result.status === "fulfilled" ? [result.item] : [])) : [],
      connections,
      {
        concurrency: options.concurrency,
        subnets: sweeps.some(({ policy }) => readsSubnets(policy)),
        // The full pass finds the service's own rules even when no rule opens groups any more.
        securityGroups: groupsToRead(
          sweeps.map(({ policy }) => policy),
          full,
        ),
      },
    ),
    // The full pass lists every active connection already: counting them costs no call.
    full
      ? countedFromListings(listed)
      : readActivePeeringsOfRequests(sessions, connections, options.concurrency),
  ]);
  const snapshot: SweepSnapshot = { ...read, activePeerings };
  return views.map((view, i) => ({ ...view, snapshot: i === 0 ? snapshot : copySnapshot(snapshot) }));
}

/** Active connections by VPC, from each account-region's own listing (which shows every one of its VPCs). */
function countedFromListings(
  listed: readonly Settled<SweepTarget, VpcPeeringConnection[]>[],
): Map<string, BulkRead<Map<string, number>>> {
  return new Map(
    listed.flatMap((result) =>
      result.status === "fulfilled"
        ? [
            [
              targetKey(result.item),
              { kind: "read", value: activePeeringsByVpc(result.value.map(toPeeringConnection)) },
            ] as const,
          ]
        : [],
    ),
  );
}

/**
 * The active connections of the pending requests' accepter VPCs, read per accepter account-region
 * (whose listing answered, so a failure here is one for now). Nothing is read when nothing is pending.
 */
async function readActivePeeringsOfRequests(
  sessions: AwsSessions,
  connections: readonly PeeringConnection[],
  concurrency: number,
): Promise<Map<string, BulkRead<Map<string, number>>>> {
  const requests = connections.filter((c) => c.status === "pending-acceptance").map((c) => c.accepter);
  const places = [...groupBy(requests, targetKey).values()];
  const settled = await settleWithConcurrency(places, concurrency, (sides) => {
    const [{ account, region }] = sides;
    return countActivePeerings(sessions.ec2(account, region), [...new Set(sides.map((s) => s.vpcId))]);
  });
  return new Map(
    settled.map((result): [string, BulkRead<Map<string, number>>] => [
      targetKey(result.item[0]),
      result.status === "fulfilled"
        ? { kind: "read", value: result.value }
        : {
            kind: "failed",
            error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)),
          },
    ]),
  );
}
