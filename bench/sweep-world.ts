import { World } from "../model";
import type { PeeringRecord, PeeringStatusCode, RouteRecord, RouteTableRecord } from "../model/state";
import { contains } from "../shared/cidr";
import { TAG_PREFIX } from "../shared/decision/decision-tags";
import { type MinimumCalls, minimumSweepCalls } from "./sweep-minimum";

/**
 * The large world the reconciler-sweep benchmark runs against, built from a seeded PRNG so every run
 * is identical, with the fewest API calls one sweep of it can make (sweep-minimum.ts).
 *
 * The world: a hub account (the function's home) and 19 spokes in three regions; 1,000 pending
 * requests (50 of them from "lab" VPCs outside the allowed CIDRs, to be rejected), 2,000 active
 * connections already decided and routed (100 of them missing routes), and 50 deleted connections
 * whose routes were left behind.
 */

const SWEEP_SEED = 0x5eed_2026;
export const HUB_ACCOUNT = "100000000000";
const SPOKE_ACCOUNTS: readonly string[] = Array.from({ length: 19 }, (_, i) => String(100000000001 + i));
const SWEEP_REGIONS: readonly string[] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/** The function's own region, where STS is called (AWS_REGION; the first swept region). */
const HOME_REGION = "us-east-1";
export const RULE_NAME = "org";
/** The only requester CIDRs the policy allows; lab VPCs live outside them. */
const ALLOWED_CIDR = "10.0.0.0/8";
/**
 * When the active connections were accepted (by an earlier run of the service): fixed, so the tags are
 * the same in every build. The world keeps its default clock, the system clock, which `npm run bench`
 * fakes (bench/virtual-clock.ts), so the model and the service read the same virtual time; a frozen
 * clock of the world's own would make assumed-role credentials look expired.
 */
const DECIDED_AT = "2026-01-05T09:00:00.000Z";

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

interface SweepCounts {
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
function sweepPolicyYaml(): string {
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

// --- seeded randomness -------------------------------------------------------------------------

/** mulberry32: a tiny PRNG with good enough spread, the same sequence for the same seed everywhere. */
function mulberry32(seed: number): () => number {
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
