import { describe, expect, it } from "vitest";
import { peeringCallEvent, requestPeering, vpcCidrEvent, type World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, routesOf, useService } from "./harness";
import { mainTable, sharedServices } from "./worlds";

/**
 * Which connections the read phase re-reads where the accepter sees them: an event names a connection
 * from either side, but accepting, rejecting and tagging happen on the accepter's side, and tags are per
 * account. A connection whose accepter the policy does not name is never read there (nor, pending,
 * decided at all).
 */

/** Where the connection was read by id (the read phase's reads; sweeps and waiters use filters). */
function readsById(world: World, connectionId: string, since = 0): string[] {
  return world.calls
    .slice(since)
    .filter(
      (c) =>
        c.operation === "DescribeVpcPeeringConnections" &&
        ((c.input as { VpcPeeringConnectionIds?: string[] }).VpcPeeringConnectionIds ?? []).includes(
          connectionId,
        ),
    )
    .map((c) => `${c.account} ${c.region}`);
}

const assumedInto = (world: World, account: string) =>
  world.calls.filter(
    (c) =>
      c.operation === "AssumeRole" && String((c.input as { RoleArn?: string }).RoleArn).includes(account),
  );

describe("an event from the requester's account about a connection the policy's accepter holds", () => {
  const service = useService(sharedServices);

  it("is decided on the accepter's copy: its decision tags stand and are not written again", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    const tags = { ...world.peering(connectionId).tagsByAccount[ACCEPTER] };
    world.associateVpcCidr(app, "10.21.0.0/16");
    const before = world.calls.length;

    const [result] = (await service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: app,
        account: REQUESTER,
        region: "us-east-1",
        cidr: "10.21.0.0/16",
      }),
    )) as unknown[];

    // The requester's copy carries none of the accepter's tags: deciding on it would tag afresh.
    expect(readsById(world, connectionId, before)).toEqual([
      `${REQUESTER} us-east-1`,
      `${ACCEPTER} us-east-1`,
    ]);
    expect(routesOf(world, sharedMain)).toContain(`10.21.0.0/16 -> ${connectionId}`);
    expect(world.calls.slice(before).filter((c) => c.operation === "CreateTags")).toEqual([]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toEqual(tags);
    expect(result).toMatchObject({ kind: "decided", record: { action: "maintain", tagged: false } });
  });
});

describe("an event from the accepter's own account and region", () => {
  const service = useService(sharedServices);

  it("reads the connection there once, and nowhere else", async () => {
    const world = service.world();
    const { shared, app, appMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    world.associateVpcCidr(shared, "10.1.0.0/16");
    const before = world.calls.length;

    await service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: shared,
        account: ACCEPTER,
        region: "us-east-1",
        cidr: "10.1.0.0/16",
      }),
    );

    expect(routesOf(world, appMain)).toContain(`10.1.0.0/16 -> ${connectionId}`);
    expect(readsById(world, connectionId, before)).toEqual([`${ACCEPTER} us-east-1`]);
  });
});

describe("an event from the requester's region of an inter-region connection within one account", () => {
  const service = useService(
    (world) => {
      const shared = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
      const own = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.30.0.0/16"] });
      return { shared, sharedMain: mainTable(world, shared), own };
    },
    {
      policy: `
version: 1
rules:
  - name: own-regions
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${ACCEPTER}"], regions: ["eu-west-1"], cidrs: ["10.16.0.0/12"] }
`,
    },
  );

  it("is re-read in the accepter's region before it is decided", async () => {
    const world = service.world();
    const { shared, sharedMain, own } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: own, accepterVpcId: shared });
    await service.invoke(event);
    world.associateVpcCidr(own, "10.31.0.0/16");
    const before = world.calls.length;

    await service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: own,
        account: ACCEPTER,
        region: "eu-west-1",
        cidr: "10.31.0.0/16",
      }),
    );

    expect(readsById(world, connectionId, before)).toEqual([
      `${ACCEPTER} eu-west-1`,
      `${ACCEPTER} us-east-1`,
    ]);
    expect(routesOf(world, sharedMain)).toContain(`10.31.0.0/16 -> ${connectionId}`);
  });
});

describe("a request whose accepter the policy does not name", () => {
  const service = useService(sharedServices);

  it("is left pending and undecided, even when the accepter's account is one the policy reads", async () => {
    const world = service.world();
    const { app } = service.ids();
    // A member peering two of its own VPCs: its account is watched as a requester, never as an accepter.
    const other = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.40.0.0/16"] });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: other });

    const result = await service.invoke(event);

    expect(result).toMatchObject({
      kind: "skipped",
      reason: `the connection's accepter is ${REQUESTER} us-east-1, which the policy does not name`,
    });
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(world.peering(connectionId).tagsByAccount).toEqual({});
    expect(world.mutatingCalls()).toEqual([]);
    expect(world.calls.filter((c) => c.operation === "DescribeRouteTables")).toEqual([]);
  });
});

describe("a dead connection whose accepter the policy does not name", () => {
  const service = useService(
    (world) => {
      const app = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
      const partner = world.addVpc({ ownerId: PARTNER, region: "us-east-1", cidrs: ["172.20.0.0/16"] });
      return { app, appMain: mainTable(world, app), partner };
    },
    {
      policy: `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`,
    },
  );

  it("is cleaned up on the requester's side, on what the requester sees, without reaching the accepter", async () => {
    const world = service.world();
    const { app, appMain, partner } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: partner, status: "active" });
    world.routeTable(appMain).routes.push({
      destination: "172.20.0.0/16",
      target: { vpcPeeringConnectionId: connectionId },
      state: "active",
      origin: "CreateRoute",
    });
    world.setPeeringStatus(connectionId, "deleted");

    const result = await service.run(
      "on-peering-change",
      peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId,
        account: REQUESTER,
        region: "us-east-1",
      }),
    );

    expect(routesOf(world, appMain)).toEqual(["10.20.0.0/16 -> local"]);
    expect(result).toMatchObject({
      kind: "decided",
      record: {
        action: "cleanup",
        unmanaged: { accepter: expect.stringContaining(`account ${PARTNER} is not named in the policy`) },
      },
    });
    expect(readsById(world, connectionId)).toEqual([`${REQUESTER} us-east-1`]);
    expect(world.calls.filter((c) => c.account === PARTNER)).toEqual([]);
    expect(assumedInto(world, PARTNER)).toEqual([]);
  });
});
