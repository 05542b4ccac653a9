import type { BucketShape, World } from "../model";
import type { PeeringRecord, PeeringStatusCode, RouteRecord, RouteTableRecord } from "../model/state";
import { contains } from "../shared/cidr";

/**
 * The yardsticks the reconciler-sweep benchmark compares the sweep with: the fewest API calls EC2
 * allows for one sweep of a world, and the least time EC2's token buckets allow that sweep to take.
 */

// EC2's page sizes: DescribeVpcPeeringConnections returns up to 1,000 per page, DescribeRouteTables 100.
const PEERING_PAGE = 1000;
const ROUTE_TABLE_PAGE = 100;
/** AssumeRole, list, read, accept, wait for active, create route, tag: each waits for the one before. */
const CHAIN_ROUND_TRIPS = 7;

export const OPERATIONS = [
  "AssumeRole",
  "DescribeVpcPeeringConnections",
  "DescribeVpcs",
  "DescribeRouteTables",
  "AcceptVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "CreateRoute",
  "DeleteRoute",
  "CreateTags",
  "ModifyVpcPeeringConnectionOptions",
] as const;
type Operation = (typeof OPERATIONS)[number];

/** Calls one sweep makes in one account and region for one operation: EC2 throttles each such bucket. */
export interface BucketCalls {
  account: string;
  region: string;
  operation: Operation;
  calls: number;
}

export interface MinimumCalls {
  /** Per operation; every operation is present (0 when none is needed). */
  totals: Record<Operation, number>;
  total: number;
  /** Only buckets with calls, ordered by account, region (as swept), operation (as in OPERATIONS). */
  buckets: BucketCalls[];
}

export interface ThrottleModel {
  latencyMs: number;
  /** Describe* and Get* operations. */
  describe: BucketShape;
  /** Every other operation. */
  mutating: BucketShape;
}

interface SweepBound {
  ms: number;
  setBy: { kind: "chain"; roundTrips: number } | { kind: "bucket"; bucket: BucketCalls };
  /** e.g. "CreateRoute in 100000000000 us-east-1", for "bound set by …". */
  description: string;
}

// --- the minimum -------------------------------------------------------------------------------

const DEAD = new Set<PeeringStatusCode>(["deleted", "rejected", "expired", "failed"]);

/**
 * The fewest calls one sweep of every account of the world in `regions` can make, read from the
 * world's structure: what each connection needs and where that call has to be made.
 */
export function minimumSweepCalls(
  world: World,
  options: { regions: readonly string[]; allowedCidrs: readonly string[]; stsRegion: string },
): MinimumCalls {
  const { regions } = options;
  const accounts = [...world.accounts.keys()];
  const targets = accounts.flatMap((account) => regions.map((region) => key(account, region)));
  const swept = new Set(targets);
  const counter = new BucketCounter();
  const routeIndex = routesByConnection(world);
  const tablesByVpc = tablesOfEachVpc(world);

  // Credentials are cached per account and serve every region; the home account needs none.
  for (const account of accounts) {
    if (account !== world.homeAccount) counter.add(world.homeAccount, options.stsRegion, "AssumeRole");
  }

  const visible = new Map<string, number>();
  const accepts = new Set<string>(); // accepter account-regions accepting at least one request
  const rejects = new Set<string>();
  const routed = new Set<string>(); // accepter account-regions of approved or active connections
  for (const peering of world.peerings.values()) {
    for (const where of new Set([sideKey(peering.accepter), sideKey(peering.requester)])) {
      visible.set(where, (visible.get(where) ?? 0) + 1);
    }
    const accepterKey = sideKey(peering.accepter);
    if (!swept.has(accepterKey)) continue;
    const [account, region] = split(accepterKey);
    const status = peering.status.code;
    if (status === "pending-acceptance") {
      const approved = peering.requester.cidrs.every((cidr) =>
        options.allowedCidrs.some((allowed) => contains(allowed, cidr)),
      );
      if (approved) {
        counter.add(account, region, "AcceptVpcPeeringConnection");
        accepts.add(accepterKey);
        routed.add(accepterKey);
        addMissingRoutes(counter, peering, tablesByVpc, []);
      } else {
        counter.add(account, region, "RejectVpcPeeringConnection");
        rejects.add(accepterKey);
      }
    } else if (status === "active") {
      routed.add(accepterKey);
      addMissingRoutes(counter, peering, tablesByVpc, routeIndex.get(peering.id) ?? []);
    } else if (DEAD.has(status)) {
      for (const { table } of routeIndex.get(peering.id) ?? []) {
        counter.add(table.ownerId, table.region, "DeleteRoute");
      }
    }
  }

  const tablesIn = countBy([...world.routeTables.values()], (table) => key(table.ownerId, table.region));
  for (const target of targets) {
    const [account, region] = split(target);
    // The listing reads every page; one more describe waits for the accepted ones to turn active.
    const pages = Math.max(1, Math.ceil((visible.get(target) ?? 0) / PEERING_PAGE));
    counter.add(account, region, "DescribeVpcPeeringConnections", pages + (accepts.has(target) ? 1 : 0));
    const tablePages = Math.max(1, Math.ceil((tablesIn.get(target) ?? 0) / ROUTE_TABLE_PAGE));
    counter.add(account, region, "DescribeRouteTables", tablePages);
    if (routed.has(target)) counter.add(account, region, "DescribeVpcs");
    // All accepted requests share one tag set, all rejected ones another: one CreateTags each.
    if (accepts.has(target)) counter.add(account, region, "CreateTags");
    if (rejects.has(target)) counter.add(account, region, "CreateTags");
  }
  return counter.result(accounts, regions);
}

interface RouteAt {
  table: RouteTableRecord;
  route: RouteRecord;
}

function routesByConnection(world: World): Map<string, RouteAt[]> {
  const index = new Map<string, RouteAt[]>();
  for (const table of world.routeTables.values()) {
    for (const route of table.routes) {
      if (!("vpcPeeringConnectionId" in route.target)) continue;
      const id = route.target.vpcPeeringConnectionId;
      index.set(id, [...(index.get(id) ?? []), { table, route }]);
    }
  }
  return index;
}

function tablesOfEachVpc(world: World): Map<string, RouteTableRecord[]> {
  const tables = new Map<string, RouteTableRecord[]>();
  for (const table of world.routeTables.values()) {
    tables.set(table.vpcId, [...(tables.get(table.vpcId) ?? []), table]);
  }
  return tables;
}

/** One CreateRoute per table of each side and CIDR of the other side that has no route to the connection. */
function addMissingRoutes(
  counter: BucketCounter,
  peering: PeeringRecord,
  tablesByVpc: Map<string, RouteTableRecord[]>,
  existing: RouteAt[],
): void {
  const sides = [
    [peering.accepter, peering.requester],
    [peering.requester, peering.accepter],
  ] as const;
  for (const [side, other] of sides) {
    for (const table of tablesByVpc.get(side.vpcId) ?? []) {
      for (const destination of other.cidrs) {
        const present = existing.some((r) => r.table === table && r.route.destination === destination);
        if (!present) counter.add(side.ownerId, side.region, "CreateRoute");
      }
    }
  }
}

/** Calls per (account, region, operation). */
class BucketCounter {
  private readonly calls = new Map<string, number>();

  add(account: string, region: string, operation: Operation, calls = 1): void {
    const bucket = `${key(account, region)}/${operation}`;
    this.calls.set(bucket, (this.calls.get(bucket) ?? 0) + calls);
  }

  result(accounts: readonly string[], regions: readonly string[]): MinimumCalls {
    const buckets: BucketCalls[] = [];
    const allRegions = [...new Set([...regions, ...[...this.calls.keys()].map((k) => split(k)[1])])];
    for (const account of [...accounts].sort()) {
      for (const region of allRegions) {
        for (const operation of OPERATIONS) {
          const calls = this.calls.get(`${key(account, region)}/${operation}`) ?? 0;
          if (calls > 0) buckets.push({ account, region, operation, calls });
        }
      }
    }
    const totals = Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<Operation, number>;
    for (const bucket of buckets) totals[bucket.operation] += bucket.calls;
    return { totals, total: buckets.reduce((sum, b) => sum + b.calls, 0), buckets };
  }
}

// --- the lower bound ---------------------------------------------------------------------------

/**
 * The least virtual time a sweep can take: no faster than its chain of dependent round trips, and no
 * faster than its busiest EC2 bucket drains (calls beyond the bucket's capacity wait for tokens, then
 * the last one still takes a round trip). AssumeRole is STS, which EC2's buckets do not throttle.
 */
export function lowerBound(minimum: Pick<MinimumCalls, "buckets">, model: ThrottleModel): SweepBound {
  let bound: SweepBound = {
    ms: CHAIN_ROUND_TRIPS * model.latencyMs,
    setBy: { kind: "chain", roundTrips: CHAIN_ROUND_TRIPS },
    description: `the chain of ${CHAIN_ROUND_TRIPS} dependent round trips`,
  };
  for (const bucket of minimum.buckets) {
    if (bucket.operation === "AssumeRole") continue;
    const shape = /^(Describe|Get)/.test(bucket.operation) ? model.describe : model.mutating;
    const ms = (Math.max(0, bucket.calls - shape.capacity) / shape.refillPerSecond) * 1000 + model.latencyMs;
    if (ms > bound.ms) {
      bound = {
        ms,
        setBy: { kind: "bucket", bucket },
        description: `${bucket.operation} in ${bucket.account} ${bucket.region}`,
      };
    }
  }
  return bound;
}

// --- small helpers -----------------------------------------------------------------------------

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

function key(account: string, region: string): string {
  return `${account}/${region}`;
}

function sideKey(side: { ownerId: string; region: string }): string {
  return key(side.ownerId, side.region);
}

function split(text: string): [account: string, region: string] {
  const [account = "", region = ""] = text.split("/");
  return [account, region];
}
