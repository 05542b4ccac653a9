import type { ReconcileSummary } from "../workflow/reconcile";
import { DIMENSION, METRIC } from "./metric-names";
import type { MetricPoint } from "./metric-point";

/**
 * The metrics of one reconciler pass besides its decisions' (see decisionMetrics): how long it took and
 * the EC2 calls it did not send, once per pass whatever their value (an alarm watches that they stay
 * 0), and the blackhole routes to vanished connections that it removed.
 */
export function passMetrics(summary: ReconcileSummary, durationMs: number): MetricPoint[] {
  const pass = { [DIMENSION.pass]: summary.pass };
  return [
    { name: METRIC.reconcileDuration, unit: "Milliseconds", value: durationMs, dimensions: pass },
    { name: METRIC.callsNotSent, unit: "Count", value: summary.callsNotSent, dimensions: pass },
    ...(summary.orphanRoutesRemoved > 0
      ? [
          {
            name: METRIC.routesRemoved,
            unit: "Count" as const,
            value: summary.orphanRoutesRemoved,
            dimensions: {},
          },
        ]
      : []),
  ];
}
