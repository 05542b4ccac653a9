import { describe, expect, it } from "vitest";
import { type BucketShape, shareOf, TokenBucket } from "../../shared/aws/pacing/token-bucket";
import { named } from "../helpers/facts";

const DESCRIBE = { capacity: 100, refillPerSecond: 20 };
const MUTATING = { capacity: 50, refillPerSecond: 5 };

/** The waits `take` answers for calls made at these times, in order. */
function waits(shape: BucketShape, times: number[]): number[] {
  const bucket = new TokenBucket(shape);
  return times.map((at) => bucket.take(at));
}

const times = (count: number, at = 0) => Array.from({ length: count }, () => at);

describe("TokenBucket.take", () => {
  it.each(
    named([
      {
        name: "a full bucket's capacity goes at once",
        shape: DESCRIBE,
        times: times(100),
        expected: times(100),
      },
      {
        name: "the call after the burst waits one refill interval (1000 / 20 ms)",
        shape: DESCRIBE,
        times: [...times(100), 0],
        expected: [...times(100), 50],
      },
      {
        name: "a mutating bucket: 50 at once, then 200 ms",
        shape: MUTATING,
        times: [...times(50), 0],
        expected: [...times(50), 200],
      },
      {
        name: "a call that waits takes nothing: asking again answers the same wait",
        shape: MUTATING,
        times: [...times(50), 0, 0, 0],
        expected: [...times(50), 200, 200, 200],
      },
      {
        name: "part of a token refilled counts: 40 ms of 50 leaves 10",
        shape: DESCRIBE,
        times: [...times(100), 40],
        expected: [...times(100), 10],
      },
      {
        name: "waiting exactly the answered time finds a token, and only one",
        shape: DESCRIBE,
        times: [...times(100), 50, 50],
        expected: [...times(100), 0, 50],
      },
      {
        name: "a long idle time refills up to capacity only",
        shape: DESCRIBE,
        times: [...times(100), ...times(101, 3_600_000)],
        expected: [...times(100), ...times(100), 50],
      },
      {
        name: "a fractional interval is rounded up (1000 / 3 = 333.3 ms)",
        shape: { capacity: 1, refillPerSecond: 3 },
        times: [0, 0, 333, 334],
        expected: [0, 334, 1, 0],
      },
      {
        name: "a rate below one per second (2.5 s per token)",
        shape: { capacity: 1, refillPerSecond: 0.4 },
        times: [0, 0, 2499, 2500],
        expected: [0, 2500, 1, 0],
      },
      {
        name: "a clock set back does not refill the same time twice",
        shape: { capacity: 2, refillPerSecond: 1 },
        times: [1000, 1000, 2000, 1500, 2000],
        expected: [0, 0, 0, 1000, 1000],
      },
    ]),
  )("%s", (_, { shape, times, expected }) => {
    expect(waits(shape, times)).toEqual(expected);
  });

  it.each([DESCRIBE, MUTATING, { capacity: 25, refillPerSecond: 2.5 }, { capacity: 1, refillPerSecond: 6 }])(
    "paced by its own answers, %o sends each call as soon as it holds a token, and not before",
    (shape) => {
      const bucket = new TokenBucket(shape);
      const sent: number[] = [];
      for (let now = 0; sent.length < 3 * shape.capacity; ) {
        const wait = bucket.take(now);
        if (wait === 0) sent.push(now);
        now += wait;
      }
      sent.forEach((at, index) => {
        // Capacity at once, then one per refill interval: the earliest the bucket allows, to the ms.
        const earliest = Math.max(0, ((index + 1 - shape.capacity) * 1000) / shape.refillPerSecond);
        expect(at).toBeGreaterThanOrEqual(earliest);
        expect(at - earliest).toBeLessThan(1);
      });
    },
  );
});

describe("shareOf", () => {
  it.each(
    named([
      {
        name: "half of a describe bucket",
        shape: DESCRIBE,
        share: 0.5,
        expected: { capacity: 50, refillPerSecond: 10 },
      },
      {
        name: "half of a mutating bucket",
        shape: MUTATING,
        share: 0.5,
        expected: { capacity: 25, refillPerSecond: 2.5 },
      },
      { name: "all of it", shape: MUTATING, share: 1, expected: MUTATING },
      {
        name: "capacity rounds down",
        shape: { capacity: 5, refillPerSecond: 2 },
        share: 0.3,
        expected: { capacity: 1, refillPerSecond: 0.6 },
      },
      {
        name: "but never below one token",
        shape: { capacity: 1, refillPerSecond: 2 },
        share: 0.1,
        expected: { capacity: 1, refillPerSecond: 0.2 },
      },
    ]),
  )("%s", (_, { shape, share, expected }) => {
    const scaled = shareOf(shape, share);
    expect(scaled.capacity).toBe(expected.capacity);
    expect(scaled.refillPerSecond).toBeCloseTo(expected.refillPerSecond, 12);
  });

  it.each([0, -0.5, 1.01, Number.NaN])("refuses a share of %s", (share) => {
    expect(() => shareOf(DESCRIBE, share)).toThrow(RangeError);
  });

  it.each([
    { capacity: 0, refillPerSecond: 20 },
    { capacity: 2.5, refillPerSecond: 20 },
    { capacity: 100, refillPerSecond: 0 },
  ])("refuses a bucket of %o", (shape) => {
    expect(() => shareOf(shape, 1)).toThrow(RangeError);
  });
});
