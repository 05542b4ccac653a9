import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Packaging with the serverless CLI takes a few seconds on a 2-core machine; a long property run
    // (PROPERTY_RUNS) spends minutes in one property.
    testTimeout: process.env.PROPERTY_RUNS ? 30 * 60_000 : 60_000,
    // In CI a JSON report as well, from which .ci/run prints a one-line summary.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results.json" },
  },
});
