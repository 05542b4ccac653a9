/**
 * A discrete-event clock: `sleep` resolves in virtual time, and `run` advances time only when nothing
 * else can happen (every pending promise chain has settled). Calls issued together share a round trip;
 * calls that wait on each other add up, so elapsed time / latency counts sequential round trips.
 */
export class VirtualClock {
  now = 0;
  private readonly timers: { at: number; wake: () => void }[] = [];

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.now + ms, wake }));
  }

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    while (!settled) {
      // Let every microtask and I/O callback run before deciding that time must move.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled || this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0]?.at ?? this.now;
      this.now = next;
      for (const timer of this.timers.filter((t) => t.at <= next)) timer.wake();
      this.timers.splice(0, this.timers.filter((t) => t.at <= next).length);
    }
    return watched;
  }
}
