import { describe, expect, it } from "vitest";
import { type PacerOptions, RequestPacer } from "../../shared/aws/pacing/request-pacer";
import { ManualClock, settle } from "./manual-clock";

const A = "111111111111";
const B = "222222222222";
const EAST = "us-east-1";
const WEST = "eu-west-1";

/** A pacer on a manual clock that records when each call started, and can hold calls open. */
function harness(options: Partial<PacerOptions> = {}) {
  const clock = new ManualClock();
  const pacer = new RequestPacer({
    describe: { capacity: 3, refillPerSecond: 10 },
    mutating: { capacity: 1, refillPerSecond: 2 },
    share: 1,
    maxInFlight: 100,
    ...options,
    clock,
  });
  const started: { label: string; at: number }[] = [];
  /** Paces a call that answers its label at once, or when `until` settles. */
  const call = (
    label: string,
    operation: string,
    place = { account: A, region: EAST },
    until?: Promise<void>,
  ) =>
    pacer.pace(place.account, place.region, operation, async () => {
      started.push({ label, at: clock.now() });
      await until;
      return label;
    });
  const startTimes = () => Object.fromEntries(started.map(({ label, at }) => [label, at]));
  return { clock, pacer, call, started, startTimes };
}

function deferred() {
  let resolve = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("RequestPacer", () => {
  it("sends a bucket's capacity at once, then one call per refill interval, in the order they came", async () => {
    const { clock, call, started } = harness();
    const calls = ["1", "2", "3", "4", "5", "6"].map((label) => call(label, "DescribeVpcs"));
    await clock.advance(1000);
    expect(await Promise.all(calls)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(started).toEqual([
      { label: "1", at: 0 },
      { label: "2", at: 0 },
      { label: "3", at: 0 },
      { label: "4", at: 100 },
      { label: "5", at: 200 },
      { label: "6", at: 300 },
    ]);
  });

  it("sends nothing before its time", async () => {
    const { clock, call, started } = harness();
    for (const label of ["1", "2", "3", "4"]) void call(label, "DescribeVpcs");
    await clock.advance(99);
    expect(started.map((s) => s.label)).toEqual(["1", "2", "3"]);
    await clock.advance(1);
    expect(started.map((s) => s.label)).toEqual(["1", "2", "3", "4"]);
  });

  it("sets one timer at a time, however many calls wait", async () => {
    const { clock, call } = harness();
    const calls = Array.from({ length: 20 }, (_, i) => call(String(i), "DescribeVpcs"));
    await settle();
    expect(clock.pending).toBe(1);
    await clock.advance(100);
    expect(clock.pending).toBe(1);
    await clock.advance(10_000);
    await Promise.all(calls);
    expect(clock.pending).toBe(0);
  });

  it("between actions, sends in the order the calls came", async () => {
    const { clock, call, started } = harness({ maxInFlight: 1 });
    const open = deferred();
    void call("first", "DescribeVpcs", undefined, open.promise);
    void call("x", "DescribeRouteTables");
    void call("y", "DescribeVpcs");
    void call("z", "CreateTags");
    void call("w", "DescribeRouteTables");
    await clock.advance(0);
    open.resolve();
    await clock.advance(0);
    expect(started.map((s) => s.label)).toEqual(["first", "x", "y", "z", "w"]);
  });

  it("keeps one bucket per account, region and action", async () => {
    const { clock, call, startTimes } = harness();
    for (const label of ["a1", "a2", "a3", "a4"]) void call(label, "DescribeVpcs");
    void call("other region", "DescribeVpcs", { account: A, region: WEST });
    void call("other account", "DescribeVpcs", { account: B, region: EAST });
    void call("other action", "DescribeRouteTables");
    await clock.advance(500);
    expect(startTimes()).toEqual({
      a1: 0,
      a2: 0,
      a3: 0,
      a4: 100,
      "other region": 0,
      "other account": 0,
      "other action": 0,
    });
  });

  it("gives Describe* and Get* actions the describe bucket, and every other action the mutating one", async () => {
    const { clock, call, startTimes } = harness();
    for (const label of ["get1", "get2", "get3", "get4"]) void call(label, "GetManagedPrefixListEntries");
    for (const label of ["route1", "route2"]) void call(label, "CreateRoute");
    for (const label of ["unlisted1", "unlisted2"]) void call(label, "unlisted");
    await clock.advance(1000);
    expect(startTimes()).toEqual({
      get1: 0,
      get2: 0,
      get3: 0,
      get4: 100,
      route1: 0,
      route2: 500,
      unlisted1: 0,
      unlisted2: 500,
    });
  });

  it("takes only its share of each bucket: capacity and refill both scaled", async () => {
    const { clock, call, started } = harness({
      describe: { capacity: 100, refillPerSecond: 20 },
      mutating: { capacity: 50, refillPerSecond: 5 },
      share: 0.5,
    });
    for (let i = 0; i < 52; i++) void call(`describe ${i}`, "DescribeVpcs");
    for (let i = 0; i < 27; i++) void call(`mutate ${i}`, "CreateTags");
    await clock.advance(10_000);
    const at = (prefix: string) => started.filter((s) => s.label.startsWith(prefix)).map((s) => s.at);
    expect(at("describe")).toEqual([...Array(50).fill(0), 100, 200]);
    expect(at("mutate")).toEqual([...Array(25).fill(0), 400, 800]);
  });

  it("starts a call beyond maxInFlight only when one in flight settles, fulfilled or rejected", async () => {
    const { clock, call, started } = harness({
      maxInFlight: 2,
      describe: { capacity: 100, refillPerSecond: 20 },
    });
    const first = deferred();
    const second = deferred();
    const failing = call("fails", "DescribeVpcs", undefined, first.promise);
    const held = call("held", "DescribeVpcs", undefined, second.promise);
    const third = call("third", "DescribeVpcs");
    const fourth = call("fourth", "DescribeVpcs");
    await clock.advance(1000);
    expect(started.map((s) => s.label)).toEqual(["fails", "held"]);

    first.reject(new Error("UnauthorizedOperation"));
    await expect(failing).rejects.toThrow("UnauthorizedOperation");
    await settle();
    // The failed call's slot went to the next in line, which settled at once and passed its slot on.
    expect(started.map((s) => s.label)).toEqual(["fails", "held", "third", "fourth"]);
    expect(await Promise.all([third, fourth])).toEqual(["third", "fourth"]);

    second.resolve();
    expect(await held).toBe("held");
  });

  it("caps calls in flight per account and region, not across them", async () => {
    const { clock, call, started } = harness({ maxInFlight: 1 });
    const open = deferred();
    void call("east", "DescribeVpcs", { account: A, region: EAST }, open.promise);
    void call("east again", "DescribeVpcs", { account: A, region: EAST });
    void call("west", "DescribeVpcs", { account: A, region: WEST });
    void call("other account", "DescribeVpcs", { account: B, region: EAST });
    await clock.advance(1000);
    expect(started.map((s) => s.label)).toEqual(["east", "west", "other account"]);
    open.resolve();
    await settle();
    expect(started.map((s) => s.label)).toContain("east again");
  });

  it("lets an action that waits for tokens hold up no other action in its account and region", async () => {
    const { clock, call, startTimes } = harness({ maxInFlight: 2 });
    for (const label of ["route1", "route2", "route3"]) void call(label, "CreateRoute");
    void call("describe", "DescribeRouteTables");
    await clock.advance(2000);
    expect(startTimes()).toEqual({ route1: 0, describe: 0, route2: 500, route3: 1000 });
  });

  it("counts a call's token when it is sent, so calls that waited for a slot do not burst past the bucket", async () => {
    // Two slow calls hold both slots for a second while DescribeVpcs calls queue up. EC2's bucket for
    // DescribeVpcs stayed full meanwhile (refill beyond capacity is lost): it has 3 tokens at 1000 ms,
    // not the 3 + 1000 ms of refill a reservation made at 0 ms would assume.
    const { clock, call, started } = harness({ maxInFlight: 2 });
    const slow = deferred();
    void call("slow1", "DescribeRouteTables", undefined, slow.promise);
    void call("slow2", "DescribeRouteTables", undefined, slow.promise);
    for (const label of ["1", "2", "3", "4", "5", "6", "7", "8"]) void call(label, "DescribeVpcs");
    await clock.advance(1000);
    slow.resolve();
    await clock.advance(1000);
    const sent = started.filter((s) => !s.label.startsWith("slow")).map((s) => s.at);
    expect(sent).toEqual([1000, 1000, 1000, 1100, 1200, 1300, 1400, 1500]);
    expect(exactBucketRefuses({ capacity: 3, refillPerSecond: 10 }, sent)).toEqual([]);
  });

  it("refuses shares and in-flight caps that make no sense", () => {
    const base = {
      describe: { capacity: 100, refillPerSecond: 20 },
      mutating: { capacity: 50, refillPerSecond: 5 },
    };
    expect(() => new RequestPacer({ ...base, share: 0, maxInFlight: 16 })).toThrow(RangeError);
    expect(() => new RequestPacer({ ...base, share: 1, maxInFlight: 0 })).toThrow(RangeError);
    expect(() => new RequestPacer({ ...base, share: 1, maxInFlight: 1.5 })).toThrow(RangeError);
  });

  describe("stopSendingAt", () => {
    it("fails the calls still waiting at the stop time and those that come later, not those in flight", async () => {
      const { clock, pacer, call, started } = harness();
      const open = deferred();
      const inFlight = call("in flight", "DescribeVpcs", undefined, open.promise);
      const waiting = ["1", "2", "3", "4", "5"].map((label) =>
        call(label, "DescribeVpcs").catch((e: Error) => e),
      );
      pacer.stopSendingAt(150);

      await clock.advance(150);
      open.resolve();
      const late = await call("late", "CreateRoute", { account: B, region: WEST }).catch((e: Error) => e);

      expect(await inFlight).toBe("in flight");
      // Capacity 3 at once (one of them the held call), one more at 100 ms; the rest were still waiting.
      expect(started.map((s) => s.label)).toEqual(["in flight", "1", "2", "3"]);
      const refused = [...(await Promise.all(waiting)).slice(3), late];
      expect(refused.map((e) => (e as Error).name)).toEqual([
        "OutOfTimeError",
        "OutOfTimeError",
        "OutOfTimeError",
      ]);
      expect((late as Error).message).toBe(
        "CreateRoute in account 222222222222 region eu-west-1 not sent: the invocation's time is nearly up",
      );
      expect(pacer.callsNotSent).toBe(3);
    });

    it("sends again once the stop time is lifted, and counts afresh", async () => {
      const { clock, pacer, call } = harness();
      pacer.stopSendingAt(0);
      await expect(call("refused", "DescribeVpcs")).rejects.toThrow(/not sent/);
      pacer.stopSendingAt(undefined);
      await clock.advance(0);
      expect(await call("sent", "DescribeVpcs")).toBe("sent");
      expect(pacer.callsNotSent).toBe(0);
    });
  });
});
/** The calls (by send time) that a bucket taking its token at each send, as EC2 does, would throttle. */
function exactBucketRefuses(
  shape: { capacity: number; refillPerSecond: number },
  sentAt: number[],
): number[] {
  let tokens = shape.capacity;
  let last = sentAt[0] ?? 0;
  const refused: number[] = [];
  for (const at of sentAt) {
    tokens = Math.min(shape.capacity, tokens + ((at - last) * shape.refillPerSecond) / 1000);
    last = at;
    if (tokens >= 1 - 1e-9) tokens -= 1;
    else refused.push(at);
  }
  return refused;
}
