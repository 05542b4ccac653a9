import { World } from "../model";
import type { PeeringRecord, PeeringStatusCode, RouteRecord, RouteTableRecord } from "../model/state";
import { contains } from "../shared/cidr";
import { TAG_PREFIX } from "../shared/decision/decision-tags";

/**
 * The large world the reconciler-sweep benchmark runs against, built from a seeded PRNG so every run
 * is identical, and the yardsticks the benchmark compares the sweep with: the fewest API calls EC2
 * allows for one sweep of it, and the least time EC2's token buckets allow that sweep to take.
 *
 * The world: a hub account (the function's home) and 19 spokes in three regions; 1,000 pending
 * requests (50 of them from "lab" VPCs outside the allowed CIDRs, to be rejected), 2,000 active
 * connections already decided and routed (100 of them missing routes), and 50 deleted connections
 * whose routes were left behind.
 */

export const SWEEP_SEED = 0x5eed_2026;
export const HUB_ACCOUNT = "100000000000";
export const SPOKE_ACCOUNTS: readonly string[] = Array.from({ length: 19 }, (_, i) =>
  String(100000000001 + i),
);
export const SWEEP_REGIONS: readonly string[] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/** The function's own region, where STS is called (AWS_REGION; the first swept region). */
export const HOME_REGION = "us-east-1";
export const RULE_NAME = "org";
/** The only requester CIDRs the policy allows; lab VPCs live outside them. */
export const ALLOWED_CIDR = "10.0.0.0/8";
/**
 * When the active connections were accepted (by an earlier run of the service): fixed, so the tags are
 * the same in every build. The world's clock itself stays the real one: the service checks the expiry
 * of assumed-role credentials (which the model dates by the world's clock) against the real time, so a
 * frozen world clock would make every credential look expired and inflate AssumeRole.
 */
export const DECIDED_AT = "2026-01-05T09:00:00.000Z";

const SHAPE = {
  hubVpcsPerRegion: 12,
  spokeVpcsPerRegion: 3,
  labVpcs: 6,
  pending: 1000,
  /** Pending requests from lab VPCs: the policy rejects them. */
  labRequests: 50,
  active: 2000,
  /** Active connections missing routes: the first half only on the accepter side, the rest both. */
  missingRoutes: 100,
  deleted: 50,
  /** Connections whose accepter is a hub VPC; the rest are spoke to spoke. */
  hubShare: 0.6,
  /** The adjustable quota of active VPC peering connections per VPC. */
  maxConnectionsPerVpc: 125,
  /** The adjustable maximum of routes per route table, so hub tables hold all of theirs. */
  routeLimit: 1000,
} as const;

// EC2's page sizes: DescribeVpcPeeringConnections returns up to 1,000 per page, DescribeRouteTables 100.
const PEERING_PAGE = 1000;
const ROUTE_TABLE_PAGE = 100;
/** AssumeRole, list, read, accept, wait for active, create route, tag: each waits for the one before. */
export const CHAIN_ROUND_TRIPS = 7;

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
export type Operation = (typeof OPERATIONS)[number];

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

export interface SweepCounts {
  pending: number;
  approved: number;
  rejected: number;
  active: number;
  missingRoutes: { connections: number; routes: number };
  deleted: number;
  leftoverRoutes: number;
  vpcs: number;
  routeTables: number;
}

export interface SweepWorld {
  world: World;
  homeAccount: string;
  regions: string[];
  policyYaml: string;
  counts: SweepCounts;
  minimum: MinimumCalls;
  /** Connection ids by what the sweep should do with them, to check the world after the sweep. */
  connections: {
    approved: string[];
    rejected: string[];
    active: string[];
    missingRoutes: string[];
    deleted: string[];
  };
}

/** A token bucket: `capacity` calls at once, then `refillPerSecond` more each second. */
export interface BucketShape {
  capacity: number;
  refillPerSecond: number;
}

export interface ThrottleModel {
  latencyMs: number;
  /** Describe* and Get* operations. */
  describe: BucketShape;
  /** Every other operation. */
  mutating: BucketShape;
}

export interface SweepBound {
  ms: number;
  setBy: { kind: "chain"; roundTrips: number } | { kind: "bucket"; bucket: BucketCalls };
  /** e.g. "CreateRoute in 100000000000 us-east-1", for "bound set by …". */
  description: string;
}

// --- the world ---------------------------------------------------------------------------------

interface VpcRef {
  id: string;
  account: string;
  region: string;
}

interface PlannedConnection {
  requester: VpcRef;
  accepter: VpcRef;
  status: PeeringStatusCode;
}

export function buildSweepWorld(options: { seed?: number } = {}): SweepWorld {
  const rng = mulberry32(options.seed ?? SWEEP_SEED);
  const world = new World({ homeAccount: HUB_ACCOUNT, options: { routeLimit: SHAPE.routeLimit } });
  for (const account of SPOKE_ACCOUNTS) world.addAccount(account);
  const vpcs = addVpcs(world);

  const book = new PairBook(SHAPE.maxConnectionsPerVpc);
  const pending = planPending(rng, book, vpcs);
  const active = planConnections(rng, book, vpcs, SHAPE.active, "active");
  const deleted = planConnections(rng, book, vpcs, SHAPE.deleted, "deleted");

  // Every connection exists before any route is added: setPeeringStatus scans every route.
  const add = (c: PlannedConnection) =>
    world.addPeering({ requesterVpcId: c.requester.id, accepterVpcId: c.accepter.id, status: c.status });
  const pendingIds = pending.map(add);
  const activeIds = active.map(add);
  const deletedIds = deleted.map(add);

  for (const id of activeIds) tagAsAccepted(world.peering(id));
  const mainTables = mainTableByVpc(world);
  const missing = routeActive(rng, world, mainTables, activeIds);
  // Deleted connections left their routes behind; the model shows them as blackholes.
  for (const id of deletedIds) {
    addRoutes(world, mainTables, world.peering(id), { accepter: true, requester: true });
  }

  const allowed = (p: PeeringRecord) => p.requester.cidrs.every((cidr) => contains(ALLOWED_CIDR, cidr));
  const approved = pendingIds.filter((id) => allowed(world.peering(id)));
  const rejected = pendingIds.filter((id) => !allowed(world.peering(id)));
  const regions = [...SWEEP_REGIONS];
  return {
    world,
    homeAccount: HUB_ACCOUNT,
    regions,
    policyYaml: sweepPolicyYaml(),
    counts: {
      pending: pendingIds.length,
      approved: approved.length,
      rejected: rejected.length,
      active: activeIds.length,
      missingRoutes: { connections: missing.connections.length, routes: missing.routes },
      deleted: deletedIds.length,
      leftoverRoutes: 2 * deletedIds.length,
      vpcs: world.vpcs.size,
      routeTables: world.routeTables.size,
    },
    minimum: minimumSweepCalls(world, { regions, allowedCidrs: [ALLOWED_CIDR], stsRegion: HOME_REGION }),
    connections: {
      approved,
      rejected,
      active: activeIds,
      missingRoutes: missing.connections,
      deleted: deletedIds,
    },
  };
}

/** One rule admits every 10.x VPC of the 20 accounts in any region; anything else is rejected. */
export function sweepPolicyYaml(): string {
  const accounts = [HUB_ACCOUNT, ...SPOKE_ACCOUNTS].map((a) => `"${a}"`).join(", ");
  return `version: 1
unmatched: reject
rules:
  - name: ${RULE_NAME}
    accepter:
      accounts: [${accounts}]
    requester:
      accounts: [${accounts}]
      cidrs: ["${ALLOWED_CIDR}"]
    dnsResolution: false
`;
}

interface SweepVpcs {
  hub: VpcRef[];
  spoke: VpcRef[];
  lab: VpcRef[];
}

/** Hub and spoke VPCs get consecutive /20s of 10.0.0.0/8, lab VPCs /20s of 172.16.0.0/12. */
function addVpcs(world: World): SweepVpcs {
  const vpcs: SweepVpcs = { hub: [], spoke: [], lab: [] };
  let slot = 0;
  const add = (account: string, region: string, cidr: string): VpcRef => ({
    id: world.addVpc({ ownerId: account, region, cidrs: [cidr] }),
    account,
    region,
  });
  for (const region of SWEEP_REGIONS) {
    for (let i = 0; i < SHAPE.hubVpcsPerRegion; i++)
      vpcs.hub.push(add(HUB_ACCOUNT, region, slash20(10, 0, slot++)));
  }
  for (const account of SPOKE_ACCOUNTS) {
    for (const region of SWEEP_REGIONS) {
      for (let i = 0; i < SHAPE.spokeVpcsPerRegion; i++)
        vpcs.spoke.push(add(account, region, slash20(10, 0, slot++)));
    }
  }
  // Spread over different spoke accounts and regions, so both kinds of request can come from a lab.
  for (let i = 0; i < SHAPE.labVpcs; i++) {
    const account = SPOKE_ACCOUNTS[(i * 3) % SPOKE_ACCOUNTS.length] ?? HUB_ACCOUNT;
    const region = SWEEP_REGIONS[i % SWEEP_REGIONS.length] ?? HOME_REGION;
    vpcs.lab.push(add(account, region, slash20(172, 16, i)));
  }
  return vpcs;
}

/** The `index`-th /20 counted from `first.second.0.0`. */
function slash20(first: number, second: number, index: number): string {
  return `${first}.${second + (index >> 4)}.${(index & 15) << 4}.0/20`;
}

/** Pending requests; the PRNG picks which of them come from a lab VPC. */
function planPending(rng: () => number, book: PairBook, vpcs: SweepVpcs): PlannedConnection[] {
  const fromLab = new Set(sample(rng, SHAPE.pending, SHAPE.labRequests));
  return kinds(SHAPE.pending).map((kind, i) =>
    drawConnection(rng, book, vpcs, kind, fromLab.has(i) ? vpcs.lab : vpcs.spoke, "pending-acceptance"),
  );
}

function planConnections(
  rng: () => number,
  book: PairBook,
  vpcs: SweepVpcs,
  count: number,
  status: PeeringStatusCode,
): PlannedConnection[] {
  return kinds(count).map((kind) => drawConnection(rng, book, vpcs, kind, vpcs.spoke, status));
}

type Kind = "hub" | "spoke";

/** The hub's share first, then spoke to spoke. */
function kinds(count: number): Kind[] {
  const hub = Math.round(count * SHAPE.hubShare);
  return Array.from({ length: count }, (_, i) => (i < hub ? "hub" : "spoke"));
}

/**
 * A random accepter of the kind and a random requester from `requesters` (of another account than a
 * spoke accepter), drawn again until the pair is new and both VPCs are under the quota.
 */
function drawConnection(
  rng: () => number,
  book: PairBook,
  vpcs: SweepVpcs,
  kind: Kind,
  requesters: VpcRef[],
  status: PeeringStatusCode,
): PlannedConnection {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const accepter = pick(rng, kind === "hub" ? vpcs.hub : vpcs.spoke);
    const requester = pick(rng, requesters);
    if (requester.account === accepter.account) continue;
    if (book.add(requester.id, accepter.id)) return { requester, accepter, status };
  }
  throw new Error(`no room for another ${kind} connection: the shape asks for too many`);
}

/** The VPC pairs already connected and each VPC's connection count. */
class PairBook {
  private readonly pairs = new Set<string>();
  private readonly perVpc = new Map<string, number>();

  constructor(private readonly maxPerVpc: number) {}

  /** Records the pair if it is new and both VPCs have room; says whether it did. */
  add(a: string, b: string): boolean {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (a === b || this.pairs.has(key)) return false;
    if (this.count(a) >= this.maxPerVpc || this.count(b) >= this.maxPerVpc) return false;
    this.pairs.add(key);
    this.perVpc.set(a, this.count(a) + 1);
    this.perVpc.set(b, this.count(b) + 1);
    return true;
  }

  private count(vpcId: string): number {
    return this.perVpc.get(vpcId) ?? 0;
  }
}

/**
 * Routes both sides of the active connections, except for a few the PRNG picks: the first half of them
 * lack the accepter's route (as if someone deleted it), the second half both sides' routes.
 */
function routeActive(
  rng: () => number,
  world: World,
  mainTables: Map<string, RouteTableRecord>,
  activeIds: string[],
): { connections: string[]; routes: number } {
  const picked = sample(rng, activeIds.length, SHAPE.missingRoutes);
  const accepterOnly = new Set(picked.slice(0, picked.length / 2));
  const bothSides = new Set(picked.slice(picked.length / 2));
  let routes = 0;
  activeIds.forEach((id, i) => {
    const sides = { accepter: !accepterOnly.has(i) && !bothSides.has(i), requester: !bothSides.has(i) };
    routes += addRoutes(world, mainTables, world.peering(id), sides).missing;
  });
  return { connections: picked.map((i) => activeIds[i] ?? ""), routes };
}

/** The tags the service wrote when it accepted the connection (decisionTags), in the accepter's account. */
function tagAsAccepted(peering: PeeringRecord): void {
  peering.tagsByAccount[peering.accepter.ownerId] = {
    [`${TAG_PREFIX}decision`]: "accept",
    [`${TAG_PREFIX}rule`]: RULE_NAME,
    [`${TAG_PREFIX}decided-at`]: DECIDED_AT,
  };
}

function mainTableByVpc(world: World): Map<string, RouteTableRecord> {
  const tables = new Map<string, RouteTableRecord>();
  for (const table of world.routeTables.values()) if (table.main) tables.set(table.vpcId, table);
  return tables;
}

/**
 * Each chosen side's main table gets a route to each of the other side's CIDRs, as CreateRoute makes
 * it; returns how many routes the sides not chosen lack.
 */
function addRoutes(
  world: World,
  mainTables: Map<string, RouteTableRecord>,
  peering: PeeringRecord,
  sides: { accepter: boolean; requester: boolean },
): { missing: number } {
  let missing = 0;
  const target = { vpcPeeringConnectionId: peering.id };
  const route = (destination: string): RouteRecord => ({
    destination,
    target,
    state: world.routeStateFor(target),
    origin: "CreateRoute",
  });
  const pairs = [
    [sides.accepter, peering.accepter.vpcId, peering.requester.cidrs],
    [sides.requester, peering.requester.vpcId, peering.accepter.cidrs],
  ] as const;
  for (const [wanted, vpcId, destinations] of pairs) {
    const table = mainTables.get(vpcId);
    if (!table) throw new Error(`VPC ${vpcId} has no main route table`);
    if (wanted) table.routes.push(...destinations.map(route));
    else missing += destinations.length;
  }
  return { missing };
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

/** mulberry32: a tiny PRNG with good enough spread, the same sequence for the same seed everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  const item = list[Math.floor(rng() * list.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** `k` distinct indices below `n`, in random order (a partial Fisher-Yates shuffle). */
function sample(rng: () => number, n: number, k: number): number[] {
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [indices[i], indices[j]] = [indices[j] ?? j, indices[i] ?? i];
  }
  return indices.slice(0, k);
}

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
