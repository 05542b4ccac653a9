import type { PacingClock } from "./pacing-clock";
import { type BucketShape, TokenBucket } from "./token-bucket";

interface Waiting {
  /** The order calls came in, across the lane's actions. */
  arrival: number;
  go: () => void;
  stop: (reason: Error) => void;
}

interface Action {
  bucket: TokenBucket;
  /** Its calls not yet sent, in the order they came. */
  waiting: Waiting[];
}

/**
 * The calls to one account and region. A call is sent once its action's bucket has a token and fewer
 * than `maxInFlight` calls are in flight there; it takes its token only then, so the bucket counts the
 * call when EC2 will, however long it waited for a slot. An action's calls go in the order they came;
 * between actions, the call that came first among those with a token goes first, so an action waiting
 * for tokens holds up no other.
 */
export class SendLane {
  private readonly actions = new Map<string, Action>();
  private inFlight = 0;
  private arrivals = 0;
  /** When the pending timer fires; infinite when none is set. */
  private wakeAt = Number.POSITIVE_INFINITY;
  /** From then on, calls still waiting are not sent (see stopAt). */
  private stopAtMs = Number.POSITIVE_INFINITY;
  private stopped: (operation: string) => Error = () => new Error("not sent");

  constructor(
    private readonly maxInFlight: number,
    private readonly clock: PacingClock,
    private readonly shapeOf: (operation: string) => BucketShape,
  ) {}

  /** Runs `call` when `operation` may be sent; its slot is given back when it settles, fulfilled or not. */
  async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    await new Promise<void>((go, stop) => {
      this.action(operation).waiting.push({ arrival: this.arrivals++, go, stop });
      this.dispatch();
    });
    try {
      return await call();
    } finally {
      this.inFlight -= 1;
      this.dispatch();
    }
  }

  /**
   * From `atMs` on, calls still waiting, and calls that come later, fail with `stopped(operation)`
   * instead of being sent: an invocation ends before Lambda stops it, and the next one does the rest.
   */
  stopAt(atMs: number, stopped: (operation: string) => Error): void {
    this.stopAtMs = atMs;
    this.stopped = stopped;
    this.dispatch();
  }

  private action(operation: string): Action {
    let action = this.actions.get(operation);
    if (!action) {
      action = { bucket: new TokenBucket(this.shapeOf(operation)), waiting: [] };
      this.actions.set(operation, action);
    }
    return action;
  }

  /** Sends all that may go now; when the rest wait only for tokens, wakes when the first is due. */
  private dispatch(): void {
    const now = this.clock.now();
    if (now >= this.stopAtMs) {
      for (const [operation, action] of this.actions) {
        for (const waiting of action.waiting.splice(0)) waiting.stop(this.stopped(operation));
      }
      return;
    }
    while (this.inFlight < this.maxInFlight) {
      const next = this.takeNext(now);
      if (typeof next === "number") {
        // Calls wait for a token or a slot; the stop time must still find them.
        const wait = Math.min(next, this.hasWaiting() ? this.stopAtMs - now : Number.POSITIVE_INFINITY);
        if (wait < Number.POSITIVE_INFINITY) this.wakeIn(now, wait);
        return;
      }
      this.inFlight += 1;
      next.waiting.shift()?.go();
    }
  }

  private hasWaiting(): boolean {
    return [...this.actions.values()].some((action) => action.waiting.length > 0);
  }

  /** The action of the earliest call that has a token now (taking it), or else the ms until one has. */
  private takeNext(now: number): Action | number {
    let wait = Number.POSITIVE_INFINITY;
    const queued = [...this.actions.values()].filter((action) => action.waiting.length > 0);
    queued.sort((a, b) => firstArrival(a) - firstArrival(b));
    for (const action of queued) {
      const ms = action.bucket.take(now);
      if (ms === 0) return action;
      wait = Math.min(wait, ms);
    }
    return wait;
  }

  // One timer is enough: the earliest due. A later one still pending only wakes a dispatch to no effect.
  private wakeIn(now: number, ms: number): void {
    const at = now + ms;
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    void this.clock.sleep(ms).then(() => {
      if (this.wakeAt === at) this.wakeAt = Number.POSITIVE_INFINITY;
      this.dispatch();
    });
  }
}

function firstArrival(action: Action): number {
  return action.waiting[0]?.arrival ?? Number.POSITIVE_INFINITY;
}
