import { OutOfTimeError } from "./out-of-time-error";
import { type PacingClock, systemClock } from "./pacing-clock";
import { SendLane } from "./send-lane";
import { type BucketShape, shareOf } from "./token-bucket";

export interface PacerOptions {
  /** EC2's bucket for each non-mutating action (Describe*, Get*). */
  describe: BucketShape;
  /** EC2's bucket for each other action. */
  mutating: BucketShape;
  /** 0 < share <= 1: the fraction of each bucket this service allows itself (see `shareOf`). */
  share: number;
  /** Calls in flight at once per account and region. */
  maxInFlight: number;
  clock?: PacingClock;
}

/** EC2's documented Describe buckets and the mutating ones we assume, all of each for this service. */
export const DEFAULT_PACING: PacerOptions = {
  describe: { capacity: 100, refillPerSecond: 20 },
  mutating: { capacity: 50, refillPerSecond: 5 },
  share: 1,
  maxInFlight: 8,
};

/**
 * Keeps the EC2 calls of one service instance (a Lambda container) within EC2's request buckets, one
 * per account, region and action, and caps the calls in flight per account and region. Calls wait
 * rather than being throttled, so a large sweep runs as fast as the buckets allow and no faster.
 */
export class RequestPacer {
  private readonly lanes = new Map<string, SendLane>();
  private readonly describe: BucketShape;
  private readonly mutating: BucketShape;
  private readonly maxInFlight: number;
  private readonly clock: PacingClock;
  private stopAtMs = Number.POSITIVE_INFINITY;
  private refused = 0;

  constructor(options: PacerOptions) {
    if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight >= 1)) {
      throw new RangeError(
        `calls in flight must be a whole number of at least 1, not ${options.maxInFlight}`,
      );
    }
    this.describe = shareOf(options.describe, options.share);
    this.mutating = shareOf(options.mutating, options.share);
    this.maxInFlight = options.maxInFlight;
    this.clock = options.clock ?? systemClock;
  }

  /** Runs `call` once `operation` may be sent to this account and region, and answers what it does. */
  pace<T>(account: string, region: string, operation: string, call: () => Promise<T>): Promise<T> {
    const key = `${account}/${region}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new SendLane(this.maxInFlight, this.clock, (op) => this.shapeOf(op));
      lane.stopAt(this.stopAtMs, (op) => this.refuse(account, region, op));
      this.lanes.set(key, lane);
    }
    return lane.send(operation, call);
  }

  /**
   * From `epochMs` on (none: never), calls not sent yet fail with OutOfTimeError instead: an invocation
   * must end, with its summary, before Lambda stops it; the next one does the rest.
   */
  stopSendingAt(epochMs: number | undefined): void {
    this.stopAtMs = epochMs ?? Number.POSITIVE_INFINITY;
    this.refused = 0;
    for (const [key, lane] of this.lanes) {
      const [account = "", region = ""] = key.split("/");
      lane.stopAt(this.stopAtMs, (op) => this.refuse(account, region, op));
    }
  }

  /** Calls not sent since the last stopSendingAt because its time had come. */
  get callsNotSent(): number {
    return this.refused;
  }

  private refuse(account: string, region: string, operation: string): OutOfTimeError {
    this.refused += 1;
    return new OutOfTimeError(account, region, operation);
  }

  private shapeOf(operation: string): BucketShape {
    return /^(Describe|Get)/.test(operation) ? this.describe : this.mutating;
  }
}
