import type { MetricName, MetricUnit } from "./metric-names";

/** One value of one metric, with its dimensions besides `Service` (which every metric has). */
export interface MetricPoint {
  name: MetricName;
  unit: MetricUnit;
  value: number;
  dimensions: Record<string, string>;
}

/** A metric's values in one EMF blob. */
export interface BlobMetric {
  name: MetricName;
  unit: MetricUnit;
  values: number[];
}

/** One EMF blob: the metrics that share exactly these dimension values. */
export interface MetricBlob {
  dimensions: Record<string, string>;
  metrics: BlobMetric[];
}

/**
 * The points as few EMF blobs as their dimensions allow: a blob holds one value per dimension, so
 * `Action=accept` and `Action=reject` need two; points without dimensions of their own share one.
 * Counts of the same metric and dimensions are summed into one value (a Sum is all they are read
 * for); other values are kept apart, since their distribution (TimeToRoute's percentiles) is the point.
 */
export function toBlobs(points: MetricPoint[]): MetricBlob[] {
  const blobs = new Map<string, MetricBlob>();
  for (const point of points) {
    const key = dimensionKey(point.dimensions);
    let blob = blobs.get(key);
    if (!blob) {
      blob = { dimensions: { ...point.dimensions }, metrics: [] };
      blobs.set(key, blob);
    }
    const metric = blob.metrics.find((m) => m.name === point.name);
    if (!metric) blob.metrics.push({ name: point.name, unit: point.unit, values: [point.value] });
    else if (point.unit === "Count") metric.values[0] = (metric.values[0] ?? 0) + point.value;
    else metric.values.push(point.value);
  }
  return [...blobs.values()];
}

function dimensionKey(dimensions: Record<string, string>): string {
  return JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
}
