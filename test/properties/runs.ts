import type fc from "fast-check";

/** Cases per pure property: a few hundred in CI, `PROPERTY_RUNS=5000` for a long run. */
export const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
/** Cases per handler-level property: each builds a world and imports the handlers afresh (~10-50 ms). */
export const HANDLER_RUNS = Math.max(40, Math.round(RUNS / 10));

/** A fixed seed keeps CI deterministic; `PROPERTY_SEED=random` lets fast-check pick (and print) one. */
const seedSetting = process.env.PROPERTY_SEED ?? "20261127";
export const SEED = seedSetting === "random" ? undefined : Number(seedSetting);

/** Replays one failure: PROPERTY_SEED and PROPERTY_PATH as fast-check printed them, with `-t` for that property. */
const PATH = process.env.PROPERTY_PATH;

export function settings<T>(numRuns: number): fc.Parameters<T> {
  return { numRuns, ...(SEED !== undefined && { seed: SEED }), ...(PATH && { path: PATH }) };
}

/** vitest's per-test timeout for a property of `numRuns` cases costing up to `msPerRun` each. */
export function timeoutFor(numRuns: number, msPerRun: number): number {
  return Math.max(60_000, numRuns * msPerRun);
}
