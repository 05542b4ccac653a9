import { describe, expect, it } from "vitest";
import { passMetrics } from "../../shared/metrics/pass-metrics";
import { throttleMetrics } from "../../shared/metrics/throttle-metrics";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { named } from "../helpers/facts";
import { byMetric } from "./records";

function summary(input: Partial<ReconcileSummary>): ReconcileSummary {
  return {
    pass: "full",
    targets: 1,
    connections: 0,
    actions: {},
    changed: 0,
    reportOnly: 0,
    failed: 0,
    orphanRoutesRemoved: 0,
    orphanRoutesFailed: 0,
    orphanRoutesReported: 0,
    callsNotSent: 0,
    perTarget: [],
    errors: [],
    ...input,
  };
}

describe("the metrics of a reconciler pass", () => {
  it.each(
    named([
      {
        name: "a quiet full pass: its duration, and calls not sent even at 0",
        input: {},
        durationMs: 1234,
        expected: {
          "ReconcileDuration{Pass=full} Milliseconds": [1234],
          "CallsNotSent{Pass=full} Count": [0],
        },
      },
      {
        name: "a pending pass that ran out of time",
        input: { pass: "pending" as const, callsNotSent: 17 },
        durationMs: 840_000,
        expected: {
          "ReconcileDuration{Pass=pending} Milliseconds": [840_000],
          "CallsNotSent{Pass=pending} Count": [17],
        },
      },
      {
        name: "a full pass that removed blackhole routes to vanished connections",
        input: { orphanRoutesRemoved: 3, orphanRoutesFailed: 1, orphanRoutesReported: 2 },
        durationMs: 50,
        expected: {
          "ReconcileDuration{Pass=full} Milliseconds": [50],
          "CallsNotSent{Pass=full} Count": [0],
          "RoutesRemoved{} Count": [3],
        },
      },
    ]),
  )("%s", (_, { input, durationMs, expected }) => {
    expect(byMetric(passMetrics(summary(input), durationMs))).toEqual(expected);
  });
});

describe("throttled calls", () => {
  it.each([
    [0, {}],
    [4, { "ThrottledCalls{} Count": [4] }],
  ])("%i throttled answers", (count, expected) => {
    expect(byMetric(throttleMetrics(count))).toEqual(expected);
  });
});
