import { describe, expect, it, vi } from "vitest";
import { requestPeering, vpcCidrEvent, type World } from "../../model";
import { ACCEPTER, REQUESTER, useService } from "./harness";
import { addShadowingRoute, sharedServices } from "./worlds";

/**
 * When carrying a decision out fails, the invocation fails (so that it is retried) with an error that
 * names the connection and says what was not done, and the published record carries that error.
 */
const BUS = { EVENT_BUS_NAME: "peering-autopilot-test" };

function publishedDecisions(world: World) {
  return world.published.filter((e) => e.detailType === "Peering Decision").map((e) => e.detail);
}

describe("a decision that could not be carried out", () => {
  const service = useService(sharedServices, { env: BUS });

  it("names the connection when the accept itself is refused, in the error and in the record", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    world.failNext({ operation: "AcceptVpcPeeringConnection", error: "UnauthorizedOperation" });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await expect(service.invoke(event)).rejects.toMatchObject({
      name: "CarryOutError",
      connectionId,
      message: expect.stringContaining(
        `peering connection ${connectionId}: carrying the decision out stopped: `,
      ),
    });
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(publishedDecisions(world)).toEqual([
      expect.objectContaining({
        connectionId,
        action: "accept",
        error: expect.objectContaining({ name: "CarryOutError" }),
      }),
    ]);
    // Nothing was accepted, so nothing is awaited: a describe without ids would list every connection.
    const accept = world.calls.findIndex((c) => c.operation === "AcceptVpcPeeringConnection");
    expect(world.calls.slice(accept).map((c) => c.operation)).not.toContain("DescribeVpcPeeringConnections");
  });

  it("keeps the planned route conflict in the record of a rejection that could not be sent", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    addShadowingRoute(world, sharedPrivate);
    world.failNext({ operation: "RejectVpcPeeringConnection", error: "UnauthorizedOperation" });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await expect(service.invoke(event)).rejects.toMatchObject({ name: "CarryOutError", connectionId });
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(publishedDecisions(world)).toEqual([
      expect.objectContaining({
        connectionId,
        action: "reject",
        routes: expect.objectContaining({
          conflicting: [
            expect.objectContaining({
              routeTableId: sharedPrivate,
              destination: "10.20.0.0/16",
              conflictsWith: "10.20.4.0/24 -> tgw-0123456789abcdef0",
            }),
          ],
        }),
      }),
    ]);
  });

  it("says which route was not created, and where", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    world.failNext({
      operation: "CreateRoute",
      input: { RouteTableId: sharedMain },
      error: "UnauthorizedOperation",
    });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const failure = service.invoke(event);

    await expect(failure).rejects.toMatchObject({
      name: "PartialFailureError",
      message: expect.stringMatching(
        new RegExp(
          `^peering connection ${connectionId}: 1 change\\(s\\) not made: create ${sharedMain} 10\\.20\\.0\\.0/16: .*UnauthorizedOperation`,
        ),
      ),
    });
    expect(world.peering(connectionId).status.code).toBe("active");
  });

  it("says which route was not removed, and where", async () => {
    const world = service.world();
    const { shared, appEu, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });
    await service.invoke(event);
    world.disassociateVpcCidr(appEu, "10.25.0.0/16");
    world.failNext({
      operation: "DeleteRoute",
      input: { RouteTableId: sharedMain, DestinationCidrBlock: "10.25.0.0/16" },
      error: "UnauthorizedOperation",
    });

    const failure = service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent("DisassociateVpcCidrBlock", {
        vpcId: appEu,
        account: REQUESTER,
        region: "eu-west-1",
        cidr: "10.25.0.0/16",
      }),
    );

    await expect(failure).rejects.toMatchObject({
      name: "PartialFailureError",
      message: expect.stringMatching(
        new RegExp(
          `^peering connection ${connectionId}: 1 change\\(s\\) not made: delete ${sharedMain} 10\\.25\\.0\\.0/16: .*UnauthorizedOperation`,
        ),
      ),
    });
  });
});

describe("a CIDR change of a VPC with several connections", () => {
  const service = useService(sharedServices, {
    env: BUS,
    policy: `
version: 1
rules:
  - name: any-of-ours
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`,
  });

  it.each([0, 1])(
    "fails a CIDR change when any of the VPC's connections fails (connection %i of two)",
    async (failing) => {
      const world = service.world();
      const { shared, app } = service.ids();
      const other = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.1.0.0/16"] });
      const connections = [shared, other].map((accepterVpcId) =>
        world.addPeering({ requesterVpcId: app, accepterVpcId, status: "active" }),
      );
      const broken = connections[failing] ?? "";
      world.associateVpcCidr(app, "10.21.0.0/16");
      world.failNext({
        operation: "CreateRoute",
        input: { VpcPeeringConnectionId: broken },
        error: "UnauthorizedOperation",
        times: Number.POSITIVE_INFINITY,
      });

      const failure = service.run(
        "on-vpc-cidr-change",
        vpcCidrEvent("AssociateVpcCidrBlock", {
          vpcId: app,
          account: REQUESTER,
          region: "us-east-1",
          cidr: "10.21.0.0/16",
        }),
      );

      await expect(failure).rejects.toMatchObject({ name: "PartialFailureError", connectionId: broken });
      // Both decisions are published, the one that worked and the one that failed.
      expect(publishedDecisions(world).map((d) => d.connectionId)).toEqual(
        expect.arrayContaining(connections),
      );
    },
  );
});

describe("a decision whose DNS option could not be set", () => {
  const service = useService(sharedServices, {
    env: BUS,
    policy: `
version: 1
rules:
  - name: shared
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    dnsResolution: true
`,
  });

  it("says which side's DNS option was not set", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    world.failNext({
      operation: "ModifyVpcPeeringConnectionOptions",
      account: REQUESTER,
      error: "UnauthorizedOperation",
    });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await expect(service.invoke(event)).rejects.toMatchObject({
      name: "PartialFailureError",
      message: expect.stringMatching(
        new RegExp(
          `^peering connection ${connectionId}: 1 change\\(s\\) not made: dns requester: .*UnauthorizedOperation`,
        ),
      ),
    });
  });
});

describe("an accept whose answer was lost while the connection is still provisioning", () => {
  const service = useService(sharedServices);

  it("is read as accepted, and the connection is routed once active", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    // The accept took effect but its answer says InvalidStateTransition (as a re-send's does after a
    // lost answer), and the re-read still shows "provisioning".
    world.options.describesUntilActive = 1;
    world.failNext({
      operation: "AcceptVpcPeeringConnection",
      error: "InvalidStateTransition",
      afterEffect: true,
    });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(result).toMatchObject({ record: { action: "accept", connection: "accepted" } });
    expect((result as { record: { error?: unknown } }).record.error).toBeUndefined();
    expect(world.peering(connectionId).status.code).toBe("active");
    expect(world.routeTable(sharedMain).routes.map((r) => r.destination)).toContain("10.20.0.0/16");
  });
});

describe("an accepted connection that EC2 does not show again within the wait", () => {
  const service = useService(sharedServices, { env: { ACTIVE_WAIT_SECONDS: "1" } });

  it("fails the invocation, saying that no status was seen, and routes nothing", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    // Eventual consistency at its worst: once accepted, the connection drops out of every describe.
    const setStatus = world.setPeeringStatus.bind(world);
    vi.spyOn(world, "setPeeringStatus").mockImplementation((id, code, message) => {
      setStatus(id, code, message);
      if (code === "provisioning") world.peering(id).hiddenForDescribes = Number.POSITIVE_INFINITY;
    });

    await expect(service.invoke(event)).rejects.toMatchObject({
      name: "ActivationTimeoutError",
      message: `peering connection ${connectionId} did not become active within 1s (last status unknown); routes not installed`,
    });
    expect(world.routeTable(sharedMain).routes.map((r) => r.destination)).not.toContain("10.20.0.0/16");
  });
});
