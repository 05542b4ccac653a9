import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildSweepWorld,
  HUB_ACCOUNT,
  NARROW_RULE,
  narrowOutcome,
  RULE_NAME,
  SHARED_GROUP_TAGS,
  SHARED_PORTS,
  SHARED_SUBNET_TAGS,
  type SweepWorld,
} from "../../bench/sweep-world";
import type { World } from "../../model";
import { contains, overlaps } from "../../shared/cidr";
import { TAG_PREFIX } from "../../shared/decision/decision-tags";
import { parsePolicy } from "../../shared/policy/load-policy";
import { findApprovingRule } from "../../shared/policy/match-rule";
import { CONNECTION_TAG } from "../../shared/security-groups/rule-key";

// Built once: every test reads it, none changes it.
const built = buildSweepWorld();
const { world } = built;
const peerings = [...world.peerings.values()];
const { narrow } = built.connections;
const sharedHubs = new Set(narrow.active.map((id) => world.peering(id).accepter.vpcId));

/** Everything the sweep sees (VPCs, connections and their tags, route tables and routes), not times. */
function digest(sweep: SweepWorld): string {
  const w = sweep.world;
  const data = {
    vpcs: [...w.vpcs.values()].map((v) => [v.id, v.ownerId, v.region, v.cidrs.map((c) => c.cidr)]),
    peerings: [...w.peerings.values()].map((p) => [
      p.id,
      p.status.code,
      p.requester.vpcId,
      p.accepter.vpcId,
      p.tagsByAccount,
    ]),
    tables: [...w.routeTables.values()].map((t) => [t.id, t.vpcId, t.main, t.routes]),
    subnets: [...w.subnets.values()].map((s) => [s.id, s.vpcId, s.cidr, s.tags]),
    groups: [...w.securityGroups.values()].map((g) => [g.id, g.vpcId, g.tags, g.rules]),
    minimum: sweep.minimum,
    policy: sweep.policyYaml,
  };
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}

function peeringRoutes(w: World, connectionId: string) {
  return [...w.routeTables.values()].flatMap((table) =>
    table.routes
      .filter((r) => "vpcPeeringConnectionId" in r.target && r.target.vpcPeeringConnectionId === connectionId)
      .map((route) => ({ table, route })),
  );
}

/** The destinations of a connection's routes in one VPC's tables, sorted. */
function destinationsIn(routes: ReturnType<typeof peeringRoutes>, vpcId: string): string[] {
  return routes
    .filter(({ table }) => table.vpcId === vpcId)
    .map(({ route }) => route.destination)
    .sort();
}

/** What the requester side routes to in an accepter VPC: a shared hub's tagged subnets, else `whole`. */
function reached(accepterVpcId: string, whole: string[]): string[] {
  if (!sharedHubs.has(accepterVpcId)) return whole;
  return world
    .subnetsOfVpc(accepterVpcId)
    .filter((s) => s.tags.Tier === SHARED_SUBNET_TAGS.Tier)
    .map((s) => s.cidr)
    .sort();
}

/** The ports of the rules tagged for a connection in its accepter's shared group, from its requester VPC. */
function portsOpenedFor(connectionId: string): number[] {
  const p = world.peering(connectionId);
  const group = world
    .securityGroupsOfVpc(p.accepter.vpcId)
    .find((g) => g.tags.Peering === SHARED_GROUP_TAGS.Peering);
  return (group?.rules ?? [])
    .filter((r) => r.tags[CONNECTION_TAG] === connectionId)
    .map((r) => {
      expect(r).toMatchObject({
        isEgress: false,
        protocol: "tcp",
        source: { cidrIpv4: p.requester.cidrs[0] },
      });
      expect(r.toPort).toBe(r.fromPort);
      return r.fromPort;
    });
}

/** The narrow connections chosen to miss both sides' routes: their requester lacks two, not one. */
function missingBothSidesNarrow(): number {
  return built.connections.missingRoutes.slice(50).filter((id) => narrow.active.includes(id)).length;
}

describe("the sweep world", () => {
  it("has the shape the benchmark asks for", () => {
    expect(built.counts).toEqual({
      pending: 1000,
      approved: 950,
      rejected: 50,
      active: 2000,
      missingRoutes: { connections: 100, routes: 150 + missingBothSidesNarrow() },
      deleted: 50,
      // Both sides of each deleted one, two shared subnets on the requester side of the narrow ones.
      leftoverRoutes: 100 + narrow.deleted.length,
      vpcs: 36 + 19 * 3 * 3 + 6,
      routeTables: 36 + 19 * 3 * 3 + 6,
      // Four in every hub and spoke VPC; a group in each, and the tagged one of each shared hub.
      subnets: 4 * (36 + 19 * 3 * 3),
      securityGroups: 36 + 19 * 3 * 3 + 9,
      narrow: {
        approved: narrow.approved.length,
        active: narrow.active.length,
        // The whole-VPC ones lack both rules too.
        lackingRules: { connections: 20 + 10, rules: 10 * 2 + 10 * 1 + 10 * 2 },
        lackingRoute: 10,
        wholeVpc: 10,
        deleted: narrow.deleted.length,
        leftoverRules: 2 * narrow.deleted.length,
      },
    });
    const byStatus: Record<string, number> = {};
    for (const p of peerings) byStatus[p.status.code] = (byStatus[p.status.code] ?? 0) + 1;
    expect(byStatus).toEqual({ "pending-acceptance": 1000, active: 2000, deleted: 50 });
    expect(world.accounts.size).toBe(20);
    expect(world.homeAccount).toBe(HUB_ACCOUNT);
    expect([...world.accounts.values()].every((a) => a.role)).toBe(true);
    expect(world.options.routeLimit).toBe(1000);
  });

  it("splits connections 60/40 between hub and spoke accepters", () => {
    for (const status of ["pending-acceptance", "active", "deleted"]) {
      const of = peerings.filter((p) => p.status.code === status);
      const hub = of.filter((p) => p.accepter.ownerId === HUB_ACCOUNT);
      expect(hub.length / of.length).toBeCloseTo(0.6, 5);
      // The hub never requests; a spoke never peers with its own account.
      expect(of.every((p) => p.requester.ownerId !== HUB_ACCOUNT)).toBe(true);
      expect(of.every((p) => p.requester.ownerId !== p.accepter.ownerId)).toBe(true);
    }
  });

  it("gives every VPC one main route table and a distinct, non-overlapping CIDR", () => {
    const cidrs = [...world.vpcs.values()].map((vpc) => {
      expect(vpc.cidrs).toHaveLength(1);
      expect(world.routeTablesOfVpc(vpc.id).map((t) => t.main)).toEqual([true]);
      return vpc.cidrs[0]?.cidr ?? "";
    });
    const ten = cidrs.filter((c) => contains("10.0.0.0/8", c));
    const lab = cidrs.filter((c) => contains("172.16.0.0/12", c));
    expect(ten).toHaveLength(36 + 171);
    expect(lab).toHaveLength(6);
    expect(cidrs.every((c) => c.endsWith("/20"))).toBe(true);
    const overlapping = cidrs.flatMap((a, i) => cidrs.slice(i + 1).filter((b) => overlaps(a, b)));
    expect(overlapping).toEqual([]);
  });

  it("never connects a VPC with itself or a pair twice, nor a VPC more than 125 times", () => {
    const pairs = new Set<string>();
    const perVpc = new Map<string, number>();
    for (const p of peerings) {
      const [a, b] = [p.requester.vpcId, p.accepter.vpcId].sort();
      expect(a).not.toBe(b);
      pairs.add(`${a}|${b}`);
      for (const vpc of [a ?? "", b ?? ""]) perVpc.set(vpc, (perVpc.get(vpc) ?? 0) + 1);
    }
    expect(pairs.size).toBe(peerings.length);
    expect(Math.max(...perVpc.values())).toBeLessThanOrEqual(125);
  });

  it("rejects exactly the lab requests under its own policy", () => {
    const policy = parsePolicy(built.policyYaml, "sweep-policy.yml");
    expect(policy.unmatched).toBe("reject");
    expect(policy.rules.map((r) => r.name)).toEqual([NARROW_RULE, RULE_NAME]);
    const approvedBy = (id: string) => {
      const p = world.peering(id);
      const side = (s: typeof p.requester) => ({ account: s.ownerId, region: s.region, vpcId: s.vpcId });
      return findApprovingRule(policy, {
        accepter: side(p.accepter),
        requester: { ...side(p.requester), cidrs: p.requester.cidrs },
      }).rule?.name;
    };
    for (const id of built.connections.approved) {
      expect(approvedBy(id)).toBe(narrow.approved.includes(id) ? NARROW_RULE : RULE_NAME);
    }
    for (const id of [...narrow.active, ...narrow.deleted]) expect(approvedBy(id)).toBe(NARROW_RULE);
    const narrowRule = policy.rules[0];
    expect(narrowRule?.routes.reach).toEqual({
      accepter: { subnets: { tags: SHARED_SUBNET_TAGS } },
      requester: "vpc",
    });
    expect(narrowRule?.securityGroups).toEqual({
      accepter: { tags: SHARED_GROUP_TAGS },
      requester: "none",
      ingress: [{ protocol: "tcp", ports: SHARED_PORTS.map((port) => ({ from: port, to: port })) }],
    });
    expect(built.connections.rejected.every((id) => approvedBy(id) === undefined)).toBe(true);
    for (const id of built.connections.rejected) {
      expect(world.peering(id).requester.cidrs.every((c) => contains("172.16.0.0/12", c))).toBe(true);
    }
  });

  it("carries the accept decision tags in the accepter's account of every active connection", () => {
    for (const id of built.connections.active) {
      const p = world.peering(id);
      expect(p.tagsByAccount[p.accepter.ownerId]).toEqual({
        [`${TAG_PREFIX}decision`]: "accept",
        [`${TAG_PREFIX}rule`]: narrow.active.includes(id) ? NARROW_RULE : RULE_NAME,
        [`${TAG_PREFIX}decided-at`]: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
  });

  it("routes active connections on both sides except the ones chosen to miss routes", () => {
    const missing = new Set(built.connections.missingRoutes);
    const odd = new Set([...narrow.lackingRoute, ...narrow.wholeVpc]);
    const lacking = { accepter: 0, both: 0 };
    for (const id of built.connections.active) {
      const p = world.peering(id);
      const routes = peeringRoutes(world, id);
      expect(routes.every(({ route }) => route.state === "active")).toBe(true);
      const at = (vpcId: string) => destinationsIn(routes, vpcId);
      const accepterSide = at(p.accepter.vpcId).length > 0;
      const requesterSide = at(p.requester.vpcId).length > 0;
      if (!missing.has(id)) expect([accepterSide, requesterSide]).toEqual([true, true]);
      else if (requesterSide) lacking.accepter += Number(!accepterSide);
      else lacking.both += Number(!accepterSide);
      if (accepterSide) expect(at(p.accepter.vpcId)).toEqual(p.requester.cidrs);
      if (requesterSide && !odd.has(id))
        expect(at(p.requester.vpcId)).toEqual(reached(p.accepter.vpcId, p.accepter.cidrs));
    }
    expect(lacking).toEqual({ accepter: 50, both: 50 });
  });

  it("gives a clear share of the connections to the shared hubs: three a region, two tagged subnets each", () => {
    expect(sharedHubs.size).toBe(9);
    const share = (part: string[], whole: string[]) => part.length / whole.length;
    for (const [part, whole] of [
      [narrow.approved, built.connections.approved],
      [narrow.active, built.connections.active],
    ] as const) {
      expect(share(part, whole)).toBeGreaterThan(0.1);
      expect(share(part, whole)).toBeLessThan(0.2);
    }
    for (const vpcId of sharedHubs) {
      expect(world.vpc(vpcId).ownerId).toBe(HUB_ACCOUNT);
      const subnets = world.subnetsOfVpc(vpcId);
      expect(subnets.filter((s) => s.tags.Tier === SHARED_SUBNET_TAGS.Tier)).toHaveLength(2);
      expect(subnets.every((s) => contains(world.vpc(vpcId).cidrs[0]?.cidr ?? "", s.cidr))).toBe(true);
      const tagged = world
        .securityGroupsOfVpc(vpcId)
        .filter((g) => g.tags.Peering === SHARED_GROUP_TAGS.Peering);
      expect(tagged).toHaveLength(1);
    }
    const otherTagged = [...world.securityGroups.values()].filter(
      (g) => g.tags.Peering !== undefined && !sharedHubs.has(g.vpcId),
    );
    expect(otherTagged).toEqual([]);
  });

  it("opens the shared groups to the narrow connections, except the ones chosen to lack rules", () => {
    const lacking = new Map(narrow.lackingRules.map((id, i) => [id, i < 10 ? [] : [443]]));
    for (const id of narrow.wholeVpc) lacking.set(id, []);
    for (const id of narrow.active) {
      expect(portsOpenedFor(id)).toEqual(lacking.get(id) ?? [...SHARED_PORTS]);
    }
    for (const id of narrow.deleted) expect(portsOpenedFor(id)).toEqual([...SHARED_PORTS]);
    const narrowIds = new Set([...narrow.active, ...narrow.deleted]);
    const taggedFor = [...world.securityGroups.values()].flatMap((g) =>
      g.rules.map((r) => r.tags[CONNECTION_TAG]),
    );
    expect(taggedFor.filter((id) => id !== undefined && !narrowIds.has(id))).toEqual([]);
  });

  it("routes the chosen narrow connections oddly: one shared subnet only, or the whole hub VPC", () => {
    const sets = [narrow.lackingRules, narrow.lackingRoute, narrow.wholeVpc, built.connections.missingRoutes];
    const all = sets.flat();
    // Each connection plays one part at most.
    expect(new Set(all).size).toBe(all.length);
    for (const id of narrow.lackingRoute) {
      const p = world.peering(id);
      expect(destinationsIn(peeringRoutes(world, id), p.requester.vpcId)).toEqual(
        reached(p.accepter.vpcId, []).slice(0, 1),
      );
    }
    for (const id of narrow.wholeVpc) {
      const p = world.peering(id);
      expect(destinationsIn(peeringRoutes(world, id), p.requester.vpcId)).toEqual(p.accepter.cidrs);
    }
  });

  it("tells what the sweep has to do about the narrow connections, and nothing else", () => {
    const outcome = narrowOutcome(built);
    const missingNarrow = built.connections.missingRoutes.filter((id) => narrow.active.includes(id));
    const sorted = (ids: string[]) => [...ids].sort();
    expect(sorted(outcome.unrouted)).toEqual(
      sorted([...narrow.approved, ...narrow.lackingRoute, ...narrow.wholeVpc, ...missingNarrow]),
    );
    expect(sorted(outcome.unopened)).toEqual(
      sorted([...narrow.approved, ...narrow.lackingRules, ...narrow.wholeVpc]),
    );
    expect(outcome.leftover).toEqual(narrow.deleted);
    expect(outcome.foreignGone).toEqual([]);
  });

  it("leaves blackhole routes of deleted connections on both sides, and none for pending ones", () => {
    for (const id of built.connections.deleted) {
      const p = world.peering(id);
      const routes = peeringRoutes(world, id);
      expect(routes.every(({ route }) => route.state === "blackhole")).toBe(true);
      expect(destinationsIn(routes, p.accepter.vpcId)).toEqual(p.requester.cidrs);
      expect(destinationsIn(routes, p.requester.vpcId)).toEqual(reached(p.accepter.vpcId, p.accepter.cidrs));
    }
    for (const id of [...built.connections.approved, ...built.connections.rejected]) {
      expect(peeringRoutes(world, id)).toEqual([]);
    }
  });

  it("is the same world for the same seed, and another for another seed", () => {
    expect(digest(buildSweepWorld())).toBe(digest(built));
    expect(digest(buildSweepWorld({ seed: 7 }))).not.toBe(digest(built));
  });

  it("builds in well under a second", () => {
    const started = performance.now();
    buildSweepWorld({ seed: 11 });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
