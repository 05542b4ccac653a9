import { describe, expect, it } from "vitest";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { useService } from "./harness";
import { addPcxRoute, pcxRoutes } from "./sweep-worlds";
import { sharedServices } from "./worlds";

/**
 * A request can end `failed` (EC2 could not establish it) after its owners made routes to it in
 * advance. Such a connection is dead like a deleted one: the sweep must remove what it left behind,
 * on both sides, and leave alone one that left nothing.
 */
describe("a sweep over failed connections", () => {
  const service = useService(sharedServices);

  it("removes the routes a failed connection left on both sides, and ignores one that left none", async () => {
    const world = service.world();
    const { shared, app, appEu, sharedMain, sharedPrivate, appMain, appEuMain } = service.ids();
    const leftRoutes = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", leftRoutes);
    addPcxRoute(world, sharedPrivate, "10.20.0.0/16", leftRoutes);
    addPcxRoute(world, appMain, "10.0.0.0/16", leftRoutes);
    world.setPeeringStatus(leftRoutes, "failed");
    const leftNothing = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared });
    world.setPeeringStatus(leftNothing, "failed");
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${leftRoutes}`]);
    expect(pcxRoutes(world, sharedPrivate)).toEqual([`10.20.0.0/16 -> ${leftRoutes}`]);
    expect(pcxRoutes(world, appMain)).toEqual([`10.0.0.0/16 -> ${leftRoutes}`]);

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    for (const table of [sharedMain, sharedPrivate, appMain, appEuMain])
      expect(pcxRoutes(world, table)).toEqual([]);
    expect(world.peering(leftRoutes).status.code).toBe("failed");
    expect(world.peering(leftNothing).status.code).toBe("failed");
    expect(summary).toMatchObject({
      connections: 2,
      actions: { cleanup: 1, ignore: 1 },
      changed: 1,
      failed: 0,
    });
    // Nothing was done about the one that left nothing: every change is one of the other's routes.
    expect(
      world
        .mutatingCalls()
        .map((c) => `${c.operation} ${(c.input as { RouteTableId?: string }).RouteTableId}`)
        .sort(),
    ).toEqual([`DeleteRoute ${sharedMain}`, `DeleteRoute ${sharedPrivate}`, `DeleteRoute ${appMain}`].sort());
  });
});
