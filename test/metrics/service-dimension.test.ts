import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { captureMetrics } from "./emf";

/**
 * Powertools gives every Metrics instance a default dimension `service`, from `serviceName`, else
 * POWERTOOLS_SERVICE_NAME, else `service_undefined`. The service's only default dimension is `Service`.
 */
describe("the Service dimension", () => {
  beforeEach(() => {
    vi.resetModules();
  });
  afterEach(() => {
    delete process.env.POWERTOOLS_SERVICE_NAME;
  });

  it.each([
    ["no service name configured", undefined],
    ["POWERTOOLS_SERVICE_NAME set, as a template might set it", "something-else"],
  ])("is `Service` alone, with %s", async (_, serviceName) => {
    if (serviceName) process.env.POWERTOOLS_SERVICE_NAME = serviceName;
    const { publishMetrics, recordMetrics } = await import("../../shared/metrics/metrics");
    const emf = captureMetrics();

    recordMetrics([
      { name: "RoutesCreated", unit: "Count", value: 2, dimensions: {} },
      { name: "Decisions", unit: "Count", value: 1, dimensions: { Action: "accept" } },
    ]);
    publishMetrics();

    const blobs = emf.blobs();
    expect(blobs.map((blob) => blob._aws.CloudWatchMetrics[0]?.Dimensions)).toEqual([
      [["Service"]],
      [["Service", "Action"]],
    ]);
    for (const blob of blobs) {
      expect(blob).toMatchObject({ Service: "peering-autopilot" });
      expect(blob).not.toHaveProperty("service");
    }
    expect(emf.metrics()).toEqual({
      "RoutesCreated{} Count": [2],
      "Decisions{Action=accept} Count": [1],
    });
  });

  it("publishes nothing twice: what was published is forgotten", async () => {
    const { publishMetrics, recordMetrics } = await import("../../shared/metrics/metrics");
    const emf = captureMetrics();

    recordMetrics([{ name: "RoutesCreated", unit: "Count", value: 2, dimensions: {} }]);
    publishMetrics();
    publishMetrics();

    expect(emf.blobs()).toHaveLength(1);
  });
});
