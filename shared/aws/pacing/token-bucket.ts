/** The shape of one of EC2's request token buckets. */
export interface BucketShape {
  /** Tokens a full bucket holds: the burst it allows. */
  capacity: number;
  /** Tokens added per second, continuously: the sustained rate. */
  refillPerSecond: number;
}

// Float rounding must not make a bucket refilled for exactly the whole milliseconds owed look short.
const EPSILON = 1e-9;

/**
 * A token bucket as EC2 keeps one: it starts full, refills continuously up to its capacity, and a
 * call may go only when a token is there. Time comes in as an argument, so this is plain arithmetic.
 */
export class TokenBucket {
  private tokens = 0;
  // The first refill, from the beginning of time, fills the bucket.
  private atMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly shape: BucketShape) {}

  /**
   * Takes a token and answers 0 when one is there at `nowMs`; otherwise takes nothing and answers
   * the whole milliseconds until one will be, rounded up so that a call sent then finds it.
   */
  take(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1 - EPSILON) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.shape.refillPerSecond);
  }

  private refill(nowMs: number): void {
    // A clock set back does not count the same time twice.
    if (nowMs <= this.atMs) return;
    const added = ((nowMs - this.atMs) * this.shape.refillPerSecond) / 1000;
    this.tokens = Math.min(this.shape.capacity, this.tokens + added);
    this.atMs = nowMs;
  }
}

/**
 * The part of a bucket one client allows itself, leaving the rest to other callers in the account:
 * `share` (0 < share <= 1) of the refill, and of the capacity rounded down but at least one token.
 */
export function shareOf(shape: BucketShape, share: number): BucketShape {
  if (!(share > 0 && share <= 1)) throw new RangeError(`a bucket share must be in (0, 1], not ${share}`);
  if (!(Number.isInteger(shape.capacity) && shape.capacity >= 1 && shape.refillPerSecond > 0)) {
    throw new RangeError(
      `a bucket needs a whole capacity of at least 1 and a positive refill, not ${shape.capacity}/${shape.refillPerSecond}`,
    );
  }
  return {
    capacity: Math.max(1, Math.floor(shape.capacity * share)),
    refillPerSecond: shape.refillPerSecond * share,
  };
}
