import { describe, expect, it } from "vitest";
import { type QueuedFunction, sqsBatch, type World } from "../../model";
import { APPROVED_BY_TAG, DECISION_TAG } from "../../shared/decision/decision-tags";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, lambdaContext, PARTNER, SCHEDULED_EVENT, useService } from "./harness";
import { APPROVAL_POLICY, answer, awsCallsFrom, decisionsFrom, PENDING_TICK } from "./pending-pass-worlds";
import { addPcxRoute, pcxRoutes, vanish } from "./sweep-worlds";
import { sharedServices } from "./worlds";

/**
 * The pending pass runs every minute so that requests no event announces (from outside the
 * organisation, or whose event was lost, answers included) are decided within a minute rather than
 * at the next full pass. It lists only pending requests and reads only what their decisions need.
 */
describe("the pending pass", () => {
  const service = useService(sharedServices, {
    policy: APPROVAL_POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  const pendingPass = async () => (await service.run("reconcile", PENDING_TICK)) as ReconcileSummary;

  it("accepts and routes a request whose approval tag was set but whose event was lost", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    const parked = await pendingPass();
    expect(parked).toMatchObject({ pass: "pending", actions: { "await-approval": 1 } });
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.[DECISION_TAG]).toBe("await-approval");
    expect(pcxRoutes(world, sharedMain)).toEqual([]);

    answer(world, connectionId, "approve");
    const start = world.published.length;
    const summary = await pendingPass();

    expect(summary).toMatchObject({ pass: "pending", actions: { accept: 1 }, changed: 1, failed: 0 });
    expect(world.peering(connectionId).status.code).toBe("active");
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    expect(pcxRoutes(world, appMain)).toEqual([`10.0.0.0/16 -> ${connectionId}`]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toMatchObject({
      [DECISION_TAG]: "accept",
      [APPROVED_BY_TAG]: "tag",
    });
    const [record, ...others] = decisionsFrom(world, start);
    expect(others).toEqual([]);
    expect(record?.detail).toMatchObject({
      connectionId,
      action: "accept",
      approval: { answer: "approve", by: "tag" },
      findings: expect.arrayContaining(["approved"]),
      reasons: expect.arrayContaining(["approved by tag"]),
    });
  });

  it("accepts a request from outside the organisation that no event announces", async () => {
    const world = service.world();
    const { shared, partner, sharedMain } = service.ids();
    world.addAccount(PARTNER, { role: false });
    const connectionId = world.addPeering({ requesterVpcId: partner, accepterVpcId: shared });

    const summary = await pendingPass();

    expect(summary).toMatchObject({ pass: "pending", actions: { accept: 1 }, failed: 0, errors: [] });
    expect(world.peering(connectionId).status.code).toBe("active");
    expect(pcxRoutes(world, sharedMain)).toEqual([`172.20.0.0/16 -> ${connectionId}`]);
    // Nothing was asked of the partner's account: the service has no role there.
    expect(world.calls.filter((c) => c.account === PARTNER)).toEqual([]);
  });

  it("makes one listing call per account-region when nothing is pending", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", active);
    const start = world.calls.length;

    const summary = await pendingPass();

    expect(awsCallsFrom(world, start)).toEqual([`DescribeVpcPeeringConnections ${ACCEPTER} us-east-1`]);
    expect(summary).toMatchObject({ pass: "pending", targets: 1, connections: 0, changed: 0, failed: 0 });
    // Orphan routes are not looked for, so no account-region reports tables it did not read.
    expect(summary).toMatchObject({ errors: [], orphanRoutesRemoved: 0, orphanRoutesFailed: 0 });
  });

  it("reads only the pending request's VPCs and leaves active connections' routes and orphan routes alone", async () => {
    const world = service.world();
    const { shared, app, partner, sharedMain, appMain } = service.ids();
    // An active connection missing its accepter route, a deleted one with its routes left, and a
    // blackhole route to a connection EC2 no longer shows: all for the full pass.
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, appMain, "10.0.0.0/16", active);
    const other = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.5.0.0/16"] });
    const otherMain = world.routeTablesOfVpc(other)[0]?.id ?? "";
    const deleted = world.addPeering({ requesterVpcId: app, accepterVpcId: other, status: "deleted" });
    addPcxRoute(world, otherMain, "10.20.0.0/16", deleted);
    const vanished = world.addPeering({ requesterVpcId: partner, accepterVpcId: other });
    addPcxRoute(world, otherMain, "172.20.0.0/16", vanished);
    vanish(world, vanished);
    const pending = world.addPeering({ requesterVpcId: partner, accepterVpcId: shared });
    const start = world.calls.length;

    const summary = await pendingPass();

    expect(summary).toMatchObject({
      pass: "pending",
      connections: 1,
      actions: { accept: 1 },
      orphanRoutesRemoved: 0,
    });
    expect(pcxRoutes(world, sharedMain)).toEqual([`172.20.0.0/16 -> ${pending}`]);
    expect(pcxRoutes(world, appMain)).toEqual([`10.0.0.0/16 -> ${active}`]);
    expect(pcxRoutes(world, otherMain)).toEqual([
      `10.20.0.0/16 -> ${deleted}`,
      `172.20.0.0/16 -> ${vanished}`,
    ]);
    // Only the pending request's VPCs were read (the shared VPC's tables and CIDRs, the partner's
    // tables), not the accepter account-region's every table.
    expect(readsFrom(world, start)).toEqual(
      [
        `DescribeVpcs ${ACCEPTER} ${shared}`,
        `DescribeRouteTables ${ACCEPTER} ${shared}`,
        `DescribeRouteTables ${PARTNER} ${partner}`,
      ].sort(),
    );
    for (const call of world.mutatingCalls().filter((c) => c.service === "EC2"))
      expect(JSON.stringify(call.input)).toContain(pending);

    // The full pass does the rest, which shows there was something to leave alone.
    const full = (await service.run("reconcile")) as ReconcileSummary;
    expect(full).toMatchObject({ pass: "full", failed: 0, orphanRoutesRemoved: 1 });
    expect(pcxRoutes(world, sharedMain)).toEqual([
      `172.20.0.0/16 -> ${pending}`,
      `10.20.0.0/16 -> ${active}`,
    ]);
    expect(pcxRoutes(world, otherMain)).toEqual([]);
  });

  it("runs the full pass for a batch in which any tick is not the pending pass's, else the pending pass", async () => {
    const world = service.world();
    const { shared, app, appMain, sharedMain } = service.ids();
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, appMain, "10.0.0.0/16", active);
    // Ticks that queued behind a long pass arrive in one batch.
    const { handler } = await import("../../functions/reconcile");
    const deliver = async (...ticks: unknown[]) =>
      (await (handler as unknown as QueuedFunction)(
        sqsBatch(...ticks),
        lambdaContext(ACCEPTER),
      )) as ReconcileSummary;

    const pendingOnly = await deliver(PENDING_TICK, { ...PENDING_TICK, time: "2026-11-27T10:02:00Z" });
    expect(pendingOnly).toMatchObject({ pass: "pending", connections: 0 });
    expect(pcxRoutes(world, sharedMain)).toEqual([]);

    const mixed = await deliver(PENDING_TICK, SCHEDULED_EVENT, PENDING_TICK);
    expect(mixed).toMatchObject({ pass: "full", actions: { maintain: 1 }, changed: 1 });
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${active}`]);
  });
});

/** The route-table and VPC reads from `start` on, as `Operation account vpc-ids`, sorted. */
function readsFrom(world: World, start: number): string[] {
  return world.calls
    .slice(start)
    .filter((c) => c.operation === "DescribeRouteTables" || c.operation === "DescribeVpcs")
    .map((c) => {
      const filters = (c.input as { Filters?: { Name: string; Values: string[] }[] }).Filters ?? [];
      const vpcIds = filters.find((f) => f.Name === "vpc-id")?.Values ?? ["(all)"];
      return `${c.operation} ${c.account} ${vpcIds.join(",")}`;
    })
    .sort();
}
