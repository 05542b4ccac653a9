/** The time and the waiting the pacer needs, so that tests and benchmarks can supply their own. */
export interface PacingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * The process's clock. `Date.now` and the global `setTimeout` are looked up at each call (not
 * node:timers/promises) so that fake timers installed by a benchmark drive the waits in virtual time.
 */
export const systemClock: PacingClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)),
};
