import { defineConfig } from "vitest/config";
import base from "../vitest.config";

// The tests that drive the workflow and the carry-out code over the model, the unit tests of the
// sweep's pure parts, the CLI's pending listing, which reads as the pending pass does, and its plan,
// which is the full pass carried out on paper (mutation/workflow.config.mjs).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/handlers/**/*.test.ts",
      "test/faults/**/*.test.ts",
      "test/retries/**/*.test.ts",
      "test/workflow/**/*.test.ts",
      "test/core/sweep.test.ts",
      "test/cli/pending.test.ts",
      "test/cli/plan.test.ts",
      "test/cli/plan-agrees.test.ts",
    ],
  },
});
