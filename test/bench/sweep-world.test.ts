import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildSweepWorld, HUB_ACCOUNT, RULE_NAME, type SweepWorld } from "../../bench/sweep-world";
import type { World } from "../../model";
import { contains, overlaps } from "../../shared/cidr";
import { TAG_PREFIX } from "../../shared/decision/decision-tags";
import { parsePolicy } from "../../shared/policy/load-policy";
import { findApprovingRule } from "../../shared/policy/match-rule";

// Built once: every test reads it, none changes it.
const built = buildSweepWorld();
const { world } = built;
const peerings = [...world.peerings.values()];

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

describe("the sweep world", () => {
  it("has the shape the benchmark asks for", () => {
    expect(built.counts).toEqual({
      pending: 1000,
      approved: 950,
      rejected: 50,
      active: 2000,
      missingRoutes: { connections: 100, routes: 150 },
      deleted: 50,
      leftoverRoutes: 100,
      vpcs: 36 + 19 * 3 * 3 + 6,
      routeTables: 36 + 19 * 3 * 3 + 6,
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
    expect(policy.rules.map((r) => r.name)).toEqual([RULE_NAME]);
    const approvedBy = (id: string) => {
      const p = world.peering(id);
      const side = (s: typeof p.requester) => ({ account: s.ownerId, region: s.region, vpcId: s.vpcId });
      return findApprovingRule(policy, {
        accepter: side(p.accepter),
        requester: { ...side(p.requester), cidrs: p.requester.cidrs },
      }).rule?.name;
    };
    expect(built.connections.approved.every((id) => approvedBy(id) === RULE_NAME)).toBe(true);
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
        [`${TAG_PREFIX}rule`]: RULE_NAME,
        [`${TAG_PREFIX}decided-at`]: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
  });

  it("routes active connections on both sides except the ones chosen to miss routes", () => {
    const missing = new Set(built.connections.missingRoutes);
    const lacking = { accepter: 0, both: 0 };
    for (const id of built.connections.active) {
      const p = world.peering(id);
      const routes = peeringRoutes(world, id);
      expect(routes.every(({ route }) => route.state === "active")).toBe(true);
      const has = (vpcId: string, destination: string) =>
        routes.some(({ table, route }) => table.vpcId === vpcId && route.destination === destination);
      const accepterSide = has(p.accepter.vpcId, p.requester.cidrs[0] ?? "");
      const requesterSide = has(p.requester.vpcId, p.accepter.cidrs[0] ?? "");
      if (!missing.has(id)) expect([accepterSide, requesterSide]).toEqual([true, true]);
      else if (requesterSide) lacking.accepter += Number(!accepterSide);
      else lacking.both += Number(!accepterSide);
    }
    expect(lacking).toEqual({ accepter: 50, both: 50 });
  });

  it("leaves blackhole routes of deleted connections on both sides, and none for pending ones", () => {
    for (const id of built.connections.deleted) {
      const routes = peeringRoutes(world, id);
      expect(routes).toHaveLength(2);
      expect(routes.every(({ route }) => route.state === "blackhole")).toBe(true);
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
