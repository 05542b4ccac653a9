import { type Clock, install } from "@sinonjs/fake-timers";

const START = Date.parse("2026-01-01T00:00:00Z");

/**
 * Discrete-event time for a benchmark. It fakes the global `setTimeout` and `Date`, so the model's
 * latency, the service's request pacing, the SDK's waiters and every clock read run in virtual time,
 * and it moves time forward only when nothing else can happen (every pending promise chain has
 * settled). Calls issued together share a round trip; calls that wait on each other add up, so
 * elapsed time / latency counts sequential round trips.
 */
export class VirtualClock {
  private readonly clock: Clock & { uninstall(): void } = install({
    now: START,
    toFake: ["setTimeout", "clearTimeout", "Date"],
  });

  /** Virtual milliseconds since the clock was installed. */
  get now(): number {
    return this.clock.now - START;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => setTimeout(wake, ms));
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    while (!settled) {
      // Let every microtask and I/O callback run (setImmediate stays real) before time moves.
      await new Promise((resolve) => setImmediate(resolve));
      if (!settled) this.clock.next();
    }
    return watched;
  }

  /** Gives the process its real timers back. */
  uninstall(): void {
    this.clock.uninstall();
  }
}
