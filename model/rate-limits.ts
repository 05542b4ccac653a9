// EC2's request throttling: a token bucket per account, region and API action. Each request takes one
// token; a bucket refills continuously at its rate up to its capacity; a request that finds it empty
// fails with RequestLimitExceeded.

export interface BucketShape {
  /** Tokens a full bucket holds: the burst it allows. */
  capacity: number;
  /** Tokens added per second, continuously: the sustained rate. */
  refillPerSecond: number;
}

/** EC2 gives read actions (Describe*, Get*) larger buckets than the actions that change resources. */
export interface Ec2RateLimitShapes {
  describe: BucketShape;
  mutating: BucketShape;
}

// Tolerance for float rounding: a client-side limiter that waits the same refill schedule in whole
// milliseconds, rounded up, must never find a bucket short by a rounding error.
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  /** The clock time `tokens` was last brought up to date. */
  atMs: number;
}

/** The buckets of every (account, region, operation) called so far; each one starts full. */
export class Ec2RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly shapes: Ec2RateLimitShapes) {}

  /** A call made at `nowMs`: takes a token from its bucket and answers true, or false if the bucket is empty. */
  take(account: string, region: string, operation: string, nowMs: number): boolean {
    const bucket = this.refilled(account, region, operation, nowMs);
    if (bucket.tokens < 1 - EPSILON) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** The tokens left at `nowMs` (capacity for a bucket not used yet). */
  tokens(account: string, region: string, operation: string, nowMs: number): number {
    return this.refilled(account, region, operation, nowMs).tokens;
  }

  shapeOf(operation: string): BucketShape {
    return /^(Describe|Get)/.test(operation) ? this.shapes.describe : this.shapes.mutating;
  }

  private refilled(account: string, region: string, operation: string, nowMs: number): Bucket {
    const { capacity, refillPerSecond } = this.shapeOf(operation);
    const key = `${account}/${region}/${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, atMs: nowMs };
      this.buckets.set(key, bucket);
    }
    // Tests may set the clock back; the time already counted is not refilled twice.
    if (nowMs > bucket.atMs) {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.atMs) * refillPerSecond) / 1000);
      bucket.atMs = nowMs;
    }
    return bucket;
  }
}
