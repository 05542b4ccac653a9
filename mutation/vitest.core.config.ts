import { defineConfig } from "vitest/config";
import base from "../vitest.config";

// The core's table and property tests (mutation/core.config.mjs).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/core/**/*.test.ts",
      "test/properties/decide.test.ts",
      "test/properties/counterexamples.test.ts",
    ],
  },
});
