import { describe, expect, it } from "vitest";
import { requestPeering, type World } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, REQUESTER, useService } from "../handlers/harness";
import { PENDING_TICK } from "../handlers/pending-pass-worlds";
import { addPcxRoute, vanish } from "../handlers/sweep-worlds";
import { addShadowingRoute, sharedServices } from "../handlers/worlds";
import { captureMetrics } from "./emf";

/**
 * The metrics the deployed functions print, read as CloudWatch reads embedded metric format: the real
 * handlers over the model, stdout parsed blob by blob (see captureMetrics, which also checks the
 * namespace and the one `Service` dimension of every blob).
 */
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Makes the request look `seconds` old to EC2: its expiration time is a week after its creation. */
function madeAgo(world: World, connectionId: string, seconds: number): void {
  world.peering(connectionId).expirationTime = new Date(Date.now() - seconds * 1000 + WEEK_MS);
}

/** Takes TimeToRoute out of the metrics, to be checked against the clock on its own. */
function withoutTime(metrics: Record<string, number[]>) {
  const { "TimeToRoute{} Seconds": seconds, ...rest } = metrics;
  return { seconds, rest };
}

describe("metrics of the event handlers", () => {
  const service = useService(sharedServices);

  it("an accepted request: the decision, its routes, and its time to route, once", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    madeAgo(world, connectionId, 120);
    const emf = captureMetrics();

    await service.invoke(event);

    const { seconds, rest } = withoutTime(emf.metrics());
    expect(rest).toEqual({ "Decisions{Action=accept} Count": [1], "RoutesCreated{} Count": [3] });
    expect(seconds).toHaveLength(1);
    expect(seconds?.[0]).toBeGreaterThanOrEqual(120);
    expect(seconds?.[0]).toBeLessThan(130);

    // The same event again (SQS delivers at least once): decided again, nothing created, not timed again.
    emf.clear();
    await service.invoke(event);
    expect(emf.metrics()).toEqual({ "Decisions{Action=maintain} Count": [1] });
  });

  it("a request rejected for a route conflict: its findings and the conflict", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    addShadowingRoute(world, sharedPrivate);
    const { event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const emf = captureMetrics();

    await service.invoke(event);

    expect(emf.metrics()).toEqual({
      "Decisions{Action=reject} Count": [1],
      "Findings{Finding=rejected} Count": [1],
      "Findings{Finding=route-conflict} Count": [1],
      "RouteConflicts{} Count": [1],
    });
    // Different dimension values cannot share a blob; metrics with the same ones do.
    expect(emf.blobs()).toHaveLength(4);
  });

  it("a request a report-mode rule governs: counted as report-only, nothing created or timed", async () => {
    const world = service.world();
    const { shared } = service.ids();
    const trial = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.32.0.0/16"] });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: trial, accepterVpcId: shared });
    const emf = captureMetrics();

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(emf.metrics()).toEqual({
      "Decisions{Action=accept} Count": [1],
      "ReportOnlyDecisions{Action=accept} Count": [1],
      "Findings{Finding=report-only} Count": [1],
    });
  });

  it("a throttled answer: counted, and the failed invocation still publishes what it did", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    madeAgo(world, connectionId, 60);
    world.failNext({ operation: "CreateRoute", error: "RequestLimitExceeded" });
    const emf = captureMetrics();

    await expect(service.invoke(event)).rejects.toMatchObject({ name: "PartialFailureError" });

    // One route of three is missing: no time to route yet.
    expect(emf.metrics()).toEqual({
      "Decisions{Action=accept} Count": [1],
      "RoutesCreated{} Count": [2],
      "ThrottledCalls{} Count": [1],
    });

    // The retry creates the last route. EC2 shows no expiration time on an active connection, so the
    // request's creation is unknown by then and the retry cannot time it.
    emf.clear();
    await service.invoke(event);
    expect(emf.metrics()).toEqual({ "Decisions{Action=maintain} Count": [1], "RoutesCreated{} Count": [1] });
  });

  it("an event that is not for the service publishes no metric at all", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const emf = captureMetrics();

    await service.invoke({
      ...event,
      detail: { ...event.detail, errorCode: "Client.UnauthorizedOperation" },
    });

    expect(emf.blobs()).toEqual([]);
  });
});

describe("metrics of the reconciler", () => {
  const service = useService(sharedServices);

  it("a full pass: its duration, calls not sent, the request it accepted and the routes it removed", async () => {
    const world = service.world();
    const { shared, app, appEu, sharedMain } = service.ids();
    const { connectionId: lost } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    madeAgo(world, lost, 300);
    const gone = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.24.0.0/16", gone);
    vanish(world, gone);
    const emf = captureMetrics();

    await service.run("reconcile");

    const { seconds, rest } = withoutTime(emf.metrics());
    expect(rest).toEqual({
      "ReconcileDuration{Pass=full} Milliseconds": [expect.any(Number)],
      "CallsNotSent{Pass=full} Count": [0],
      "Decisions{Action=accept} Count": [1],
      "RoutesCreated{} Count": [3],
      // The blackhole route to the vanished connection.
      "RoutesRemoved{} Count": [1],
    });
    expect(rest["ReconcileDuration{Pass=full} Milliseconds"]?.[0]).toBeGreaterThan(0);
    expect(seconds?.[0]).toBeGreaterThanOrEqual(300);
    expect(seconds?.[0]).toBeLessThan(310);

    // The next pass finds nothing to do: only the pass itself is measured.
    emf.clear();
    await service.run("reconcile");
    expect(Object.keys(emf.metrics())).toEqual([
      "ReconcileDuration{Pass=full} Milliseconds",
      "CallsNotSent{Pass=full} Count",
    ]);
  });

  it("a pending pass is measured as such", async () => {
    const emf = captureMetrics();

    await service.run("reconcile", PENDING_TICK);

    expect(Object.keys(emf.metrics()).sort()).toEqual([
      "CallsNotSent{Pass=pending} Count",
      "ReconcileDuration{Pass=pending} Milliseconds",
    ]);
  });

  it("a request a report-mode rule governs: report-only each pass, never published, so no decision", async () => {
    const world = service.world();
    const { shared } = service.ids();
    const trial = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.32.0.0/16"] });
    requestPeering(world, { requesterVpcId: trial, accepterVpcId: shared });
    const emf = captureMetrics();

    await service.run("reconcile");
    await service.run("reconcile", PENDING_TICK);

    const metrics = emf.metrics();
    expect(metrics["ReportOnlyDecisions{Action=accept} Count"]).toEqual([1, 1]);
    expect(
      Object.keys(metrics).filter((key) => /^(Decisions|RoutesCreated|TimeToRoute)\{/.test(key)),
    ).toEqual([]);
  });

  it("calls not sent when the invocation's time is up", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const emf = captureMetrics();

    // No time left: not even the listing is sent.
    const summary = (await service.run("reconcile", undefined, {
      getRemainingTimeInMillis: () => 0,
    })) as ReconcileSummary;

    expect(summary.callsNotSent).toBeGreaterThan(0);
    expect(emf.metrics()["CallsNotSent{Pass=full} Count"]).toEqual([summary.callsNotSent]);
  });
});

describe("metrics of security-group rules", () => {
  // The shared VPC's payments group admits the requester's routed addresses on 443.
  const service = useService(
    (world) => {
      const ids = sharedServices(world);
      world.addSecurityGroup({ vpcId: ids.shared, name: "payments", tags: { Peering: "payments" } });
      return ids;
    },
    {
      policy: `
version: 1
rules:
  - name: payments
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    securityGroups:
      accepter: { tags: { Peering: payments } }
      ingress: [{ protocol: tcp, ports: [443, 8443] }]
`,
    },
  );

  it("the rules authorized with an accepted request's routes, and revoked when the connection is deleted", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const emf = captureMetrics();

    await service.invoke(event);

    expect(withoutTime(emf.metrics()).rest).toEqual({
      "Decisions{Action=accept} Count": [1],
      "RoutesCreated{} Count": [3],
      "SecurityGroupRulesAuthorized{} Count": [2],
    });

    // The same event again: the rules are there, none authorized again.
    emf.clear();
    await service.invoke(event);
    expect(emf.metrics()).toEqual({ "Decisions{Action=maintain} Count": [1] });

    world.setPeeringStatus(connectionId, "deleted");
    emf.clear();
    await service.run("reconcile");
    const { "ReconcileDuration{Pass=full} Milliseconds": _, ...swept } = emf.metrics();
    expect(swept).toEqual({
      "CallsNotSent{Pass=full} Count": [0],
      "Decisions{Action=cleanup} Count": [1],
      "RoutesRemoved{} Count": [3],
      "SecurityGroupRulesRevoked{} Count": [2],
    });
  });
});
