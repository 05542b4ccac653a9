import { describe, expect, it } from "vitest";
import { type PeeringStatusCode, requestPeering } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { useService } from "./harness";
import { addPcxRoute, pcxRoutes, stuckProvisioning, vanish } from "./sweep-worlds";
import { sharedServices } from "./worlds";

/**
 * The sweep removes blackhole routes to connections its listing does not show, since deleted
 * connections vanish from EC2 and leave such routes behind. A route to a connection that still
 * exists, in any status, is that connection's business, and a route EC2 shows `active` is in use:
 * neither may go. The listing only shows the statuses the sweep decides, so a route made in advance
 * to a connection in transit also points at an unlisted connection.
 */
describe("the reconciler's orphan routes", () => {
  const service = useService(sharedServices);

  it("removes a blackhole route to a connection EC2 no longer knows", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const gone = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", gone);
    vanish(world, gone);
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${gone}`]);

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(pcxRoutes(world, sharedMain)).toEqual([]);
    expect(summary.orphanRoutesRemoved).toBe(1);
  });

  it.each<PeeringStatusCode>(["initiating-request", "provisioning", "deleting"])(
    "keeps a blackhole route made in advance to a connection that is %s, which only a describe by id shows",
    async (status) => {
      const world = service.world();
      const { shared, app, appEu, sharedMain, sharedPrivate } = service.ids();
      const inTransit = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
      if (status === "provisioning") stuckProvisioning(world, inTransit);
      else world.setPeeringStatus(inTransit, status);
      addPcxRoute(world, sharedMain, "10.20.0.0/16", inTransit);
      // In the same pass, a route to a connection that is truly gone still goes.
      const gone = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared, status: "active" });
      addPcxRoute(world, sharedPrivate, "10.24.0.0/16", gone);
      vanish(world, gone);
      expect(world.routeTable(sharedMain).routes.find((r) => r.destination === "10.20.0.0/16")?.state).toBe(
        "blackhole",
      );

      const summary = (await service.run("reconcile")) as ReconcileSummary;

      expect(world.peering(inTransit).status.code).toBe(status);
      expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${inTransit}`]);
      expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
      expect(summary.orphanRoutesRemoved).toBe(1);
    },
  );

  it("keeps a route EC2 shows active although no describe shows its connection yet", async () => {
    const world = service.world();
    const { shared, app, appEu, sharedMain, sharedPrivate } = service.ids();
    // EC2's reads are eventually consistent: the route table already shows the route in use while
    // neither the listing nor a describe by id shows the connection.
    const unseen = world.addPeering({
      requesterVpcId: app,
      accepterVpcId: shared,
      status: "active",
      hiddenForDescribes: 10,
    });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", unseen);
    const gone = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedPrivate, "10.24.0.0/16", gone);
    vanish(world, gone);
    expect(world.routeTable(sharedMain).routes.find((r) => r.destination === "10.20.0.0/16")?.state).toBe(
      "active",
    );

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${unseen}`]);
    expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
    expect(summary.orphanRoutesRemoved).toBe(1);
  });

  it("frees the addresses it held for a request decided in the same pass", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate } = service.ids();
    const gone = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", gone);
    vanish(world, gone);
    // A new request for the same addresses, which the orphan route would conflict with.
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.run("reconcile");

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    expect(pcxRoutes(world, sharedPrivate)).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
  });
});
