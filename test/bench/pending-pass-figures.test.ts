import { describe, expect, it } from "vitest";
import {
  distribution,
  formatFigures,
  HOUR_MS,
  hourlyCost,
  MINUTE_MS,
  nextTick,
  type PendingPassFigures,
  percentile,
  refillShare,
  timesToRoutes,
  uniformTimes,
} from "../../bench/pending-pass-figures";

const BOTH = { fullEveryMs: 5 * MINUTE_MS, pendingEveryMs: MINUTE_MS };
const FULL_ALONE = { fullEveryMs: 5 * MINUTE_MS };

describe("the reconciler's schedules in the pending-pass benchmark", () => {
  it.each([
    [0, BOTH, { at: MINUTE_MS, pass: "pending" }],
    [59_999, BOTH, { at: MINUTE_MS, pass: "pending" }],
    // A request made as a tick arrives waits for the next one: the pass may have listed already.
    [MINUTE_MS, BOTH, { at: 2 * MINUTE_MS, pass: "pending" }],
    // Both schedules tick at once: one batch, the full pass.
    [4 * MINUTE_MS + 1, BOTH, { at: 5 * MINUTE_MS, pass: "full" }],
    [1, FULL_ALONE, { at: 5 * MINUTE_MS, pass: "full" }],
    [5 * MINUTE_MS, FULL_ALONE, { at: 10 * MINUTE_MS, pass: "full" }],
  ] as const)("after %i ms the next tick is %j", (ms, schedule, expected) => {
    expect(nextTick(ms, schedule)).toEqual(expected);
  });

  it("spreads creation times evenly over the window", () => {
    expect(uniformTimes(4, 60_000)).toEqual([7_500, 22_500, 37_500, 52_500]);
  });

  it("adds the wait for the next tick to the time its pass takes to route the request", () => {
    const took = { pending: 400, full: 1_000 };
    // Creations at 37.5, 112.5, 187.5, 262.5 s: three pending ticks, then the full one at 300 s.
    expect(timesToRoutes(BOTH, took, 4)).toEqual([22_900, 7_900, 52_900, 38_500]);
    // Creations at 75 s and 225 s wait for the full tick at 300 s.
    expect(timesToRoutes(FULL_ALONE, took, 2)).toEqual([226_000, 76_000]);
  });
});

describe("the benchmark's statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
    expect(() => percentile([], 50)).toThrow();
    expect(distribution([3, 1, 2])).toEqual({ samples: 3, p50Ms: 2, p99Ms: 3, maxMs: 3 });
  });

  it("counts calls per account-region per hour and the busiest account-region", () => {
    const call = (operation: string, account: string) => ({ operation, account, region: "us-east-1" });
    const calls = [
      call("DescribeVpcPeeringConnections", "1"),
      call("DescribeVpcPeeringConnections", "1"),
      call("DescribeVpcs", "1"),
      call("DescribeVpcPeeringConnections", "2"),
    ];
    // Half an hour over two account-regions.
    expect(hourlyCost(calls, 2, HOUR_MS / 2)).toEqual({
      perTargetPerHour: 4,
      byOperation: { DescribeVpcPeeringConnections: 3, DescribeVpcs: 1 },
      busiest: { target: "1/us-east-1", perHour: 6 },
      listingsPerHour: { average: 3, busiest: 4 },
    });
  });

  it("says what share of a bucket's refill calls use", () => {
    // 60 listings an hour from a bucket refilled at 20 a second (72,000 an hour).
    expect(refillShare(60, 20)).toBeCloseTo(1 / 1200, 10);
  });
});

describe("the pending-pass benchmark's report", () => {
  const cost = (perHour: number) => ({
    perTargetPerHour: perHour,
    byOperation: { DescribeVpcPeeringConnections: perHour },
    busiest: { target: "100000000000/us-east-1", perHour },
    listingsPerHour: { average: perHour, busiest: perHour },
  });
  const figures: PendingPassFigures = {
    targets: 60,
    latencyMs: 50,
    listingBucket: { capacity: 100, refillPerSecond: 20 },
    nothingPending: cost(60),
    parked: { requests: 50, cost: cost(180) },
    fullPass: cost(36),
    oneRequest: { DescribeVpcPeeringConnections: 61, CreateRoute: 2 },
    passToRoutesMs: { pending: 400, full: 1_250 },
    toRoutes: {
      withPendingPass: { samples: 60, p50Ms: 30_400, p99Ms: 59_900, maxMs: 59_950 },
      fullPassAlone: { samples: 60, p50Ms: 150_500, p99Ms: 298_000, maxMs: 298_100 },
    },
  };

  it("prints every figure", () => {
    const report = formatFigures(figures).join("\n");
    expect(report).toContain("over 60 account-regions");
    expect(report).toMatch(
      /nothing pending +60 calls per account-region per hour \(DescribeVpcPeeringConnections 60\)/,
    );
    expect(report).toContain("listing bucket: 0.083% of its refill");
    expect(report).toMatch(/50 requests awaiting approval +180 calls/);
    expect(report).toContain(
      "one pending pass deciding one new request: CreateRoute 2, DescribeVpcPeeringConnections 61",
    );
    expect(report).toContain("pending pass 0.40 s, full pass 1.25 s");
    expect(report).toMatch(
      /pending pass each minute, full every 5 min +p50 30\.40 s, p99 59\.90 s, max 59\.95 s \(60 requests\)/,
    );
    expect(report).toMatch(/full pass every 5 min alone +p50 150\.50 s, p99 298\.00 s, max 298\.10 s/);
  });
});
