import { describe, expect, it, vi } from "vitest";
import { requestPeering } from "../../model";
import type { DecisionRecord } from "../../shared/workflow/decision-record";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { useService } from "./harness";
import { addPcxRoute, pcxRoutes, vanish } from "./sweep-worlds";
import { sharedServices } from "./worlds";

/**
 * A DeleteRoute that fails leaves the route where it was. The decision record must say so (people
 * and the next run act on it), and the sweep must go on deciding on the route being there: its later
 * phases decide from its snapshot, not from a fresh read.
 */
describe("a route the sweep fails to remove", () => {
  const service = useService(sharedServices);

  /** A connection, once routed on both sides, that has been deleted: its routes are blackholes now. */
  const deletedWithRoutes = () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const old = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", old);
    addPcxRoute(world, sharedPrivate, "10.20.0.0/16", old);
    addPcxRoute(world, appMain, "10.0.0.0/16", old);
    world.setPeeringStatus(old, "deleted");
    return old;
  };

  const decisionRecords = () => {
    const logger = service.logger();
    const calls = [...vi.mocked(logger.info).mock.calls, ...vi.mocked(logger.error).mock.calls];
    return calls.flatMap(([message, extra]) =>
      message === "decision" ? [(extra as { decision: DecisionRecord }).decision] : [],
    );
  };

  it("is listed as failed in the decision record, stays in place, and goes in the next run", async () => {
    const world = service.world();
    const { sharedMain, sharedPrivate, appMain } = service.ids();
    const old = deletedWithRoutes();
    world.failNext({
      operation: "DeleteRoute",
      input: { RouteTableId: sharedMain, DestinationCidrBlock: "10.20.0.0/16" },
      error: "InternalError",
    });
    vi.spyOn(service.logger(), "info");
    vi.spyOn(service.logger(), "error");

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${old}`]);
    expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
    expect(pcxRoutes(world, appMain)).toEqual([]);
    const [record] = decisionRecords().filter((r) => r.connectionId === old);
    expect(record?.action).toBe("cleanup");
    expect(record?.routes.failed).toEqual([
      expect.objectContaining({
        side: "accepter",
        routeTableId: sharedMain,
        destination: "10.20.0.0/16",
        error: expect.stringContaining("InternalError"),
      }),
    ]);
    expect(record?.routes.removed.map((r) => r.routeTableId).sort()).toEqual([sharedPrivate, appMain].sort());
    expect(summary.failed).toBe(1);

    const next = (await service.run("reconcile")) as ReconcileSummary;

    expect(pcxRoutes(world, sharedMain)).toEqual([]);
    expect(next).toMatchObject({ actions: { cleanup: 1 }, failed: 0 });
  });

  it("still counts as present for the requests the same sweep decides after it", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const old = deletedWithRoutes();
    // A new request for the same addresses: decided after the dead connection's cleanup, in the same pass.
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    world.failNext({
      operation: "DeleteRoute",
      input: { RouteTableId: sharedMain, DestinationCidrBlock: "10.20.0.0/16" },
      error: "InternalError",
    });
    vi.spyOn(service.logger(), "info");
    vi.spyOn(service.logger(), "error");

    await service.run("reconcile");

    // The dead connection's route still holds 10.20.0.0/16 in the table the request needs: the request
    // is decided on that, as a fresh read would show it, and is not accepted into a table it cannot use.
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${old}`]);
    expect(world.peering(connectionId).status.code).toBe("rejected");
    const [record] = decisionRecords().filter((r) => r.connectionId === connectionId);
    expect(record).toMatchObject({
      action: "reject",
      findings: ["rejected", "route-conflict"],
      reasons: [expect.stringContaining(`10.20.0.0/16 -> ${old}`)],
    });
  });

  it("still counts as present when it is an orphan route, for the requests decided after it", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const gone = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", gone);
    vanish(world, gone);
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    world.failNext({
      operation: "DeleteRoute",
      input: { RouteTableId: sharedMain, DestinationCidrBlock: "10.20.0.0/16" },
      error: "InternalError",
    });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${gone}`]);
    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(summary.orphanRoutesRemoved).toBe(0);
  });
});
