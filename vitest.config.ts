import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Packaging with the serverless CLI takes a few seconds on a 2-core machine.
    testTimeout: 60_000,
  },
});
