import type { RunnerTask, RunnerTestFile, RunnerTestSuite } from "vitest";
import { expect } from "vitest";

type SuiteLike = Readonly<RunnerTestSuite | RunnerTestFile>;

function findSuite(suite: SuiteLike, title: string): SuiteLike | undefined {
  if (suite.name === title) return suite;
  for (const task of suite.tasks) {
    if (task.type === "suite") {
      const found = findSuite(task, title);
      if (found) return found;
    }
  }
  return undefined;
}

const selected = (task: RunnerTask) => task.mode === "run" || task.mode === "only";

/**
 * No silent skips: the describe block titled `title` has exactly one test per catalogued case, and
 * every one of its tests that was selected to run (all of them, unless a name filter is in use) and
 * passed did run its case to the end (the case's name is in `ran`, added as the test's last step).
 * `caseOf` maps a test's name back to its case's name.
 */
export function expectEveryCaseRan(
  file: SuiteLike,
  title: string,
  catalogue: readonly string[],
  ran: ReadonlySet<string>,
  caseOf: (testName: string) => string = (name) => name,
): void {
  const suite = findSuite(file, title);
  expect(suite, `no describe block '${title}'`).toBeDefined();
  const tests = (suite?.tasks ?? []).filter((task) => task.type === "test");
  expect(tests.map((t) => caseOf(t.name)).sort(), `tests of '${title}'`).toEqual([...catalogue].sort());
  // A test that failed is reported as such; every one that passed must have run its case to the end.
  const passed = tests.filter((t) => selected(t) && t.result?.state === "pass").map((t) => caseOf(t.name));
  const missing = passed.filter((name) => !ran.has(name));
  expect(missing, `cases of '${title}' that passed without running to the end`).toEqual([]);
  // Nothing ran that is not in the catalogue.
  expect([...ran].filter((name) => !catalogue.includes(name))).toEqual([]);
}
