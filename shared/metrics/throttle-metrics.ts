import { METRIC } from "./metric-names";
import type { MetricPoint } from "./metric-point";

/** AWS answers that were throttling errors during one invocation, each attempt counted. */
export function throttleMetrics(throttledCalls: number): MetricPoint[] {
  return throttledCalls > 0
    ? [{ name: METRIC.throttledCalls, unit: "Count", value: throttledCalls, dimensions: {} }]
    : [];
}
