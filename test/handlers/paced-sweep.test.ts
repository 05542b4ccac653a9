import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../bench/virtual-clock";
import type { World } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { SHARED_VPC, useService } from "./harness";
import { BACKLOG_POLICY, backlog } from "./worlds";

/**
 * EC2 throttles per account, region and action. The model's buckets here are tiny (5 tokens, 1 per
 * second for each mutating action), and 30 requests wait in one account-region: the sweep must pace
 * itself instead of being throttled. Time is virtual (see bench/virtual-clock.ts), so the paced waits
 * cost no real time.
 */
const REQUESTS = 30;
const BUCKETS = {
  describe: { capacity: 10, refillPerSecond: 5 },
  mutating: { capacity: 5, refillPerSecond: 1 },
};

function pacedBacklog(world: World) {
  world.options.ec2RateLimits = BUCKETS;
  return backlog(world, { approved: REQUESTS }).requests.map((r) => r.connectionId);
}

let clock: VirtualClock | undefined;
afterEach(() => {
  clock?.uninstall();
  clock = undefined;
});

type Service = ReturnType<typeof useService<string[]>>;

async function sweep(service: Service, remainingMs = 900_000) {
  clock ??= new VirtualClock();
  const start = clock.now;
  const run = service.run("reconcile", undefined, { getRemainingTimeInMillis: () => remainingMs });
  const summary = (await clock.run(run)) as ReconcileSummary;
  return { summary, seconds: (clock.now - start) / 1000 };
}

describe("a sweep paced by buckets shaped like EC2's", () => {
  const service = useService(pacedBacklog, {
    policy: BACKLOG_POLICY,
    env: { EC2_RATE_SHARE: "1", EC2_DESCRIBE_BUCKET: "10/5", EC2_MUTATING_BUCKET: "5/1" },
  });

  it("waits for tokens instead of being throttled, and takes the time the buckets impose", async () => {
    const { summary, seconds } = await sweep(service);

    expect(service.world().throttledCalls()).toEqual([]);
    expect(summary).toMatchObject({ failed: 0, actions: { accept: REQUESTS } });
    // 30 accepts, then 30 routes per side, through buckets of 5 tokens refilled at 1 per second.
    expect(seconds).toBeGreaterThanOrEqual(REQUESTS - BUCKETS.mutating.capacity);
    for (const id of service.ids()) expect(service.world().peering(id).status.code).toBe("active");
  });
});

describe("a sweep with more work than its invocation has time for", () => {
  const service = useService(pacedBacklog, {
    policy: BACKLOG_POLICY,
    env: { EC2_RATE_SHARE: "1", EC2_DESCRIBE_BUCKET: "10/5", EC2_MUTATING_BUCKET: "5/1" },
  });

  it("stops sending with a tenth of its time left, reports what it did not send, and the next run finishes", async () => {
    const { summary, seconds } = await sweep(service, 20_000);

    expect(seconds).toBeLessThan(20);
    expect(summary.callsNotSent).toBeGreaterThan(0);
    expect(summary.failed).toBeGreaterThan(0);
    const active = () => service.ids().filter((id) => service.world().peering(id).status.code === "active");
    expect(active().length).toBeGreaterThan(0);
    expect(active().length).toBeLessThan(REQUESTS);

    const next = await sweep(service);
    expect(next.summary).toMatchObject({ failed: 0, callsNotSent: 0 });
    expect(active()).toHaveLength(REQUESTS);
    const routed = (service.world().routeTablesOfVpc(SHARED_VPC)[0]?.routes ?? []).map((r) =>
      "vpcPeeringConnectionId" in r.target ? r.target.vpcPeeringConnectionId : r.destination,
    );
    expect(routed).toEqual(expect.arrayContaining(service.ids()));
    expect(service.world().throttledCalls()).toEqual([]);
  });
});

describe("a sweep that assumes larger buckets than the account has", () => {
  const service = useService(pacedBacklog, {
    policy: BACKLOG_POLICY,
    env: { EC2_RATE_SHARE: "1", EC2_DESCRIBE_BUCKET: "100/20", EC2_MUTATING_BUCKET: "50/5" },
  });

  it("is throttled, and the summary says which connections were not done", async () => {
    const { summary } = await sweep(service);

    expect(service.world().throttledCalls().length).toBeGreaterThan(0);
    expect(summary.failed).toBeGreaterThan(0);
  });
});
