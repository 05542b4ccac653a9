import {
  CreateRouteCommand,
  CreateTagsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from "@aws-sdk/client-ec2";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { type Ec2RateLimitShapes, Ec2RateLimits } from "../../model";
import { ACCEPTER, ec2In, errorCode, HOME, useWorld } from "./fixtures";

const LIMITS: Ec2RateLimitShapes = {
  describe: { capacity: 100, refillPerSecond: 20 },
  mutating: { capacity: 5, refillPerSecond: 1 },
};
// A fixed clock: only advanceClock refills the buckets, however long the test takes.
const NOW = new Date("2026-11-20T09:00:00Z");

const ids = { vpc: "", table: "" };
const home = () => new EC2Client({ region: "us-east-1" });
const describeVpcs = (ec2: EC2Client) => ec2.send(new DescribeVpcsCommand({}));
const outcome = (promise: Promise<unknown>) => errorCode(promise).catch(() => "ok");
/** Sends `count` calls at once; answers how many succeeded and the codes of those that failed. */
async function burst(count: number, send: (i: number) => Promise<unknown>) {
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => outcome(send(i))));
  return {
    ok: outcomes.filter((code) => code === "ok").length,
    failed: outcomes.filter((code) => code !== "ok"),
  };
}

describe("EC2 without rate limits (the default)", () => {
  const world = useWorld();

  it("never throttles, however large the burst", async () => {
    expect(world().rateLimits).toBeUndefined();
    const ec2 = home();
    expect(await burst(300, () => describeVpcs(ec2))).toEqual({ ok: 300, failed: [] });
    expect(world().throttledCalls()).toEqual([]);
  });
});

describe("EC2 rate limits", () => {
  const world = useWorld((w) => {
    w.clock = () => NOW;
    w.options.ec2RateLimits = LIMITS;
    ids.vpc = w.addVpc({ ownerId: HOME, region: "us-east-1", cidrs: ["10.9.0.0/16"] });
    ids.table = w.routeTablesOfVpc(ids.vpc)[0]?.id ?? "";
    w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
  });
  const tag = (key: string) =>
    new CreateTagsCommand({ Resources: [ids.table], Tags: [{ Key: key, Value: "v" }] });
  const route = (i: number) =>
    new CreateRouteCommand({
      RouteTableId: ids.table,
      DestinationCidrBlock: `10.${i}.0.0/16`,
      GatewayId: "igw-1",
    });

  it("lets a full bucket's burst through and refuses the next call with RequestLimitExceeded", async () => {
    const ec2 = home();
    expect(await burst(100, () => describeVpcs(ec2))).toEqual({ ok: 100, failed: [] });
    const error = await describeVpcs(ec2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error).toMatchObject({ name: "RequestLimitExceeded", $fault: "client" });
    expect(world().calls.at(-1)).toMatchObject({ operation: "DescribeVpcs", error: "RequestLimitExceeded" });
    expect(world().throttledCalls()).toHaveLength(1);
  });

  it("refills continuously: 50 ms at 20 per second is exactly one more call", async () => {
    const ec2 = home();
    await burst(101, () => describeVpcs(ec2));
    world().advanceClock(49);
    expect(await outcome(describeVpcs(ec2))).toBe("RequestLimitExceeded");
    world().advanceClock(1);
    expect(await burst(2, () => describeVpcs(ec2))).toEqual({ ok: 1, failed: ["RequestLimitExceeded"] });
  });

  it.each([
    ["5 s (just enough)", 5_000],
    ["a minute", 60_000],
  ])("refills to capacity and no further after %s", async (_, ms) => {
    const ec2 = home();
    await burst(101, () => describeVpcs(ec2));
    world().advanceClock(ms);
    expect(world().rateLimits?.tokens(HOME, "us-east-1", "DescribeVpcs", world().now().getTime())).toBe(100);
    expect(await burst(101, () => describeVpcs(ec2))).toEqual({ ok: 100, failed: ["RequestLimitExceeded"] });
  });

  it.each([
    ["DescribeVpcs", 100, () => describeVpcs(home())],
    ["DescribeRouteTables", 100, () => home().send(new DescribeRouteTablesCommand({}))],
    ["CreateTags", 5, (i: number) => home().send(tag(`k${i}`))],
    ["CreateRoute", 5, (i: number) => home().send(route(i))],
  ])("gives %s a bucket of %i", async (operation, capacity, send) => {
    expect(await burst(capacity + 1, send)).toEqual({ ok: capacity, failed: ["RequestLimitExceeded"] });
    expect(
      world()
        .throttledCalls()
        .map((call) => call.operation),
    ).toEqual([operation]);
  });

  it.each([
    ["another action", () => home().send(new DescribeRouteTablesCommand({}))],
    ["another account", async () => describeVpcs(await ec2In(ACCEPTER, "us-east-1"))],
    ["another region", () => describeVpcs(new EC2Client({ region: "eu-west-1" }))],
  ])("keeps a separate bucket for %s", async (_, send) => {
    const ec2 = home();
    await burst(101, () => describeVpcs(ec2));
    expect(await outcome(send())).toBe("ok");
    expect(await outcome(describeVpcs(ec2))).toBe("RequestLimitExceeded");
  });

  it("leaves STS and EventBridge alone", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    const assume = () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCEPTER}:role/peering-autopilot-execution`,
          RoleSessionName: "test",
        }),
      );
    const events = new EventBridgeClient({ region: "us-east-1" });
    const put = () => events.send(new PutEventsCommand({ Entries: [{ Source: "test", Detail: "{}" }] }));
    expect(await burst(10, assume)).toEqual({ ok: 10, failed: [] });
    expect(await burst(101, () => sts.send(new GetCallerIdentityCommand({})))).toEqual({
      ok: 101,
      failed: [],
    });
    expect(await burst(10, put)).toEqual({ ok: 10, failed: [] });
  });

  it("fails a throttled call without effect and without consuming an injected fault", async () => {
    const ec2 = home();
    await burst(5, (i) => ec2.send(tag(`k${i}`)));
    const before = { ...world().routeTable(ids.table).tags };
    world().failNext({ operation: "CreateTags", error: "InternalError" });
    expect(await outcome(ec2.send(tag("late")))).toBe("RequestLimitExceeded");
    expect(world().routeTable(ids.table).tags).toEqual(before);
    expect(world().faults.pending().failures).toBe(1);
    world().advanceClock(1_000);
    expect(await outcome(ec2.send(tag("late")))).toBe("InternalError");
  });

  it("takes the token when the call is issued and still charges a throttled call its time on the wire", async () => {
    const ec2 = home();
    await burst(5, (i) => ec2.send(route(i)));
    // One second on the wire: the bucket refills a token while the throttled call travels.
    world().network = async () => {
      world().advanceClock(1_000);
    };
    expect(await outcome(ec2.send(route(10)))).toBe("RequestLimitExceeded");
    expect(world().now().getTime() - NOW.getTime()).toBe(1_000);
    expect(
      world()
        .routeTable(ids.table)
        .routes.map((r) => r.destination),
    ).not.toContain("10.10.0.0/16");
    expect(await outcome(ec2.send(route(10)))).toBe("ok");
  });

  it("starts full buckets afresh when the limits are replaced", async () => {
    const ec2 = home();
    await burst(101, () => describeVpcs(ec2));
    const before = world().rateLimits;
    expect(world().rateLimits).toBe(before);
    world().options.ec2RateLimits = { ...LIMITS, describe: { capacity: 2, refillPerSecond: 1 } };
    expect(world().rateLimits).not.toBe(before);
    expect(await burst(3, () => describeVpcs(ec2))).toEqual({ ok: 2, failed: ["RequestLimitExceeded"] });
  });
});

describe("Ec2RateLimits", () => {
  // Rates as fractions, so that the test knows each token's exact due time without rounding of its own.
  it.each([
    ["3", 3, 1],
    ["7", 7, 1],
    ["0.3", 3, 10],
    ["13.7", 137, 10],
    ["1000/3", 1000, 3],
  ])(
    "refuses nothing on the exact schedule, rounded up to the millisecond (%s per second)",
    (_, num, den) => {
      const shape = { capacity: 3, refillPerSecond: num / den };
      const limits = new Ec2RateLimits({ describe: shape, mutating: shape });
      const take = (ms: number) => limits.take(HOME, "us-east-1", "CreateRoute", ms);
      expect([take(0), take(0), take(0), take(0)]).toEqual([true, true, true, false]);
      for (let k = 1; k <= 1000; k++) {
        // The k-th token after the burst is due k / rate seconds after it.
        const due = Math.ceil((k * 1000 * den) / num);
        expect(take(due - 1)).toBe(false);
        expect(take(due)).toBe(true);
      }
    },
  );

  it("shapes Describe* and Get* as reads, everything else as mutating", () => {
    const limits = new Ec2RateLimits(LIMITS);
    expect(
      ["DescribeVpcs", "GetManagedPrefixListEntries", "CreateTags", "AcceptVpcPeeringConnection"].map(
        (op) => limits.shapeOf(op).capacity,
      ),
    ).toEqual([100, 100, 5, 5]);
  });
});
