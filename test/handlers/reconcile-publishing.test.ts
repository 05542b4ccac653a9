import { describe, expect, it } from "vitest";
import { peeringCallEvent, requestPeering, vpcCidrEvent } from "../../model";
import { ACCEPTER, type FunctionName, REQUESTER, useService } from "./harness";
import { sharedServices } from "./worlds";

/**
 * Every `Peering Decision` on the bus can reach people (those marked `notify` go to the SNS topic).
 * An event is news once, so each event-triggered decision is published; the reconciler runs every
 * five minutes over everything, so it publishes only the decisions that changed something, else a
 * request left pending or a conflict would be announced every five minutes.
 */
describe("audit events of the reconciler and of events", () => {
  const service = useService(sharedServices, { env: { EVENT_BUS_NAME: "peering-autopilot-test" } });

  /** What the bus received from here on, as `detail-type connection action` lines. */
  const publishedFrom = (start: number) =>
    service
      .world()
      .published.slice(start)
      .map((e) => [e.detailType, e.detail.connectionId, e.detail.action].filter(Boolean).join(" "));

  /** A connection the service accepted and routed on its event: converged, nothing left to change. */
  const converged = async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    return { connectionId, event };
  };

  it("a sweep publishes the decisions that changed something, and a converged world only its summary", async () => {
    const world = service.world();
    const { shared, appEu } = service.ids();
    await converged();
    // A request whose event was lost: the sweep accepts it.
    const lost = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared }).connectionId;
    const start = world.published.length;

    await service.run("reconcile");

    expect(world.peering(lost).status.code).toBe("active");
    // Nothing about the connection that was routed already.
    expect(publishedFrom(start)).toEqual([
      `Peering Decision ${lost} accept`,
      `Peering Routes Changed ${lost}`,
      "Peering Reconcile Summary",
    ]);

    const second = world.published.length;
    const ec2Changes = world.mutatingCalls().filter((c) => c.service === "EC2").length;

    await service.run("reconcile");

    expect(world.mutatingCalls().filter((c) => c.service === "EC2")).toHaveLength(ec2Changes);
    expect(publishedFrom(second)).toEqual(["Peering Reconcile Summary"]);
  });

  /** Events about a converged connection, each of which its handler decides as `maintain`, changing nothing. */
  const nothingToChange: [
    string,
    (c: { connectionId: string; event: unknown }) => [FunctionName, unknown],
  ][] = [
    ["its request's event, replayed", ({ event }) => ["on-peering-request", event]],
    [
      "an accept's event, replayed",
      ({ connectionId }) => [
        "on-peering-change",
        peeringCallEvent("AcceptVpcPeeringConnection", {
          connectionId,
          account: ACCEPTER,
          region: "us-east-1",
        }),
      ],
    ],
    [
      "a CIDR its requester gains that the rule does not allow",
      () => {
        service.world().associateVpcCidr(service.ids().app, "192.168.4.0/24");
        return [
          "on-vpc-cidr-change",
          vpcCidrEvent("AssociateVpcCidrBlock", {
            vpcId: service.ids().app,
            account: REQUESTER,
            region: "us-east-1",
            cidr: "192.168.4.0/24",
          }),
        ];
      },
    ],
  ];

  it.each(nothingToChange)(
    "an event publishes its decision even when it changes nothing: %s",
    async (_what, eventFor) => {
      const world = service.world();
      const ctx = await converged();
      const [name, event] = eventFor(ctx);
      const start = world.published.length;
      const ec2Changes = world.mutatingCalls().filter((c) => c.service === "EC2").length;

      await service.run(name, event);

      expect(world.mutatingCalls().filter((c) => c.service === "EC2")).toHaveLength(ec2Changes);
      expect(publishedFrom(start)).toEqual([`Peering Decision ${ctx.connectionId} maintain`]);
    },
  );
});
