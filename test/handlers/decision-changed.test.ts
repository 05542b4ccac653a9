import { describe, expect, it } from "vitest";
import { requestPeering, vpcCidrEvent } from "../../model";
import { ACCEPTER, REQUESTER, routesOf, SHARED_VPC, useService } from "./harness";
import { sharedServices } from "./worlds";

/**
 * A decision record's `changed` says whether anything in AWS changed; the reconciler publishes only
 * the decisions that did. Each test starts from an accepted, tagged connection, so that the cause
 * under test is the only change (no accept, no tags).
 */
const WITH_DNS = `
version: 1
rules:
  - name: with-dns
    accepter: { accounts: ["${ACCEPTER}"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    dnsResolution: true
`;

const pcxRoutes = (lines: string[]) => lines.filter((line) => line.includes("pcx-"));

describe("the changed flag of a decision record", () => {
  const service = useService(sharedServices, { policy: WITH_DNS });

  /** An approved request, accepted, routed, with DNS set and tagged by a first delivery of its event. */
  const accepted = async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const request = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(request.event);
    expect(world.peering(request.connectionId).status.code).toBe("active");
    return request;
  };

  it("is false when nothing needed changing: a replayed event", async () => {
    const world = service.world();
    const { event } = await accepted();
    const before = world.calls.length;

    const replay = await service.invoke(event);

    expect(world.calls.slice(before).filter((c) => !/^(Describe|AssumeRole)/.test(c.operation))).toEqual([]);
    expect(replay).toMatchObject({
      kind: "decided",
      record: {
        action: "maintain",
        connection: "unchanged",
        tagged: false,
        // Every planned route is there already: nothing is planned to be made.
        routes: { planned: [], created: [], removed: [] },
        dns: [{ result: "present" }, { result: "present" }],
        changed: false,
      },
    });
  });

  it("is true when a route was created: one deleted by hand is put back", async () => {
    const world = service.world();
    const { sharedMain } = service.ids();
    const { connectionId, event } = await accepted();
    const table = world.routeTable(sharedMain);
    table.routes = table.routes.filter((r) => r.destination !== "10.20.0.0/16");

    const result = await service.invoke(event);

    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    expect(result).toMatchObject({
      record: {
        connection: "unchanged",
        tagged: false,
        routes: { created: [{ routeTableId: sharedMain, destination: "10.20.0.0/16" }], removed: [] },
        changed: true,
      },
    });
  });

  it("is true when routes were removed: a CIDR the requester VPC gave up", async () => {
    const world = service.world();
    const { app, sharedMain, sharedPrivate } = service.ids();
    world.associateVpcCidr(app, "10.21.0.0/16");
    const { connectionId } = await accepted();
    world.disassociateVpcCidr(app, "10.21.0.0/16");

    const [result] = (await service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent("DisassociateVpcCidrBlock", {
        vpcId: app,
        account: REQUESTER,
        region: "us-east-1",
        cidr: "10.21.0.0/16",
      }),
    )) as unknown[];

    for (const table of [sharedMain, sharedPrivate]) {
      expect(pcxRoutes(routesOf(world, table))).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    }
    expect(result).toMatchObject({
      record: {
        connection: "unchanged",
        tagged: false,
        routes: { created: [], removed: [{ destination: "10.21.0.0/16" }, { destination: "10.21.0.0/16" }] },
        changed: true,
      },
    });
  });

  it("is true when only the connection changed: a rejection whose tags an attempt that crashed wrote", async () => {
    const world = service.world();
    const { shared, partner } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });
    // A rejection is tagged before it is sent: an attempt that stopped in between left only the tags.
    world.peering(connectionId).tagsByAccount[ACCEPTER] = {
      "peering-autopilot:decision": "reject",
      "peering-autopilot:rule": "none",
      "peering-autopilot:decided-at": "2026-12-01T00:00:00.000Z",
    };

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(result).toMatchObject({
      record: { action: "reject", connection: "rejected", tagged: false, changed: true },
    });
  });

  it("is true when DNS options were set: resolution turned off by hand is turned on again", async () => {
    const world = service.world();
    const { connectionId, event } = await accepted();
    world.peering(connectionId).requester.allowDnsResolutionFromRemoteVpc = false;

    const result = await service.invoke(event);

    expect(world.peering(connectionId).requester.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(result).toMatchObject({
      record: {
        connection: "unchanged",
        tagged: false,
        routes: { created: [], removed: [] },
        dns: expect.arrayContaining([
          expect.objectContaining({ side: "requester", result: "enabled" }),
          expect.objectContaining({ side: "accepter", result: "present" }),
        ]),
        changed: true,
      },
    });
  });
});
