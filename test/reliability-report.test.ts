import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { EVENT_CASES, FUZZ_PROPERTIES, POLICY_CASES, RECONCILE_CASES } from "./bad-input/catalogue";
import { scenarios } from "./faults/scenarios";
import { HANDLER_RUNS, RUNS } from "./properties/runs";

/** fast-check properties in one test file: one `fc.assert` each. */
function propertiesIn(file: string): number {
  return readFileSync(new URL(file, import.meta.url), "utf8").match(/fc\.assert\(/g)?.length ?? 0;
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** The rows RELIABILITY.md must show: what the suite tries, counted from the suite itself. */
function reliabilityFigures(): string[] {
  const pure = propertiesIn("./properties/decide.test.ts");
  const handlers = propertiesIn("./properties/handlers.test.ts");
  const fuzz = FUZZ_PROPERTIES.length;
  return [
    `| fault scenarios (test/faults/scenarios.ts) | ${scenarios.length} |`,
    `| invariants of decide() on random policies and facts | ${pure} properties × ${RUNS} cases = ${thousands(pure * RUNS)} |`,
    `| invariants through the handlers on random worlds | ${handlers} properties × ${HANDLER_RUNS} worlds = ${thousands(handlers * HANDLER_RUNS)} |`,
    `| hand-written bad events (three event handlers) | ${EVENT_CASES.length} |`,
    `| junk events given to the reconciler | ${RECONCILE_CASES.length} |`,
    `| bad policies, each through all four functions | ${POLICY_CASES.length} |`,
    `| fuzzed events and policies | ${fuzz} properties × ${RUNS} cases = ${thousands(fuzz * RUNS)} |`,
  ];
}

// Figures hold for a default run; a longer run (PROPERTY_RUNS) tries more.
it.skipIf(process.env.PROPERTY_RUNS !== undefined)(
  "RELIABILITY.md reports what the suite tries, as counted from the suite",
  () => {
    const report = readFileSync(new URL("../RELIABILITY.md", import.meta.url), "utf8");
    for (const row of reliabilityFigures()) expect(report).toContain(row);
  },
);
