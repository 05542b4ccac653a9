import type { BucketShape, World } from "../model";
import type {
  PeeringRecord,
  PeeringSide,
  PeeringStatusCode,
  RouteRecord,
  RouteTableRecord,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  SubnetRecord,
} from "../model/state";
import { contains } from "../shared/cidr";
import { CONNECTION_TAG } from "../shared/security-groups/rule-key";

/**
 * The yardsticks the reconciler-sweep benchmark compares the sweep with: the fewest API calls EC2
 * allows for one sweep of a world, and the least time EC2's token buckets allow that sweep to take.
 */

// EC2's page sizes: DescribeVpcPeeringConnections returns up to 1,000 per page, DescribeRouteTables 100,
// DescribeSubnets, DescribeSecurityGroups and DescribeSecurityGroupRules 1,000.
const PEERING_PAGE = 1000;
const ROUTE_TABLE_PAGE = 100;
const SUBNET_PAGE = 1000;
const GROUP_PAGE = 1000;
const GROUP_RULE_PAGE = 1000;
/** AssumeRole, list, read, accept, wait for active, create route, tag: each waits for the one before. */
const CHAIN_ROUND_TRIPS = 7;

export const OPERATIONS = [
  "AssumeRole",
  "DescribeVpcPeeringConnections",
  "DescribeVpcs",
  "DescribeRouteTables",
  "DescribeSubnets",
  "DescribeSecurityGroups",
  "DescribeSecurityGroupRules",
  "AcceptVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "CreateRoute",
  "DeleteRoute",
  "AuthorizeSecurityGroupIngress",
  "RevokeSecurityGroupIngress",
  "CreateTags",
  "ModifyVpcPeeringConnectionOptions",
] as const;
type Operation = (typeof OPERATIONS)[number];

type Tags = Readonly<Record<string, string>>;

/**
 * What one rule of the policy means for the calls, in plain terms: which connections it governs (the
 * first rule that matches decides) and what it wants on each side. Every account is allowed on both
 * sides; `routes` is `all` tables on both sides.
 */
export interface RuleIntent {
  /** Tagged on the connections it accepts. */
  name: string;
  /** The accepter VPCs it governs; every VPC when absent. */
  accepterVpcs?: ReadonlySet<string>;
  /** Every requester CIDR must lie inside one of these. */
  requesterCidrs: readonly string[];
  /** The tags of the subnets whose CIDRs the peer routes to, per side; the side's VPC CIDRs when absent. */
  reach: { accepter?: Tags; requester?: Tags };
  /** The tags of the groups opened to the peer's routed addresses, per side; none when absent. */
  groups: { accepter?: Tags; requester?: Tags };
  /** What the opened groups let in: one rule per entry and source. */
  ingress: readonly { protocol: string; fromPort: number; toPort: number }[];
}

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

type SideName = "accepter" | "requester";
const SIDES: readonly [side: SideName, other: SideName][] = [
  ["accepter", "requester"],
  ["requester", "accepter"],
];

/**
 * The fewest calls one sweep of every account of the world in `regions` can make, read from the
 * world's structure and the rules' intent: what each connection needs and where that call is made.
 */
export function minimumSweepCalls(
  world: World,
  options: { regions: readonly string[]; rules: readonly RuleIntent[]; stsRegion: string },
): MinimumCalls {
  const { regions } = options;
  const accounts = [...world.accounts.keys()];
  const targets = accounts.flatMap((account) => regions.map((region) => key(account, region)));
  const swept = new Set(targets);
  const counter = new BucketCounter();
  const index = indexWorld(world);

  // Credentials are cached per account and serve every region; the home account needs none.
  for (const account of accounts) {
    if (account !== world.homeAccount) counter.add(world.homeAccount, options.stsRegion, "AssumeRole");
  }

  const visible = new Map<string, number>();
  const accepts = new Set<string>(); // accepter account-regions accepting at least one request
  const acceptTags = new Set<string>(); // the same with the rule that accepts, named in the tags
  const rejects = new Set<string>();
  const routed = new Set<string>(); // accepter account-regions of approved or active connections
  // The VPCs whose subnets a live connection routes to, or whose groups it opens: where each is.
  const subnetVpcs = new Map<string, string>();
  const groupVpcs = new Map<string, string>();
  const revokes = new Set<string>(); // groups holding a rule of the service's that must go
  for (const peering of world.peerings.values()) {
    for (const where of new Set([sideKey(peering.accepter), sideKey(peering.requester)])) {
      visible.set(where, (visible.get(where) ?? 0) + 1);
    }
    const accepterKey = sideKey(peering.accepter);
    if (!swept.has(accepterKey)) continue;
    const [account, region] = split(accepterKey);
    const status = peering.status.code;
    const rule = options.rules.find((r) => governs(r, peering));
    const live = status === "active" || (status === "pending-acceptance" && rule !== undefined);
    if (status === "pending-acceptance" && rule) {
      counter.add(account, region, "AcceptVpcPeeringConnection");
      accepts.add(accepterKey);
      acceptTags.add(`${accepterKey}/${rule.name}`);
    } else if (status === "pending-acceptance") {
      counter.add(account, region, "RejectVpcPeeringConnection");
      rejects.add(accepterKey);
    }
    if (live && rule) {
      routed.add(accepterKey);
      const wanted = routeConnection(counter, index, peering, rule);
      openGroups(counter, index, peering, rule, wanted, revokes);
      for (const [side, other] of SIDES) {
        if (rule.reach[other]) subnetVpcs.set(peering[other].vpcId, sideKey(peering[other]));
        if (rule.groups[side]) groupVpcs.set(peering[side].vpcId, sideKey(peering[side]));
      }
    } else if (DEAD.has(status)) {
      for (const { table } of index.routes.get(peering.id) ?? []) {
        counter.add(table.ownerId, table.region, "DeleteRoute");
      }
      for (const { group } of index.taggedRules.get(peering.id) ?? []) revokes.add(group.id);
    }
  }
  // One call per group takes every rule id to revoke, whichever connections they were made for.
  for (const groupId of revokes) {
    const group = world.securityGroup(groupId);
    counter.add(group.ownerId, group.region, "RevokeSecurityGroupIngress");
  }

  const tablesIn = countBy([...world.routeTables.values()], (table) => key(table.ownerId, table.region));
  const subnetsIn = countBy(
    [...world.subnets.values()].filter((s) => subnetVpcs.has(s.vpcId)),
    (s) => key(s.ownerId, s.region),
  );
  const groupsIn = countBy(
    [...world.securityGroups.values()].filter((g) => groupVpcs.has(g.vpcId)),
    (g) => key(g.ownerId, g.region),
  );
  const taggedRulesIn = countBy([...index.taggedRules.values()].flat(), ({ group }) =>
    key(group.ownerId, group.region),
  );
  const subnetPlaces = new Set(subnetVpcs.values());
  const groupPlaces = new Set(groupVpcs.values());
  const pages = (items: number | undefined, pageSize: number) =>
    Math.max(1, Math.ceil((items ?? 0) / pageSize));
  for (const target of targets) {
    const [account, region] = split(target);
    // The listing reads every page; one more describe waits for the accepted ones to turn active.
    const listing = pages(visible.get(target), PEERING_PAGE) + (accepts.has(target) ? 1 : 0);
    counter.add(account, region, "DescribeVpcPeeringConnections", listing);
    counter.add(account, region, "DescribeRouteTables", pages(tablesIn.get(target), ROUTE_TABLE_PAGE));
    if (routed.has(target)) counter.add(account, region, "DescribeVpcs");
    // Subnets and groups only where a live connection needs them (if only to learn there are none);
    // the service's own rules everywhere: a dead connection may have left some, as it may leave routes.
    if (subnetPlaces.has(target))
      counter.add(account, region, "DescribeSubnets", pages(subnetsIn.get(target), SUBNET_PAGE));
    if (groupPlaces.has(target))
      counter.add(account, region, "DescribeSecurityGroups", pages(groupsIn.get(target), GROUP_PAGE));
    counter.add(
      account,
      region,
      "DescribeSecurityGroupRules",
      pages(taggedRulesIn.get(target), GROUP_RULE_PAGE),
    );
    if (rejects.has(target)) counter.add(account, region, "CreateTags");
  }
  // The requests one rule accepts share one tag set, naming the rule, all rejected ones another: one
  // CreateTags each.
  for (const tags of acceptTags) {
    const [account, region] = split(tags);
    counter.add(account, region, "CreateTags");
  }
  return counter.result(accounts, regions);
}

function governs(rule: RuleIntent, peering: PeeringRecord): boolean {
  if (rule.accepterVpcs && !rule.accepterVpcs.has(peering.accepter.vpcId)) return false;
  return peering.requester.cidrs.every((cidr) =>
    rule.requesterCidrs.some((allowed) => contains(allowed, cidr)),
  );
}

interface RouteAt {
  table: RouteTableRecord;
  route: RouteRecord;
}

interface TaggedRuleAt {
  group: SecurityGroupRecord;
  rule: SecurityGroupRuleRecord;
}

interface WorldIndex {
  /** Routes by the connection they target. */
  routes: Map<string, RouteAt[]>;
  tablesByVpc: Map<string, RouteTableRecord[]>;
  groupsByVpc: Map<string, SecurityGroupRecord[]>;
  subnetsByVpc: Map<string, SubnetRecord[]>;
  /** The service's own ingress rules, by the connection they are tagged with. */
  taggedRules: Map<string, TaggedRuleAt[]>;
}

function indexWorld(world: World): WorldIndex {
  const routes = new Map<string, RouteAt[]>();
  for (const table of world.routeTables.values()) {
    for (const route of table.routes) {
      if ("vpcPeeringConnectionId" in route.target)
        push(routes, route.target.vpcPeeringConnectionId, { table, route });
    }
  }
  const taggedRules = new Map<string, TaggedRuleAt[]>();
  for (const group of world.securityGroups.values()) {
    for (const rule of group.rules) {
      const connection = rule.tags[CONNECTION_TAG];
      if (!rule.isEgress && connection !== undefined) push(taggedRules, connection, { group, rule });
    }
  }
  return {
    routes,
    tablesByVpc: groupOf([...world.routeTables.values()], (t) => t.vpcId),
    groupsByVpc: groupOf([...world.securityGroups.values()], (g) => g.vpcId),
    subnetsByVpc: groupOf([...world.subnets.values()], (s) => s.vpcId),
    taggedRules,
  };
}

/** The addresses of `side` its peer routes to: its tagged subnets' CIDRs, or its VPC CIDRs. */
function reachOf(index: WorldIndex, side: PeeringSide, tags: Tags | undefined): string[] {
  if (!tags) return side.cidrs;
  return (index.subnetsByVpc.get(side.vpcId) ?? [])
    .filter((subnet) => hasTags(subnet.tags, tags))
    .flatMap((subnet) => [subnet.cidr, ...(subnet.ipv6Cidr ? [subnet.ipv6Cidr.cidr] : [])]);
}

/**
 * One CreateRoute per table of each side and reached address of the other side that has no route to
 * the connection, one DeleteRoute per route to it that goes elsewhere; returns what each side routes to.
 */
function routeConnection(
  counter: BucketCounter,
  index: WorldIndex,
  peering: PeeringRecord,
  rule: RuleIntent,
): Record<SideName, string[]> {
  const existing = index.routes.get(peering.id) ?? [];
  const wanted = {
    accepter: reachOf(index, peering.requester, rule.reach.requester),
    requester: reachOf(index, peering.accepter, rule.reach.accepter),
  };
  for (const [side] of SIDES) {
    const { vpcId, ownerId, region } = peering[side];
    for (const table of index.tablesByVpc.get(vpcId) ?? []) {
      const routes = existing.filter((r) => r.table === table).map((r) => r.route.destination);
      for (const destination of wanted[side]) {
        if (!routes.includes(destination)) counter.add(ownerId, region, "CreateRoute");
      }
      for (const destination of routes) {
        if (!wanted[side].includes(destination)) counter.add(ownerId, region, "DeleteRoute");
      }
    }
  }
  return wanted;
}

/**
 * One AuthorizeSecurityGroupIngress per opened group and connection lacking a wanted rule (a call
 * carries every rule, all tagged for the connection); the service's rules for it that are not wanted
 * mark their groups for a revoke.
 */
function openGroups(
  counter: BucketCounter,
  index: WorldIndex,
  peering: PeeringRecord,
  rule: RuleIntent,
  routedTo: Record<SideName, string[]>,
  revokes: Set<string>,
): void {
  const wantedIn = new Map<string, string[]>();
  for (const [side] of SIDES) {
    const tags = rule.groups[side];
    if (!tags) continue;
    const { vpcId, ownerId, region } = peering[side];
    for (const group of index.groupsByVpc.get(vpcId) ?? []) {
      if (!hasTags(group.tags, tags)) continue;
      const wanted = rule.ingress.flatMap((ingress) =>
        routedTo[side].map((cidr) => ruleText({ ...ingress, cidr })),
      );
      const present = new Set(group.rules.filter((r) => !r.isEgress).map(recordText));
      if (wanted.some((text) => !present.has(text)))
        counter.add(ownerId, region, "AuthorizeSecurityGroupIngress");
      wantedIn.set(group.id, wanted);
    }
  }
  for (const { group, rule: tagged } of index.taggedRules.get(peering.id) ?? []) {
    if (!(wantedIn.get(group.id) ?? []).includes(recordText(tagged))) revokes.add(group.id);
  }
}

function ruleText(rule: { protocol: string; fromPort: number; toPort: number; cidr: string }): string {
  return `${rule.protocol} ${rule.fromPort}-${rule.toPort} ${rule.cidr}`;
}

function recordText(rule: SecurityGroupRuleRecord): string {
  const { source } = rule;
  const cidr = "cidrIpv4" in source ? source.cidrIpv4 : "cidrIpv6" in source ? source.cidrIpv6 : "";
  return ruleText({ ...rule, cidr });
}

function hasTags(tags: Tags, wanted: Tags): boolean {
  return Object.entries(wanted).every(([k, v]) => tags[k] === v);
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

function push<T>(map: Map<string, T[]>, at: string, item: T): void {
  const list = map.get(at);
  if (list) list.push(item);
  else map.set(at, [item]);
}

function groupOf<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) push(groups, keyOf(item), item);
  return groups;
}
