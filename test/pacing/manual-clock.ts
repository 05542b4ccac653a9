import type { PacingClock } from "../../shared/aws/pacing/pacing-clock";

/** Lets every pending promise chain run (the pacer and the mocks resolve through microtasks only). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock that moves only when told: `sleep` resolves once `advance` has passed its time. */
export class ManualClock implements PacingClock {
  private nowMs = 0;
  private timers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.nowMs;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.nowMs + ms, wake }));
  }

  /** Sleeps not yet over. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, stopping at each timer due on the way and letting what it wakes run. */
  async advance(ms: number): Promise<void> {
    const until = this.nowMs + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.nowMs = Math.max(this.nowMs, due.at);
      this.timers = this.timers.filter((timer) => timer !== due);
      due.wake();
      await settle();
    }
    this.nowMs = until;
    await settle();
  }
}
