import { describe, expect, it } from "vitest";
import { type MetricPoint, toBlobs } from "../../shared/metrics/metric-point";
import { named } from "../helpers/facts";

const count = (
  name: MetricPoint["name"],
  value: number,
  dimensions: Record<string, string> = {},
): MetricPoint => ({
  name,
  unit: "Count",
  value,
  dimensions,
});
const seconds = (value: number): MetricPoint => ({
  name: "TimeToRoute",
  unit: "Seconds",
  value,
  dimensions: {},
});

describe("points into EMF blobs", () => {
  it.each(
    named([
      { name: "nothing: no blob", points: [], blobs: [] },
      {
        name: "metrics without dimensions of their own share one blob",
        points: [count("RoutesCreated", 3), count("RouteConflicts", 1)],
        blobs: [
          {
            dimensions: {},
            metrics: [
              { name: "RoutesCreated", unit: "Count", values: [3] },
              { name: "RouteConflicts", unit: "Count", values: [1] },
            ],
          },
        ],
      },
      {
        name: "counts of the same metric and dimensions are summed",
        points: [count("RoutesCreated", 3), count("RoutesCreated", 2), count("RoutesRemoved", 0)],
        blobs: [
          {
            dimensions: {},
            metrics: [
              { name: "RoutesCreated", unit: "Count", values: [5] },
              { name: "RoutesRemoved", unit: "Count", values: [0] },
            ],
          },
        ],
      },
      {
        name: "times are kept apart: their distribution is the point",
        points: [seconds(42), seconds(7), seconds(42)],
        blobs: [{ dimensions: {}, metrics: [{ name: "TimeToRoute", unit: "Seconds", values: [42, 7, 42] }] }],
      },
      {
        name: "one blob per dimension value: accept and reject cannot share one",
        points: [
          count("Decisions", 1, { Action: "accept" }),
          count("Decisions", 1, { Action: "reject" }),
          count("ReportOnlyDecisions", 1, { Action: "accept" }),
          count("Decisions", 1, { Action: "accept" }),
        ],
        blobs: [
          {
            dimensions: { Action: "accept" },
            metrics: [
              { name: "Decisions", unit: "Count", values: [2] },
              { name: "ReportOnlyDecisions", unit: "Count", values: [1] },
            ],
          },
          { dimensions: { Action: "reject" }, metrics: [{ name: "Decisions", unit: "Count", values: [1] }] },
        ],
      },
      {
        name: "the same dimension values in any order are one blob",
        points: [
          count("CallsNotSent", 0, { Pass: "full", Extra: "x" }),
          count("CallsNotSent", 2, { Extra: "x", Pass: "full" }),
        ],
        blobs: [
          {
            dimensions: { Pass: "full", Extra: "x" },
            metrics: [{ name: "CallsNotSent", unit: "Count", values: [2] }],
          },
        ],
      },
    ]),
  )("%s", (_, { points, blobs }) => {
    expect(toBlobs(points as MetricPoint[])).toEqual(blobs);
  });
});
