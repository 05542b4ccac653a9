import { Metrics } from "@aws-lambda-powertools/metrics";
import type { MiddlewareObj } from "@middy/core";
import { DIMENSION, NAMESPACE, SERVICE } from "./metric-names";
import { type MetricPoint, toBlobs } from "./metric-point";
import { throttleMetrics } from "./throttle-metrics";

/**
 * The service's one Powertools Metrics instance, writing embedded metric format to stdout. Powertools
 * always gives an instance a default dimension `service` (from serviceName, else POWERTOOLS_SERVICE_NAME,
 * else `service_undefined`); the service's dimension is `Service`, so the defaults are replaced.
 */
export const metrics = new Metrics({ namespace: NAMESPACE });
metrics.clearDefaultDimensions();
metrics.setDefaultDimensions({ [DIMENSION.service]: SERVICE });

// What this invocation has to say so far; published together at its end.
const recorded: MetricPoint[] = [];

export function recordMetrics(points: MetricPoint[]): void {
  recorded.push(...points);
}

/**
 * Publishes what was recorded, one EMF blob per set of dimension values (see toBlobs). Counts are
 * summed, so only TimeToRoute can reach Powertools' 100 values per metric, in the blob without
 * dimensions of its own, where Powertools' own early publish keeps the dimensions right.
 */
export function publishMetrics(): void {
  for (const blob of toBlobs(recorded.splice(0))) {
    for (const [name, value] of Object.entries(blob.dimensions)) metrics.addDimension(name, value);
    for (const metric of blob.metrics) {
      for (const value of metric.values) metrics.addMetric(metric.name, metric.unit, value);
    }
    // Powertools publishes by itself at its 100th value, and warns when asked to publish nothing.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}

/**
 * Middy middleware: publishes the invocation's metrics when it ends, failed or not (what was done
 * before a failure was done), with the AWS answers that were throttling errors meanwhile.
 */
export function invocationMetrics(throttledAnswers: () => number): MiddlewareObj {
  let start = 0;
  const publish = () => {
    const now = throttledAnswers();
    recordMetrics(throttleMetrics(now - start));
    start = now;
    publishMetrics();
  };
  return {
    before: () => {
      start = throttledAnswers();
    },
    after: publish,
    onError: publish,
  };
}
