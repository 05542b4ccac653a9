import { describe, expect, it } from "vitest";
import {
  type BucketCalls,
  lowerBound,
  minimumSweepCalls,
  OPERATIONS,
  type RuleIntent,
  type ThrottleModel,
} from "../../bench/sweep-minimum";
import { buildSweepWorld, HUB_ACCOUNT, NARROW_RULE, RULE_NAME } from "../../bench/sweep-world";
import { World } from "../../model";
import { CONNECTION_TAG } from "../../shared/security-groups/rule-key";
import { addPcxRoute } from "../handlers/sweep-worlds";

// Built once: every test reads it, none changes it.
const built = buildSweepWorld();
const { world } = built;

describe("the minimum calls of one sweep", () => {
  const { minimum } = built;

  it("adds up: each operation's total is the sum of its buckets", () => {
    for (const operation of OPERATIONS) {
      const sum = minimum.buckets.filter((b) => b.operation === operation).reduce((n, b) => n + b.calls, 0);
      expect(minimum.totals[operation]).toBe(sum);
    }
    expect(minimum.total).toBe(Object.values(minimum.totals).reduce((a, b) => a + b, 0));
    expect(minimum.buckets.every((b) => b.calls > 0)).toBe(true);
  });

  it("has the figures the world's structure gives", () => {
    const { counts, connections } = built;
    const { narrow } = connections;
    const approvedBy = (rule: string) =>
      connections.approved.filter((id) => narrow.approved.includes(id) === (rule === NARROW_RULE));
    const sharedHubRegions = new Set(accepterRegions(narrow.active));
    expect(sharedHubRegions.size).toBe(3);
    const groupsOf = (ids: string[]) =>
      new Set(
        [...world.securityGroups.values()].flatMap((g) =>
          g.rules.some((r) => ids.includes(r.tags[CONNECTION_TAG] ?? "")) ? [g.id] : [],
        ),
      );
    expect(minimum.totals).toEqual({
      AssumeRole: 19,
      // 60 account-regions, each one listing page; plus one wait in each that accepts a request.
      DescribeVpcPeeringConnections: 60 + new Set(accepterRegions(connections.approved)).size,
      DescribeVpcs: 60,
      DescribeRouteTables: 60,
      // Only where the shared hubs are: their subnets are routed to, their groups opened.
      DescribeSubnets: sharedHubRegions.size,
      DescribeSecurityGroups: sharedHubRegions.size,
      // Everywhere: a dead connection may have left rules anywhere, as it may have left routes.
      DescribeSecurityGroupRules: 60,
      AcceptVpcPeeringConnection: 950,
      RejectVpcPeeringConnection: 50,
      // Both sides of each accepted request (two shared subnets on the requester side of the narrow
      // ones), the missing routes, the lacking narrow route, two narrow routes for each whole-VPC one.
      CreateRoute:
        2 * 950 +
        narrow.approved.length +
        counts.missingRoutes.routes +
        narrow.lackingRoute.length +
        2 * narrow.wholeVpc.length,
      // The deleted connections' routes, and the whole-VPC route of each narrowed connection.
      DeleteRoute: counts.leftoverRoutes + narrow.wholeVpc.length,
      // One per connection and group: each narrow request, each narrow connection lacking rules.
      AuthorizeSecurityGroupIngress:
        narrow.approved.length + narrow.lackingRules.length + narrow.wholeVpc.length,
      RevokeSecurityGroupIngress: groupsOf(narrow.deleted).size,
      // One tag set per rule that accepts in an account-region, one for the rejections.
      CreateTags:
        new Set(accepterRegions(approvedBy(RULE_NAME))).size +
        new Set(accepterRegions(approvedBy(NARROW_RULE))).size +
        new Set(accepterRegions(connections.rejected)).size,
      ModifyVpcPeeringConnectionOptions: 0,
    });
    // Roles are assumed by the home account, from its own region.
    expect(minimum.buckets.filter((b) => b.operation === "AssumeRole")).toEqual([
      { account: HUB_ACCOUNT, region: "us-east-1", operation: "AssumeRole", calls: 19 },
    ]);
  });

  it("puts accepts and tags in the accepter's account-region, routes in each side's own", () => {
    const where = (b: BucketCalls) => `${b.account} ${b.region}`;
    const accepts = minimum.buckets.filter((b) => b.operation === "AcceptVpcPeeringConnection");
    expect(new Set(accepts.map(where))).toEqual(new Set(accepterRegions(built.connections.approved)));
    const hubRoutes = minimum.buckets
      .filter((b) => b.operation === "CreateRoute" && b.account === HUB_ACCOUNT)
      .reduce((n, b) => n + b.calls, 0);
    // The hub only ever accepts: its routes are the accepter side of hub-accepted connections.
    const hubApproved = built.connections.approved.filter(
      (id) => world.peering(id).accepter.ownerId === HUB_ACCOUNT,
    ).length;
    const hubMissing = built.connections.missingRoutes.filter(
      (id) => world.peering(id).accepter.ownerId === HUB_ACCOUNT,
    ).length;
    expect(hubRoutes).toBe(hubApproved + hubMissing);
  });
});

// --- small worlds, counted by hand -------------------------------------------------------------

const HOME = "111111111111";
const SPOKE = "222222222222";
const EAST = "us-east-1";
const WEST = "eu-west-1";
const SHARED = { Tier: "shared" };
const OPEN = { Peering: "shared" };
const tcp = (port: number) => ({ protocol: "tcp", fromPort: port, toPort: port });
/** Routes the accepter's tagged subnets, opens its tagged groups on 443 and 5432, for the hub's VPC only. */
const narrowRule = (hub: string): RuleIntent => ({
  name: "narrow",
  accepterVpcs: new Set([hub]),
  requesterCidrs: ["10.0.0.0/8"],
  reach: { accepter: SHARED },
  groups: { accepter: OPEN },
  ingress: [tcp(443), tcp(5432)],
});
const orgRule: RuleIntent = {
  name: "org",
  requesterCidrs: ["10.0.0.0/8"],
  reach: {},
  groups: {},
  ingress: [],
};

/**
 * A hub VPC (10.0.0.0/16, two subnets tagged shared and one not, a tagged group and an untagged one)
 * in the home account and a spoke VPC (10.1.0.0/16) in another, both in us-east-1.
 */
function smallWorld(options: { rulesPerGroup?: number } = {}) {
  const world = new World({ homeAccount: HOME, options });
  world.addAccount(SPOKE);
  const hub = world.addVpc({ ownerId: HOME, region: EAST, cidrs: ["10.0.0.0/16"] });
  const spoke = world.addVpc({ ownerId: SPOKE, region: EAST, cidrs: ["10.1.0.0/16"] });
  world.addSubnet({ vpcId: hub, cidr: "10.0.0.0/24", tags: SHARED });
  world.addSubnet({ vpcId: hub, cidr: "10.0.1.0/24", tags: SHARED });
  world.addSubnet({ vpcId: hub, cidr: "10.0.2.0/24", tags: { Tier: "app" } });
  const group = world.addSecurityGroup({ vpcId: hub, tags: OPEN });
  world.addSecurityGroup({ vpcId: hub, tags: { Name: "app" } });
  const table = (vpcId: string) => world.routeTablesOfVpc(vpcId)[0]?.id ?? "";
  const rule = (connectionId: string | undefined, port: number, cidrIpv4 = "10.1.0.0/16") =>
    world.addSecurityGroupRule(group, {
      ...tcp(port),
      cidrIpv4,
      tags: connectionId ? { [CONNECTION_TAG]: connectionId } : {},
    });
  return { world, hub, spoke, group, table, rule, rules: [narrowRule(hub), orgRule] };
}

/** An active connection from the spoke to the hub with the routes the narrow rule wants. */
function routedNarrow(small: ReturnType<typeof smallWorld>, spokeRoutes = ["10.0.0.0/24", "10.0.1.0/24"]) {
  const { world, hub, spoke, table } = small;
  const id = world.addPeering({ requesterVpcId: spoke, accepterVpcId: hub, status: "active" });
  addPcxRoute(world, table(hub), "10.1.0.0/16", id);
  for (const destination of spokeRoutes) addPcxRoute(world, table(spoke), destination, id);
  return id;
}

type Totals = Partial<Record<(typeof OPERATIONS)[number], number>>;
/** Two accounts in one region with nothing to do: roles, listings, tables and the service's rules read. */
const IDLE: Totals = {
  AssumeRole: 1,
  DescribeVpcPeeringConnections: 2,
  DescribeRouteTables: 2,
  DescribeSecurityGroupRules: 2,
};
/** An active connection to the hub: its CIDRs, subnets and groups read where it is. */
const LIVE_NARROW: Totals = { ...IDLE, DescribeVpcs: 1, DescribeSubnets: 1, DescribeSecurityGroups: 1 };

const cases: {
  name: string;
  build: () => { world: World; rules: RuleIntent[]; regions?: string[] };
  totals: Totals;
  buckets?: Partial<BucketCalls>[];
}[] = [
  {
    name: "a request to the hub: routes to its tagged subnets, one authorize for its tagged group",
    build: () => {
      const small = smallWorld();
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: small.hub });
      return small;
    },
    totals: {
      ...LIVE_NARROW,
      DescribeVpcPeeringConnections: 3,
      AcceptVpcPeeringConnection: 1,
      // The hub's table to the spoke VPC, the spoke's to the two shared subnets.
      CreateRoute: 3,
      AuthorizeSecurityGroupIngress: 1,
      CreateTags: 1,
    },
    buckets: [{ account: HOME, region: EAST, operation: "AuthorizeSecurityGroupIngress", calls: 1 }],
  },
  {
    name: "a request to another hub VPC: whole VPCs routed, no subnets or groups read",
    build: () => {
      const small = smallWorld();
      const other = small.world.addVpc({ ownerId: HOME, region: EAST, cidrs: ["10.2.0.0/16"] });
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: other });
      return small;
    },
    totals: {
      ...IDLE,
      DescribeVpcPeeringConnections: 3,
      DescribeVpcs: 1,
      AcceptVpcPeeringConnection: 1,
      CreateRoute: 2,
      CreateTags: 1,
    },
  },
  {
    name: "requests accepted by two rules in one account-region: a tag set each",
    build: () => {
      const small = smallWorld();
      const other = small.world.addVpc({ ownerId: HOME, region: EAST, cidrs: ["10.2.0.0/16"] });
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: small.hub });
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: other });
      return small;
    },
    totals: {
      ...LIVE_NARROW,
      DescribeVpcPeeringConnections: 3,
      AcceptVpcPeeringConnection: 2,
      CreateRoute: 5,
      AuthorizeSecurityGroupIngress: 1,
      CreateTags: 2,
    },
  },
  {
    name: "a request to a hub VPC of the rule with no subnets or groups: read all the same, nothing opened",
    build: () => {
      const small = smallWorld();
      const bare = small.world.addVpc({ ownerId: HOME, region: EAST, cidrs: ["10.2.0.0/16"] });
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: bare });
      return { world: small.world, rules: [narrowRule(bare)] };
    },
    totals: {
      ...LIVE_NARROW,
      DescribeVpcPeeringConnections: 3,
      AcceptVpcPeeringConnection: 1,
      // Only the hub's table to the spoke VPC: the spoke has no shared subnet to route to.
      CreateRoute: 1,
      CreateTags: 1,
    },
  },
  {
    name: "a request to the hub with two tagged groups: one authorize each",
    build: () => {
      const small = smallWorld();
      small.world.addSecurityGroup({ vpcId: small.hub, tags: OPEN });
      small.world.addPeering({ requesterVpcId: small.spoke, accepterVpcId: small.hub });
      return small;
    },
    totals: {
      ...LIVE_NARROW,
      DescribeVpcPeeringConnections: 3,
      AcceptVpcPeeringConnection: 1,
      CreateRoute: 3,
      AuthorizeSecurityGroupIngress: 2,
      CreateTags: 1,
    },
  },
  {
    name: "an active connection with its routes and rules (one of them someone else's) needs nothing",
    build: () => {
      const small = smallWorld();
      const id = routedNarrow(small);
      small.rule(id, 443);
      small.rule(undefined, 5432);
      return small;
    },
    totals: LIVE_NARROW,
  },
  {
    name: "an active connection lacking one of its two rules: one authorize",
    build: () => {
      const small = smallWorld();
      small.rule(routedNarrow(small), 443);
      return small;
    },
    totals: { ...LIVE_NARROW, AuthorizeSecurityGroupIngress: 1 },
  },
  {
    name: "an active connection lacking a route to one shared subnet: one create",
    build: () => {
      const small = smallWorld();
      const id = routedNarrow(small, ["10.0.0.0/24"]);
      small.rule(id, 443);
      small.rule(id, 5432);
      return small;
    },
    totals: { ...LIVE_NARROW, CreateRoute: 1 },
  },
  {
    name: "an active connection still routed to the whole hub VPC: one delete, two creates",
    build: () => {
      const small = smallWorld();
      const id = routedNarrow(small, ["10.0.0.0/16"]);
      small.rule(id, 443);
      small.rule(id, 5432);
      return small;
    },
    totals: { ...LIVE_NARROW, CreateRoute: 2, DeleteRoute: 1 },
  },
  {
    name: "a rule of the service's for a port no longer opened: one revoke",
    build: () => {
      const small = smallWorld();
      const id = routedNarrow(small);
      for (const port of [443, 5432, 22]) small.rule(id, port);
      return small;
    },
    totals: { ...LIVE_NARROW, RevokeSecurityGroupIngress: 1 },
  },
  {
    name: "rules of two deleted connections in one group: one revoke, nothing else read",
    build: () => {
      const small = smallWorld();
      const other = small.world.addVpc({ ownerId: SPOKE, region: EAST, cidrs: ["10.3.0.0/16"] });
      for (const [requesterVpcId, cidr] of [
        [small.spoke, "10.1.0.0/16"],
        [other, "10.3.0.0/16"],
      ] as const) {
        const id = small.world.addPeering({ requesterVpcId, accepterVpcId: small.hub, status: "deleted" });
        small.rule(id, 443, cidr);
      }
      return small;
    },
    totals: { ...IDLE, RevokeSecurityGroupIngress: 1 },
  },
  {
    name: "rules of two deleted connections in two groups: a revoke each, with their routes deleted",
    build: () => {
      const small = smallWorld();
      const { world, hub, spoke, table } = small;
      const second = world.addSecurityGroup({ vpcId: hub, tags: OPEN });
      for (const group of [small.group, second]) {
        const id = world.addPeering({ requesterVpcId: spoke, accepterVpcId: hub, status: "deleted" });
        world.addSecurityGroupRule(group, {
          ...tcp(443),
          cidrIpv4: "10.1.0.0/16",
          tags: { [CONNECTION_TAG]: id },
        });
        addPcxRoute(world, table(spoke), "10.0.0.0/24", id);
      }
      return small;
    },
    totals: { ...IDLE, RevokeSecurityGroupIngress: 2, DeleteRoute: 2 },
  },
  {
    name: "1,001 of the service's rules in one account-region: two pages of them there",
    build: () => {
      const small = smallWorld({ rulesPerGroup: 1100 });
      const id = small.world.addPeering({
        requesterVpcId: small.spoke,
        accepterVpcId: small.hub,
        status: "deleted",
      });
      for (let port = 1; port <= 1001; port++) small.rule(id, port);
      return small;
    },
    totals: { ...IDLE, DescribeSecurityGroupRules: 3, RevokeSecurityGroupIngress: 1 },
    buckets: [{ account: HOME, region: EAST, operation: "DescribeSecurityGroupRules", calls: 2 }],
  },
  {
    name: "a rule opening the requester's groups to its tagged subnets, in another region: read and opened there",
    build: () => {
      const small = smallWorld();
      const { world, hub } = small;
      const west = world.addVpc({ ownerId: SPOKE, region: WEST, cidrs: ["10.4.0.0/16"] });
      world.addSubnet({ vpcId: west, cidr: "10.4.0.0/24", tags: SHARED });
      world.addSubnet({ vpcId: west, cidr: "10.4.1.0/24" });
      world.addSecurityGroup({ vpcId: west, tags: OPEN });
      world.addPeering({ requesterVpcId: west, accepterVpcId: hub });
      const rule: RuleIntent = {
        name: "requester",
        requesterCidrs: ["10.0.0.0/8"],
        reach: { requester: SHARED },
        groups: { requester: OPEN },
        ingress: [tcp(443)],
      };
      return { world, rules: [rule], regions: [EAST, WEST] };
    },
    totals: {
      AssumeRole: 1,
      DescribeVpcPeeringConnections: 4 + 1,
      DescribeRouteTables: 4,
      DescribeSecurityGroupRules: 4,
      DescribeVpcs: 1,
      DescribeSubnets: 1,
      DescribeSecurityGroups: 1,
      AcceptVpcPeeringConnection: 1,
      // The hub's table to the one tagged requester subnet, the requester's to the hub VPC.
      CreateRoute: 2,
      AuthorizeSecurityGroupIngress: 1,
      CreateTags: 1,
    },
    buckets: [
      { account: SPOKE, region: WEST, operation: "DescribeSubnets", calls: 1 },
      { account: SPOKE, region: WEST, operation: "DescribeSecurityGroups", calls: 1 },
      { account: SPOKE, region: WEST, operation: "AuthorizeSecurityGroupIngress", calls: 1 },
      { account: HOME, region: EAST, operation: "CreateRoute", calls: 1 },
      { account: SPOKE, region: WEST, operation: "CreateRoute", calls: 1 },
    ],
  },
];

describe("the minimum of small worlds, counted by hand", () => {
  it.each(cases)("$name", ({ build, totals, buckets = [] }) => {
    const { world: small, rules, regions = [EAST] } = build();
    const minimum = minimumSweepCalls(small, { regions, rules, stsRegion: EAST });
    const zeros = Object.fromEntries(OPERATIONS.map((op) => [op, 0]));
    expect(minimum.totals).toEqual({ ...zeros, ...totals });
    for (const bucket of buckets) expect(minimum.buckets).toContainEqual(bucket);
  });
});

function accepterRegions(ids: string[]): string[] {
  return ids.map((id) => {
    const { accepter } = world.peering(id);
    return `${accepter.ownerId} ${accepter.region}`;
  });
}

describe("lowerBound", () => {
  const model: ThrottleModel = {
    latencyMs: 50,
    describe: { capacity: 100, refillPerSecond: 20 },
    mutating: { capacity: 50, refillPerSecond: 5 },
  };
  const bucket = (operation: BucketCalls["operation"], calls: number): BucketCalls => ({
    account: "100000000000",
    region: "us-east-1",
    operation,
    calls,
  });

  it("is the drain time of a bucket over its capacity, plus one round trip", () => {
    const bound = lowerBound({ buckets: [bucket("CreateRoute", 150)] }, model);
    // 100 calls beyond the 50 in the bucket, at 5 a second: 20 s, then the last call's 50 ms.
    expect(bound.ms).toBe(20_050);
    expect(bound.setBy).toEqual({ kind: "bucket", bucket: bucket("CreateRoute", 150) });
    expect(bound.description).toBe("CreateRoute in 100000000000 us-east-1");
  });

  it("uses the describe shape for Describe* calls", () => {
    // 150 describes: 50 beyond 100, at 20 a second: 2.5 s + 50 ms, more than 30 CreateTags (under 50).
    const bound = lowerBound(
      { buckets: [bucket("CreateTags", 30), bucket("DescribeRouteTables", 150)] },
      model,
    );
    expect(bound.ms).toBe(2_550);
    expect(bound.description).toBe("DescribeRouteTables in 100000000000 us-east-1");
  });

  it.each([
    // 100 beyond the 50 of the mutating bucket at 5 a second; 50 beyond the 100 of the describe one at 20.
    ["AuthorizeSecurityGroupIngress", 20_050],
    ["RevokeSecurityGroupIngress", 20_050],
    ["DescribeSubnets", 2_550],
    ["DescribeSecurityGroups", 2_550],
    ["DescribeSecurityGroupRules", 2_550],
  ] as const)("drains %s by its own kind of bucket", (operation, ms) => {
    const bound = lowerBound({ buckets: [bucket(operation, 150)] }, model);
    expect(bound).toMatchObject({ ms, setBy: { kind: "bucket", bucket: bucket(operation, 150) } });
  });

  it("is the chain of 7 round trips when every bucket is under capacity", () => {
    const bound = lowerBound({ buckets: [bucket("CreateRoute", 50), bucket("DescribeVpcs", 100)] }, model);
    expect(bound).toEqual({
      ms: 350,
      setBy: { kind: "chain", roundTrips: 7 },
      description: "the chain of 7 dependent round trips",
    });
  });

  it("leaves STS out: EC2's buckets do not throttle AssumeRole", () => {
    const bound = lowerBound({ buckets: [bucket("AssumeRole", 500)] }, model);
    expect(bound.setBy.kind).toBe("chain");
  });

  it("is set by the hub's busiest CreateRoute bucket in the sweep world", () => {
    const bound = lowerBound(built.minimum, model);
    const routes = built.minimum.buckets.filter((b) => b.operation === "CreateRoute");
    const busiest = Math.max(...routes.map((b) => b.calls));
    expect(bound.setBy).toMatchObject({
      kind: "bucket",
      bucket: { account: HUB_ACCOUNT, operation: "CreateRoute", calls: busiest },
    });
    expect(bound.ms).toBe(((busiest - 50) / 5) * 1000 + 50);
  });
});
