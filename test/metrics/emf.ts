import { vi } from "vitest";
import { DIMENSION, NAMESPACE, SERVICE } from "../../shared/metrics/metric-names";

/** One blob of embedded metric format as CloudWatch Logs reads it from a line of stdout. */
interface EmfBlob {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/**
 * Captures what the process writes to stdout (Powertools Metrics writes each blob there, one JSON
 * line, through a Console of its own) and reads it as CloudWatch would: the EMF blobs, checked for
 * the service's namespace and its one `Service` dimension, as `Name{Dim=value,…} Unit` → values.
 */
export function captureMetrics() {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n"));
    return true;
  });
  const blobs = (): EmfBlob[] =>
    lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfBlob);
  return {
    blobs,
    /** The metrics of every blob written so far, each with its values; throws at a malformed blob. */
    metrics: (): Record<string, number[]> => {
      const out: Record<string, number[]> = {};
      for (const blob of blobs()) {
        for (const [key, values] of Object.entries(readBlob(blob)))
          out[key] = [...(out[key] ?? []), ...values];
      }
      return out;
    },
    clear: () => {
      lines.length = 0;
    },
  };
}

function readBlob(blob: EmfBlob): Record<string, number[]> {
  const [directive, ...others] = blob._aws.CloudWatchMetrics;
  if (!directive || others.length > 0)
    throw new Error(`expected one metric directive: ${JSON.stringify(blob)}`);
  if (directive.Namespace !== NAMESPACE) throw new Error(`namespace ${directive.Namespace}`);
  const [names, ...moreSets] = directive.Dimensions;
  if (!names || moreSets.length > 0) throw new Error(`expected one dimension set: ${JSON.stringify(blob)}`);
  if (!names.includes(DIMENSION.service) || blob[DIMENSION.service] !== SERVICE) {
    throw new Error(`no ${DIMENSION.service}=${SERVICE} dimension: ${JSON.stringify(blob)}`);
  }
  if ("service" in blob) throw new Error(`a lowercase service key: ${JSON.stringify(blob)}`);
  const dims = names
    .filter((name) => name !== DIMENSION.service)
    .map((name) => {
      const value = blob[name];
      if (typeof value !== "string")
        throw new Error(`dimension ${name} has no value: ${JSON.stringify(blob)}`);
      return `${name}=${value}`;
    })
    .join(",");
  const out: Record<string, number[]> = {};
  for (const { Name, Unit } of directive.Metrics) {
    const value = blob[Name];
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === "number"))
      throw new Error(`${Name} has no value: ${JSON.stringify(blob)}`);
    out[`${Name}{${dims}} ${Unit}`] = values as number[];
  }
  return out;
}
