import { defineConfig } from "vitest/config";
import base from "../vitest.config";

// The tests that drive the workflow and the carry-out code over the model, and the unit tests of the
// sweep's pure parts (mutation/workflow.config.mjs).
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
    ],
  },
});
