import scope from "./scope.json" with { type: "json" };
import { reportsOf, sharedOptions } from "./shared-options.mjs";

// The workflow and the carry-out code, against the handler, fault and retry tests over the model.
// Target: 90 %.
export default {
  ...sharedOptions,
  ...reportsOf("workflow"),
  vitest: { configFile: "mutation/vitest.workflow.config.ts" },
  mutate: scope.workflow,
  thresholds: { high: 90, low: 90, break: null },
};
