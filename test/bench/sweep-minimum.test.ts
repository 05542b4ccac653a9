import { describe, expect, it } from "vitest";
import { type BucketCalls, lowerBound, OPERATIONS, type ThrottleModel } from "../../bench/sweep-minimum";
import { buildSweepWorld, HUB_ACCOUNT } from "../../bench/sweep-world";

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
    expect(minimum.totals).toEqual({
      AssumeRole: 19,
      // 60 account-regions, each one listing page; plus one wait in each that accepts a request.
      DescribeVpcPeeringConnections: 60 + new Set(accepterRegions(built.connections.approved)).size,
      DescribeVpcs: 60,
      DescribeRouteTables: 60,
      AcceptVpcPeeringConnection: 950,
      RejectVpcPeeringConnection: 50,
      CreateRoute: 2 * 950 + 150,
      DeleteRoute: 100,
      CreateTags:
        new Set(accepterRegions(built.connections.approved)).size +
        new Set(accepterRegions(built.connections.rejected)).size,
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
