import { World } from "../model";
import type {
  PeeringRecord,
  PeeringStatusCode,
  RouteRecord,
  RouteTableRecord,
  SecurityGroupRuleRecord,
} from "../model/state";
import { contains } from "../shared/cidr";
import { TAG_PREFIX } from "../shared/decision/decision-tags";
import { CONNECTION_TAG } from "../shared/security-groups/rule-key";
import { type MinimumCalls, minimumSweepCalls, type RuleIntent } from "./sweep-minimum";

/**
 * The large world the reconciler-sweep benchmark runs against, built from a seeded PRNG so every run
 * is identical, with the fewest API calls one sweep of it can make (sweep-minimum.ts).
 *
 * The world: a hub account (the function's home) and 19 spokes in three regions; 1,000 pending
 * requests (50 of them from "lab" VPCs outside the allowed CIDRs, to be rejected), 2,000 active
 * connections already decided and routed (100 of them missing routes), and 50 deleted connections
 * whose routes were left behind. Every hub and spoke VPC has four subnets. Three hub VPCs in each
 * region offer shared services: a rule before the organisation's routes only their subnets tagged
 * `Tier: shared` and opens ports 443 and 5432 of their group tagged `Peering: shared-services` to the
 * requester VPC. Of the active connections to them, some lack those rules, some a route, and some still
 * route the whole hub VPC (routed before the rule narrowed); the deleted ones left their rules behind.
 */

const SWEEP_SEED = 0x5eed_2026;
export const HUB_ACCOUNT = "100000000000";
const SPOKE_ACCOUNTS: readonly string[] = Array.from({ length: 19 }, (_, i) => String(100000000001 + i));
const SWEEP_REGIONS: readonly string[] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/** The function's own region, where STS is called (AWS_REGION; the first swept region). */
const HOME_REGION = "us-east-1";
export const RULE_NAME = "org";
/** The rule before `org` that governs the connections to the shared-services hubs. */
export const NARROW_RULE = "shared-services";
export const SHARED_SUBNET_TAGS = { Tier: "shared" };
export const SHARED_GROUP_TAGS = { Peering: "shared-services" };
export const SHARED_PORTS: readonly number[] = [443, 5432];
/** The rule each shared group has of its own (SSH from the organisation), which the sweep leaves alone. */
const OWN_RULE = { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8" } as const;
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
  /** The first hub VPCs of each region offer shared services (the narrow rule's accepters). */
  sharedHubsPerRegion: 3,
  /** Each hub and spoke VPC's /20 split in /22s; the first two of a shared hub are tagged Tier: shared. */
  subnetsPerVpc: 4,
  sharedSubnets: 2,
  /** Active connections to shared hubs lacking rules: the first half both ports, the rest only the second. */
  lackingRules: 20,
  /** Active connections to shared hubs whose requester lacks its route to the second shared subnet. */
  lackingRoute: 10,
  /** Active connections to shared hubs still routed to the whole hub VPC, without rules. */
  wholeVpc: 10,
  /**
   * Inbound rules per group, raised from 60 as AWS allows while rules times groups per interface stay
   * within 1,000: a shared hub's group holds two rules for each of its connections.
   */
  rulesPerGroup: 250,
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
  subnets: number;
  securityGroups: number;
  /** The connections the narrow rule governs, and what the sweep has to do about them. */
  narrow: {
    approved: number;
    active: number;
    lackingRules: { connections: number; rules: number };
    lackingRoute: number;
    wholeVpc: number;
    deleted: number;
    leftoverRules: number;
  };
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
    narrow: NarrowConnections;
  };
}

/** Connection ids of the narrow rule's share. */
export interface NarrowConnections {
  approved: string[];
  active: string[];
  lackingRules: string[];
  lackingRoute: string[];
  wholeVpc: string[];
  deleted: string[];
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
  const world = new World({
    homeAccount: HUB_ACCOUNT,
    options: { routeLimit: SHAPE.routeLimit, rulesPerGroup: SHAPE.rulesPerGroup },
  });
  for (const account of SPOKE_ACCOUNTS) world.addAccount(account);
  const vpcs = addVpcs(world);
  const shared = new Set(vpcs.sharedHubs.map((vpc) => vpc.id));
  const sharedGroups = addSubnetsAndGroups(world, vpcs, shared);

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

  const allowed = (p: PeeringRecord) => p.requester.cidrs.every((cidr) => contains(ALLOWED_CIDR, cidr));
  const narrow = (id: string) => shared.has(world.peering(id).accepter.vpcId);
  const approved = pendingIds.filter((id) => allowed(world.peering(id)));
  const rejected = pendingIds.filter((id) => !allowed(world.peering(id)));

  for (const id of activeIds) tagAsAccepted(world.peering(id), narrow(id) ? NARROW_RULE : RULE_NAME);
  const mainTables = mainTableByVpc(world);
  const sharedSubnets = sharedSubnetCidrs(world, shared);
  const wanted = (id: string) => wantedRoutes(world.peering(id), sharedSubnets);
  const missing = pickMissingRoutes(rng, activeIds);
  const missingIds = new Set(missing.connections);
  const narrowActive = activeIds.filter(narrow);
  const states = pickNarrowStates(
    rng,
    narrowActive.filter((id) => !missingIds.has(id)),
  );
  const missingRoutes = routeActive(world, mainTables, activeIds, { wanted, missing: missing.sides, states });
  let lackingRules = 0;
  for (const id of narrowActive) {
    const ports = states.lackingRules.get(id) ?? (states.wholeVpc.has(id) ? [] : SHARED_PORTS);
    lackingRules += (SHARED_PORTS.length - ports.length) * world.peering(id).requester.cidrs.length;
    openSharedGroup(world, sharedGroups, world.peering(id), ports);
  }
  // Deleted connections left their routes and rules behind; the model shows the routes as blackholes.
  for (const id of deletedIds) {
    addRoutes(world, mainTables, world.peering(id), wanted(id));
    if (narrow(id)) openSharedGroup(world, sharedGroups, world.peering(id), SHARED_PORTS);
  }

  const narrowDeleted = deletedIds.filter(narrow);
  const connections = {
    approved,
    rejected,
    active: activeIds,
    missingRoutes: missing.connections,
    deleted: deletedIds,
    narrow: {
      approved: approved.filter(narrow),
      active: narrowActive,
      lackingRules: [...states.lackingRules.keys()],
      lackingRoute: [...states.lackingRoute],
      wholeVpc: [...states.wholeVpc],
      deleted: narrowDeleted,
    },
  };
  const regions = [...SWEEP_REGIONS];
  return {
    world,
    homeAccount: HUB_ACCOUNT,
    regions,
    policyYaml: sweepPolicyYaml([...shared]),
    counts: {
      pending: pendingIds.length,
      approved: approved.length,
      rejected: rejected.length,
      active: activeIds.length,
      missingRoutes: { connections: missing.connections.length, routes: missingRoutes },
      deleted: deletedIds.length,
      leftoverRoutes: deletedIds.reduce(
        (n, id) => n + wanted(id).accepter.length + wanted(id).requester.length,
        0,
      ),
      vpcs: world.vpcs.size,
      routeTables: world.routeTables.size,
      subnets: world.subnets.size,
      securityGroups: world.securityGroups.size,
      narrow: {
        approved: connections.narrow.approved.length,
        active: narrowActive.length,
        lackingRules: { connections: states.lackingRules.size + states.wholeVpc.size, rules: lackingRules },
        lackingRoute: states.lackingRoute.size,
        wholeVpc: states.wholeVpc.size,
        deleted: narrowDeleted.length,
        leftoverRules: narrowDeleted.length * SHARED_PORTS.length,
      },
    },
    minimum: minimumSweepCalls(world, { regions, rules: sweepRuleIntents(shared), stsRegion: HOME_REGION }),
    connections,
  };
}

/**
 * What is not yet as the narrow rule wants it, read from the world (after a sweep, all empty): live
 * connections whose routes to the connection differ from the shared subnets on the requester side or
 * the requester VPC on the accepter side, live ones lacking a port rule tagged for them, deleted ones
 * whose tagged rules are still there, and shared groups that lost their own rule.
 */
export function narrowOutcome(sweep: SweepWorld): {
  unrouted: string[];
  unopened: string[];
  leftover: string[];
  foreignGone: string[];
} {
  const { world } = sweep;
  const { narrow } = sweep.connections;
  const destinations = (vpcId: string, connectionId: string) =>
    world
      .routeTablesOfVpc(vpcId)
      .flatMap((t) => t.routes)
      .filter((r) => "vpcPeeringConnectionId" in r.target && r.target.vpcPeeringConnectionId === connectionId)
      .map((r) => r.destination)
      .sort();
  const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify([...b].sort());
  const sharedGroup = (vpcId: string) =>
    world.securityGroupsOfVpc(vpcId).find((g) => g.tags.Peering === SHARED_GROUP_TAGS.Peering);
  const live = [...narrow.approved, ...narrow.active].map((id) => world.peering(id));
  const unrouted = live.filter((p) => {
    const subnets = world
      .subnetsOfVpc(p.accepter.vpcId)
      .filter((s) => s.tags.Tier === SHARED_SUBNET_TAGS.Tier)
      .map((s) => s.cidr);
    return (
      !same(destinations(p.requester.vpcId, p.id), subnets) ||
      !same(destinations(p.accepter.vpcId, p.id), p.requester.cidrs)
    );
  });
  const opened = (p: PeeringRecord, port: number) =>
    (sharedGroup(p.accepter.vpcId)?.rules ?? []).some(
      (r) =>
        !r.isEgress &&
        r.tags[CONNECTION_TAG] === p.id &&
        r.protocol === "tcp" &&
        r.fromPort === port &&
        r.toPort === port &&
        "cidrIpv4" in r.source &&
        p.requester.cidrs.includes(r.source.cidrIpv4),
    );
  const unopened = live.filter((p) => SHARED_PORTS.some((port) => !opened(p, port)));
  const tagged = new Set(
    [...world.securityGroups.values()].flatMap((g) => g.rules.map((r) => r.tags[CONNECTION_TAG] ?? "")),
  );
  const ownRule = (r: SecurityGroupRuleRecord) =>
    !r.isEgress &&
    r.tags[CONNECTION_TAG] === undefined &&
    r.protocol === OWN_RULE.protocol &&
    r.fromPort === OWN_RULE.fromPort &&
    "cidrIpv4" in r.source &&
    r.source.cidrIpv4 === OWN_RULE.cidrIpv4;
  const foreignGone = [...world.securityGroups.values()].filter(
    (g) => g.tags.Peering === SHARED_GROUP_TAGS.Peering && !g.rules.some(ownRule),
  );
  return {
    unrouted: unrouted.map((p) => p.id),
    unopened: unopened.map((p) => p.id),
    leftover: narrow.deleted.filter((id) => tagged.has(id)),
    foreignGone: foreignGone.map((g) => g.id),
  };
}

/** What the sweep policy's two rules mean, for the minimum. */
function sweepRuleIntents(shared: ReadonlySet<string>): RuleIntent[] {
  return [
    {
      name: NARROW_RULE,
      accepterVpcs: shared,
      requesterCidrs: [ALLOWED_CIDR],
      reach: { accepter: SHARED_SUBNET_TAGS },
      groups: { accepter: SHARED_GROUP_TAGS },
      ingress: SHARED_PORTS.map((port) => ({ protocol: "tcp", fromPort: port, toPort: port })),
    },
    { name: RULE_NAME, requesterCidrs: [ALLOWED_CIDR], reach: {}, groups: {}, ingress: [] },
  ];
}

/**
 * The shared-services rule, then one rule that admits every 10.x VPC of the 20 accounts in any region;
 * anything else is rejected.
 */
function sweepPolicyYaml(sharedHubs: string[]): string {
  const accounts = [HUB_ACCOUNT, ...SPOKE_ACCOUNTS].map((a) => `"${a}"`).join(", ");
  const tags = (t: Record<string, string>) =>
    Object.entries(t)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
  return `version: 1
unmatched: reject
rules:
  - name: ${NARROW_RULE}
    accepter:
      accounts: ["${HUB_ACCOUNT}"]
      vpcs: [${sharedHubs.map((id) => `"${id}"`).join(", ")}]
    requester:
      accounts: [${accounts}]
      cidrs: ["${ALLOWED_CIDR}"]
    routes:
      reach:
        accepter: {subnets: {tags: {${tags(SHARED_SUBNET_TAGS)}}}}
    securityGroups:
      accepter: {tags: {${tags(SHARED_GROUP_TAGS)}}}
      ingress: [{protocol: tcp, ports: [${SHARED_PORTS.join(", ")}]}]
    dnsResolution: false
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
  /** The hub VPCs the narrow rule governs: the first ones of each region. */
  sharedHubs: VpcRef[];
  spoke: VpcRef[];
  lab: VpcRef[];
}

/** Hub and spoke VPCs get consecutive /20s of 10.0.0.0/8, lab VPCs /20s of 172.16.0.0/12. */
function addVpcs(world: World): SweepVpcs {
  const vpcs: SweepVpcs = { hub: [], sharedHubs: [], spoke: [], lab: [] };
  let slot = 0;
  const add = (account: string, region: string, cidr: string): VpcRef => ({
    id: world.addVpc({ ownerId: account, region, cidrs: [cidr] }),
    account,
    region,
  });
  for (const region of SWEEP_REGIONS) {
    for (let i = 0; i < SHAPE.hubVpcsPerRegion; i++) {
      const hub = add(HUB_ACCOUNT, region, slash20(10, 0, slot++));
      vpcs.hub.push(hub);
      if (i < SHAPE.sharedHubsPerRegion) vpcs.sharedHubs.push(hub);
    }
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

/**
 * Four /22 subnets in every hub and spoke VPC (lab VPCs have none), the shared hubs' first two tagged
 * Tier: shared; an untagged group in each of those VPCs, and in each shared hub the group tagged for
 * the peering, holding a rule of its own (SSH from the organisation) the sweep must leave alone.
 * Returns the tagged group of each shared hub.
 */
function addSubnetsAndGroups(
  world: World,
  vpcs: SweepVpcs,
  shared: ReadonlySet<string>,
): Map<string, string> {
  const groups = new Map<string, string>();
  for (const { id } of [...vpcs.hub, ...vpcs.spoke]) {
    const [base = ""] = world.vpc(id).cidrs.map((c) => c.cidr);
    const [a, b, c] = base.split(".").map(Number);
    for (let i = 0; i < SHAPE.subnetsPerVpc; i++) {
      const tagged = shared.has(id) && i < SHAPE.sharedSubnets;
      world.addSubnet({
        vpcId: id,
        cidr: `${a}.${b}.${(c ?? 0) + 4 * i}.0/22`,
        tags: tagged ? { ...SHARED_SUBNET_TAGS } : { Tier: "app" },
      });
    }
    world.addSecurityGroup({ vpcId: id, name: "app", tags: { Name: "app" } });
    if (shared.has(id)) {
      const group = world.addSecurityGroup({
        vpcId: id,
        name: "shared-services",
        tags: { ...SHARED_GROUP_TAGS },
        ingress: [{ ...OWN_RULE }],
      });
      groups.set(id, group);
    }
  }
  return groups;
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
 * Routes the active connections where they want (`wanted`), except the sides chosen to miss routes
 * and the narrow connections chosen to lack a route or to route the whole hub VPC; returns how many
 * routes the sides chosen to miss them lack.
 */
function routeActive(
  world: World,
  mainTables: Map<string, RouteTableRecord>,
  activeIds: string[],
  choices: {
    wanted: (id: string) => { accepter: string[]; requester: string[] };
    missing: Map<string, { accepter: boolean; requester: boolean }>;
    states: ReturnType<typeof pickNarrowStates>;
  },
): number {
  const { wanted, missing, states } = choices;
  let missingRoutes = 0;
  for (const id of activeIds) {
    const peering = world.peering(id);
    const routes = wanted(id);
    const lacking = missing.get(id);
    if (lacking?.accepter) missingRoutes += routes.accepter.length;
    if (lacking?.requester) missingRoutes += routes.requester.length;
    let requester = routes.requester;
    if (states.wholeVpc.has(id)) requester = peering.accepter.cidrs;
    else if (states.lackingRoute.has(id)) requester = routes.requester.slice(0, 1);
    addRoutes(world, mainTables, peering, {
      accepter: lacking?.accepter ? [] : routes.accepter,
      requester: lacking?.requester ? [] : requester,
    });
  }
  return missingRoutes;
}

/**
 * The active connections chosen to miss routes: the first half of them lack the accepter's route (as
 * if someone deleted it), the second half both sides' routes.
 */
function pickMissingRoutes(
  rng: () => number,
  activeIds: string[],
): { connections: string[]; sides: Map<string, { accepter: boolean; requester: boolean }> } {
  const picked = sample(rng, activeIds.length, SHAPE.missingRoutes).map((i) => activeIds[i] ?? "");
  const half = picked.length / 2;
  return {
    connections: picked,
    sides: new Map(picked.map((id, i) => [id, { accepter: true, requester: i >= half }])),
  };
}

/**
 * Among active connections to the shared hubs that miss no route otherwise, those that lack rules
 * (with the ports they have: none for the first half, the first port for the rest), those whose
 * requester lacks a route to the second shared subnet, and those still routed to the whole hub VPC.
 */
function pickNarrowStates(rng: () => number, candidates: string[]) {
  const { lackingRules, lackingRoute, wholeVpc } = SHAPE;
  const picked = sample(rng, candidates.length, lackingRules + lackingRoute + wholeVpc).map(
    (i) => candidates[i] ?? "",
  );
  const [firstPort = 0] = SHARED_PORTS;
  return {
    lackingRules: new Map(
      picked.slice(0, lackingRules).map((id, i) => [id, i < lackingRules / 2 ? [] : [firstPort]]),
    ),
    lackingRoute: new Set(picked.slice(lackingRules, lackingRules + lackingRoute)),
    wholeVpc: new Set(picked.slice(lackingRules + lackingRoute)),
  };
}

/** The CIDRs of each shared hub's subnets tagged Tier: shared. */
function sharedSubnetCidrs(world: World, shared: ReadonlySet<string>): Map<string, string[]> {
  const cidrs = new Map<string, string[]>();
  for (const subnet of world.subnets.values()) {
    if (!shared.has(subnet.vpcId) || subnet.tags.Tier !== SHARED_SUBNET_TAGS.Tier) continue;
    cidrs.set(subnet.vpcId, [...(cidrs.get(subnet.vpcId) ?? []), subnet.cidr]);
  }
  return cidrs;
}

/** Where each side's tables route: the other side's VPC CIDRs, or a shared hub's tagged subnets. */
function wantedRoutes(
  peering: PeeringRecord,
  sharedSubnets: Map<string, string[]>,
): { accepter: string[]; requester: string[] } {
  const requester = sharedSubnets.get(peering.accepter.vpcId) ?? peering.accepter.cidrs;
  return { accepter: peering.requester.cidrs, requester };
}

/** The shared hub's tagged group lets the requester VPC in on these ports, tagged for the connection. */
function openSharedGroup(
  world: World,
  sharedGroups: Map<string, string>,
  peering: PeeringRecord,
  ports: readonly number[],
): void {
  const groupId = sharedGroups.get(peering.accepter.vpcId);
  if (!groupId) throw new Error(`${peering.accepter.vpcId} is not a shared hub`);
  for (const port of ports) {
    for (const cidrIpv4 of peering.requester.cidrs) {
      world.addSecurityGroupRule(groupId, {
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4,
        tags: { [CONNECTION_TAG]: peering.id },
      });
    }
  }
}

/** The tags the service wrote when it accepted the connection (decisionTags), in the accepter's account. */
function tagAsAccepted(peering: PeeringRecord, rule: string): void {
  peering.tagsByAccount[peering.accepter.ownerId] = {
    [`${TAG_PREFIX}decision`]: "accept",
    [`${TAG_PREFIX}rule`]: rule,
    [`${TAG_PREFIX}decided-at`]: DECIDED_AT,
  };
}

function mainTableByVpc(world: World): Map<string, RouteTableRecord> {
  const tables = new Map<string, RouteTableRecord>();
  for (const table of world.routeTables.values()) if (table.main) tables.set(table.vpcId, table);
  return tables;
}

/** Each side's main table gets a route to each of its destinations, as CreateRoute makes it. */
function addRoutes(
  world: World,
  mainTables: Map<string, RouteTableRecord>,
  peering: PeeringRecord,
  destinations: { accepter: readonly string[]; requester: readonly string[] },
): void {
  const target = { vpcPeeringConnectionId: peering.id };
  const route = (destination: string): RouteRecord => ({
    destination,
    target,
    state: world.routeStateFor(target),
    origin: "CreateRoute",
  });
  for (const side of ["accepter", "requester"] as const) {
    const table = mainTables.get(peering[side].vpcId);
    if (!table) throw new Error(`VPC ${peering[side].vpcId} has no main route table`);
    table.routes.push(...destinations[side].map(route));
  }
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
