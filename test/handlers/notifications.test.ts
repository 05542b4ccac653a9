import { describe, expect, it } from "vitest";
import { type PublishedEvent, requestPeering, type World } from "../../model";
import { REQUESTER, useService } from "./harness";
import { addShadowingRoute, ONLY_EU_OR_PENDING, sharedServices } from "./worlds";

/**
 * The notification topic gets exactly the Peering Decisions marked `notify`, and `notify` is true
 * exactly when the decision has findings: a decision that loses its findings is never heard of.
 */
const BUS = { EVENT_BUS_NAME: "peering-autopilot-test" };

function publishedDecisions(world: World): PublishedEvent["detail"][] {
  return world.published.filter((e) => e.detailType === "Peering Decision").map((e) => e.detail);
}

describe("notifications for requests the service decides", () => {
  const service = useService(sharedServices, { env: BUS });

  it("marks a request rejected for a route conflict, with both findings", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    addShadowingRoute(world, sharedPrivate);
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    const decisions = publishedDecisions(world);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      connectionId,
      action: "reject",
      findings: ["rejected", "route-conflict"],
      notify: true,
    });
  });

  it("marks a request rejected because its CIDRs overlap ours", async () => {
    const world = service.world();
    const { shared } = service.ids();
    const overlapping = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.0.128.0/20"] });
    const { connectionId, event } = requestPeering(world, {
      requesterVpcId: overlapping,
      accepterVpcId: shared,
    });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(publishedDecisions(world)).toEqual([
      expect.objectContaining({ connectionId, action: "reject", findings: ["rejected"], notify: true }),
    ]);
  });

  it("does not mark a clean accept", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(publishedDecisions(world)).toEqual([
      expect.objectContaining({ connectionId, action: "accept", findings: [], notify: false }),
    ]);
  });
});

describe("notifications with unmatched: ignore", () => {
  const service = useService(sharedServices, {
    env: BUS,
    policy: ONLY_EU_OR_PENDING,
  });

  it("marks a request left pending for a person as outside the policy", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    // Nobody else will act on it: the notification is the only way a person hears of it.
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(publishedDecisions(world)).toEqual([
      expect.objectContaining({ connectionId, action: "ignore", findings: ["outside-policy"], notify: true }),
    ]);
  });
});
