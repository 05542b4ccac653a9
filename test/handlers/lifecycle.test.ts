import { describe, expect, it } from "vitest";
import { peeringCallEvent, requestPeering, vpcCidrEvent } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, PARTNER, REQUESTER, routesOf, SHARED_VPC, useService } from "./harness";
import { sharedServices } from "./worlds";

const pcxRoutes = (lines: string[]) => lines.filter((line) => line.includes("pcx-"));

describe("the reconciler", () => {
  const service = useService((world) => {
    const ids = sharedServices(world);
    // A partner outside the organisation: no role this service could assume.
    world.addAccount(PARTNER, { role: false });
    const partnerNet = world.addVpc({ ownerId: PARTNER, region: "us-east-1", cidrs: ["172.20.0.0/16"] });
    const partnersTable = world.addRouteTable({ vpcId: ids.shared, tags: { peering: "partners" } });
    return { ...ids, partnerNet, partnersTable };
  });

  it("decides a request whose event was lost, and routes it on both sides", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(summary).toMatchObject({
      targets: 1,
      connections: 1,
      actions: { accept: 1 },
      changed: 1,
      errors: [],
    });
  });

  it("decides a request from an account outside the organisation, which no event announces", async () => {
    const world = service.world();
    const { shared, partnerNet, partnersTable, sharedMain } = service.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: partnerNet, accepterVpcId: shared });

    await service.run("reconcile");

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(routesOf(world, partnersTable)).toContain(`172.20.0.0/16 -> ${connectionId}`);
    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([]);
    expect(world.calls.filter((c) => c.account === PARTNER)).toEqual([]);
  });

  it("removes blackhole routes to connections EC2 no longer shows, and nothing else", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate } = service.ids();
    const live = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).connectionId;
    world.routeTable(sharedMain).routes.push(
      {
        destination: "10.77.0.0/16",
        target: { vpcPeeringConnectionId: "pcx-0gone000000000000" },
        state: "blackhole",
        origin: "CreateRoute",
      },
      {
        destination: "10.78.0.0/16",
        target: { transitGatewayId: "tgw-0aaaabbbbccccdddd" },
        state: "blackhole",
        origin: "CreateRoute",
      },
    );

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(routesOf(world, sharedMain)).not.toContain("10.77.0.0/16 -> pcx-0gone000000000000");
    expect(routesOf(world, sharedMain)).toContain("10.78.0.0/16 -> tgw-0aaaabbbbccccdddd");
    expect(routesOf(world, sharedPrivate)).toContain(`10.20.0.0/16 -> ${live}`);
    expect(summary.orphanRoutesRemoved).toBe(1);
  });

  it("clears a dead connection's routes before deciding the request they would block, in one pass", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    // The request is listed first: the pass must still clear the dead connection's route before it.
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const old = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    world.routeTable(sharedMain).routes.push({
      destination: "10.20.0.0/16",
      target: { vpcPeeringConnectionId: old },
      state: "active",
      origin: "CreateRoute",
    });
    world.setPeeringStatus(old, "deleted");

    await service.run("reconcile");

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
  });

  it("changes nothing when it runs a second time", async () => {
    const world = service.world();
    const { shared, app, appEu, partnerNet } = service.ids();
    requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });
    requestPeering(world, { requesterVpcId: partnerNet, accepterVpcId: shared });
    await service.run("reconcile");
    const before = world.calls.length;

    const second = (await service.run("reconcile")) as ReconcileSummary;

    expect(world.calls.slice(before).filter((c) => !/^(Describe|AssumeRole)/.test(c.operation))).toEqual([]);
    expect(second).toMatchObject({ connections: 3, changed: 0, failed: 0, actions: { maintain: 3 } });
  });
});

describe("one account-region failing", () => {
  const service = useService(
    (world) => {
      const ids = sharedServices(world);
      world.addAccount("444444444444", { role: false });
      return ids;
    },
    {
      policy: `
version: 1
rules:
  - name: broken-account
    accepter: { accounts: ["444444444444"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
  - name: shared
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1", "eu-west-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`,
    },
  );

  it("does not stop the others, and the summary names it", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      account: ACCEPTER,
      region: "eu-west-1",
      error: "InternalError",
    });
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(summary.targets).toBe(3);
    expect(summary.errors.map((e) => `${e.account} ${e.region}`).sort()).toEqual([
      `${ACCEPTER} eu-west-1`,
      "444444444444 us-east-1",
    ]);
    expect(summary.errors.find((e) => e.account === "444444444444")?.error).toMatch(/AccessDenied/);
  });
});

describe("events after the request", () => {
  const service = useService(sharedServices, { env: { EVENT_BUS_NAME: "peering-autopilot-test" } });

  /** A person accepted the connection in the accepter account, and its CloudTrail event reaches the service. */
  const acceptedByHand = (connectionId: string) =>
    service.run(
      "on-peering-change",
      peeringCallEvent("AcceptVpcPeeringConnection", {
        connectionId,
        account: ACCEPTER,
        region: "us-east-1",
      }),
    );

  /** A VPC in us-east-1 gains or loses a CIDR block, and its CloudTrail event reaches the service. */
  const changeCidr = async (change: "add" | "remove", vpcId: string, account: string, cidr: string) => {
    const world = service.world();
    if (change === "add") world.associateVpcCidr(vpcId, cidr);
    else world.disassociateVpcCidr(vpcId, cidr);
    const eventName = change === "add" ? "AssociateVpcCidrBlock" : "DisassociateVpcCidrBlock";
    await service.run(
      "on-vpc-cidr-change",
      vpcCidrEvent(eventName, { vpcId, account, region: "us-east-1", cidr }),
    );
  };

  it("routes a connection that a person accepted by hand, when the policy approves the pair", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });

    await acceptedByHand(connectionId);

    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.["peering-autopilot:rule"]).toBe(
      "payments-to-shared",
    );
  });

  it("reports a connection accepted by hand outside the policy, and routes nothing", async () => {
    const world = service.world();
    const { shared, sharedMain } = service.ids();
    const stray = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
    const connectionId = world.addPeering({ requesterVpcId: stray, accepterVpcId: shared, status: "active" });

    await acceptedByHand(connectionId);

    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([]);
    const decision = world.published.find((e) => e.detailType === "Peering Decision");
    expect(decision?.detail).toMatchObject({
      connectionId,
      action: "ignore",
      findings: ["outside-policy"],
      notify: true,
    });
  });

  it.each([
    ["deleted by the requester", "DeleteVpcPeeringConnection", REQUESTER],
    ["deleted by the accepter", "DeleteVpcPeeringConnection", ACCEPTER],
  ] as const)("removes the routes on both sides of a connection %s", async (_how, eventName, caller) => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    world.setPeeringStatus(connectionId, "deleted");

    await service.run(
      "on-peering-change",
      peeringCallEvent(eventName, { connectionId, account: caller, region: "us-east-1" }),
    );

    for (const table of [sharedMain, sharedPrivate, appMain])
      expect(pcxRoutes(routesOf(world, table))).toEqual([]);
    const changed = world.published.filter((e) => e.detailType === "Peering Routes Changed").at(-1);
    expect(changed?.detail).toMatchObject({
      connectionId,
      removed: expect.arrayContaining([expect.objectContaining({ routeTableId: appMain })]),
    });
  });

  it("removes, when it rejects a request, the routes its owners made to it in advance", async () => {
    const world = service.world();
    const { shared, appMain } = service.ids();
    const wide = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
    const wideMain = world.routeTablesOfVpc(wide)[0]?.id ?? "";
    const { connectionId, event } = requestPeering(world, { requesterVpcId: wide, accepterVpcId: shared });
    world.routeTable(wideMain).routes.push({
      destination: "10.0.0.0/16",
      target: { vpcPeeringConnectionId: connectionId },
      state: "blackhole",
      origin: "CreateRoute",
    });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(pcxRoutes(routesOf(world, wideMain))).toEqual([]);
    expect(pcxRoutes(routesOf(world, appMain))).toEqual([]);
  });

  it("removes the routes that were made in advance for a request that is then rejected", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    world.routeTable(appMain).routes.push({
      destination: "10.0.0.0/16",
      target: { vpcPeeringConnectionId: connectionId },
      state: "blackhole",
      origin: "CreateRoute",
    });
    world.setPeeringStatus(connectionId, "rejected");

    await service.run(
      "on-peering-change",
      peeringCallEvent("RejectVpcPeeringConnection", {
        connectionId,
        account: ACCEPTER,
        region: "us-east-1",
      }),
    );

    expect(pcxRoutes(routesOf(world, appMain))).toEqual([]);
    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([]);
  });

  it("routes a CIDR the requester VPC gains when the rule allows it, and reports one it does not", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);

    await changeCidr("add", app, REQUESTER, "10.21.0.0/16");
    await changeCidr("add", app, REQUESTER, "192.168.4.0/24");

    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([
      `10.20.0.0/16 -> ${connectionId}`,
      `10.21.0.0/16 -> ${connectionId}`,
    ]);
    const last = world.published.filter((e) => e.detailType === "Peering Decision").at(-1);
    expect(last?.detail).toMatchObject({ action: "maintain", findings: ["cidr-not-allowed"], notify: true });
  });

  it("removes the routes of a CIDR the requester VPC gives up, and routes an accepter CIDR on the peer side", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    world.associateVpcCidr(app, "10.21.0.0/16");
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);

    await changeCidr("remove", app, REQUESTER, "10.21.0.0/16");
    await changeCidr("add", shared, ACCEPTER, "10.1.0.0/16");

    expect(pcxRoutes(routesOf(world, sharedMain))).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    expect(pcxRoutes(routesOf(world, appMain))).toEqual([
      `10.0.0.0/16 -> ${connectionId}`,
      `10.1.0.0/16 -> ${connectionId}`,
    ]);
  });

  it("publishes every decision, and marks rejections for the notification topic", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const wide = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
    await service.invoke(requestPeering(world, { requesterVpcId: app, accepterVpcId: shared }).event);
    await service.invoke(requestPeering(world, { requesterVpcId: wide, accepterVpcId: shared }).event);

    const decisions = world.published.filter((e) => e.detailType === "Peering Decision");
    expect(decisions.map((e) => [e.busName, e.source, e.detail.action, e.detail.notify])).toEqual([
      ["peering-autopilot-test", "peering-autopilot", "accept", false],
      ["peering-autopilot-test", "peering-autopilot", "reject", true],
    ]);
    expect(world.published.filter((e) => e.detailType === "Peering Routes Changed")).toHaveLength(1);
  });
});

describe("remote DNS resolution", () => {
  const service = useService(sharedServices, {
    policy: `
version: 1
rules:
  - name: with-dns
    accepter: { accounts: ["${ACCEPTER}"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12", "fd00:16::/32"] }
    dnsResolution: true
`,
  });

  it("is enabled on both sides, each by its owner in its own region, once the connection is active", async () => {
    const world = service.world();
    const { shared, appEu } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });

    await service.invoke(event);
    await service.invoke(event);

    const peering = world.peering(connectionId);
    expect(peering.accepter.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(peering.requester.allowDnsResolutionFromRemoteVpc).toBe(true);
    const modifies = world.calls.filter((c) => c.operation === "ModifyVpcPeeringConnectionOptions");
    expect(modifies.map((c) => `${c.account} ${c.region}`).sort()).toEqual([
      `${ACCEPTER} us-east-1`,
      `${REQUESTER} eu-west-1`,
    ]);
  });
});
