import scope from "./scope.json" with { type: "json" };
import { reportsOf, sharedOptions } from "./shared-options.mjs";

// The pure core, against its own table and property tests: it is meant to be proved there, not through
// the handlers. Target: 95 %.
export default {
  ...sharedOptions,
  ...reportsOf("core"),
  vitest: { configFile: "mutation/vitest.core.config.ts" },
  mutate: scope.core,
  thresholds: { high: 95, low: 95, break: null },
};
