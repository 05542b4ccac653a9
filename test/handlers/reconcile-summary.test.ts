import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, REQUESTER, useService } from "./harness";
import { addPcxRoute, pcxRoutes, TWO_REGIONS_POLICY, twoRegions, vanish } from "./sweep-worlds";
import { mainTable } from "./worlds";

/**
 * The summary is what operators read of a sweep (its log record and its event): each account-region
 * must be credited with its own connections, actions and orphan routes, and a failing one named.
 */
describe("the reconcile summary", () => {
  const service = useService(twoRegions, { policy: TWO_REGIONS_POLICY });

  it("counts each account-region's connections, actions and orphan routes on their own", async () => {
    const world = service.world();
    const { shared, sharedPrivate, app, appMain, hub, hubMain, appEu, appEu2, partnerEu } = service.ids();

    // us-east-1: a request to accept, one outside the policy, an active connection, a deleted one
    // with a route left, and an orphan route.
    const accepted = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    const stray = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
    const rejected = requestPeering(world, { requesterVpcId: stray, accepterVpcId: shared }).connectionId;
    const other = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.21.0.0/16"] });
    const active = world.addPeering({ requesterVpcId: other, accepterVpcId: shared, status: "active" });
    const dead = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, appMain, "10.0.0.0/16", dead);
    world.setPeeringStatus(dead, "deleted");
    const goneEast = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedPrivate, "10.29.0.0/16", goneEast);
    vanish(world, goneEast);

    // eu-west-1: a request to accept, a failed connection that left nothing, the hub's own request to
    // a partner (whose accepter the policy does not name), and two orphan routes, one of which cannot
    // be removed this time.
    const acceptedEu = requestPeering(world, { requesterVpcId: appEu2, accepterVpcId: hub }).connectionId;
    const failed = world.addPeering({ requesterVpcId: appEu, accepterVpcId: hub });
    world.setPeeringStatus(failed, "failed");
    const toPartner = world.addPeering({ requesterVpcId: hub, accepterVpcId: partnerEu });
    const goneEu = [1, 2].map((i) => {
      const gone = world.addPeering({ requesterVpcId: appEu, accepterVpcId: hub, status: "active" });
      addPcxRoute(world, hubMain, `10.3${i}.0.0/16`, gone);
      vanish(world, gone);
      return gone;
    });
    world.failNext({
      operation: "DeleteRoute",
      input: { RouteTableId: hubMain, DestinationCidrBlock: "10.32.0.0/16" },
      error: "InternalError",
    });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toEqual({
      pass: "full",
      targets: 3,
      connections: 7,
      actions: { accept: 2, reject: 1, maintain: 1, cleanup: 1, ignore: 1, skipped: 1 },
      changed: 5,
      reportOnly: 0,
      failed: 0,
      orphanRoutesRemoved: 2,
      // The orphan route that could not be removed is counted, not dropped: the next run tries again.
      orphanRoutesFailed: 1,
      orphanRoutesReported: 0,
      callsNotSent: 0,
      perTarget: [
        {
          account: ACCEPTER,
          region: "us-east-1",
          connections: 4,
          actions: { accept: 1, reject: 1, maintain: 1, cleanup: 1 },
          orphanRoutesRemoved: 1,
          orphanRoutesFailed: 0,
          orphanRoutesReported: 0,
        },
        {
          account: ACCEPTER,
          region: "eu-west-1",
          connections: 3,
          actions: { accept: 1, ignore: 1, skipped: 1 },
          orphanRoutesRemoved: 1,
          orphanRoutesFailed: 1,
          orphanRoutesReported: 0,
        },
        {
          account: "444444444444",
          region: "us-east-1",
          connections: 0,
          actions: {},
          orphanRoutesRemoved: 0,
          orphanRoutesFailed: 0,
          orphanRoutesReported: 0,
          error: expect.stringMatching(/AccessDenied/),
        },
      ],
      errors: [
        { account: "444444444444", region: "us-east-1", error: expect.stringMatching(/AccessDenied/) },
      ],
    });
    // The world agrees with the counts.
    expect(world.peering(accepted).status.code).toBe("active");
    expect(world.peering(acceptedEu).status.code).toBe("active");
    expect(world.peering(rejected).status.code).toBe("rejected");
    expect(world.peering(toPartner).status.code).toBe("pending-acceptance");
    expect(pcxRoutes(world, mainTable(world, other))).toEqual([`10.0.0.0/16 -> ${active}`]);
    expect(pcxRoutes(world, appMain)).not.toContain(`10.0.0.0/16 -> ${dead}`);
    expect(pcxRoutes(world, sharedPrivate)).not.toContain(`10.29.0.0/16 -> ${goneEast}`);
    expect(pcxRoutes(world, hubMain)).toEqual([
      `10.32.0.0/16 -> ${goneEu[1]}`,
      `10.26.0.0/16 -> ${acceptedEu}`,
    ]);
    expect(world.peering(failed).status.code).toBe("failed");
  });
});
