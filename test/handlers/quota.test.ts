import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestPeering, type World } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, REQUESTER, SHARED_VPC, useService } from "./harness";
import { decisionsFrom, PENDING_TICK } from "./pending-pass-worlds";
import { pcxRoutes } from "./sweep-worlds";
import { sharedServices } from "./worlds";

const POLICY = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`;

// The deployment's quotas, as small as the model's own route limit so that a table fills quickly.
const ROUTES_PER_TABLE = 5;
const PEERINGS_PER_VPC = 2;
const QUOTA_ENV = {
  ROUTE_TABLE_QUOTA: String(ROUTES_PER_TABLE),
  ACTIVE_PEERING_QUOTA: String(PEERINGS_PER_VPC),
};

/** The shared-services world, with a third accepter table holding `routes` routes to a transit gateway. */
function withBusyTable(routes: number) {
  return (world: World) => {
    world.options.routeLimit = ROUTES_PER_TABLE;
    const ids = sharedServices(world);
    const busy = world.addRouteTable({
      vpcId: ids.shared,
      tags: { tier: "transit" },
      routes: Array.from({ length: routes }, (_, i) => ({
        destination: `192.168.${i}.0/24`,
        target: { transitGatewayId: "tgw-0aaaabbbbccccdddd" },
      })),
    });
    return { ...ids, busy };
  };
}

function useQuotaEnv() {
  beforeEach(() => {
    Object.assign(process.env, QUOTA_ENV);
  });
  afterEach(() => {
    for (const key of Object.keys(QUOTA_ENV)) delete process.env[key];
  });
}

interface Answer {
  kind: string;
  record: { action: string; findings: string[]; reasons: string[]; connection: string };
}

describe("a request that would go over a quota is rejected, and says which and by how much", () => {
  const service = useService(withBusyTable(ROUTES_PER_TABLE), {
    policy: POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  useQuotaEnv();

  it("rejects a request whose routes a full route table cannot take, before accepting it", async () => {
    const world = service.world();
    const { shared, app, busy, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const answer = (await service.invoke(event)) as Answer;

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(answer.record).toMatchObject({ action: "reject", connection: "rejected" });
    expect(answer.record.findings).toEqual(["rejected", "quota"]);
    expect(answer.record.reasons).toEqual([
      `route table ${busy} (${ACCEPTER} us-east-1) holds 5 routes; this request adds 1, over the quota of 5`,
    ]);
    expect(pcxRoutes(world, sharedMain)).toEqual([]);
    const calls = world.calls.map((c) => c.operation);
    expect(calls).not.toContain("AcceptVpcPeeringConnection");
    expect(calls).not.toContain("CreateRoute");
  });
});

describe("the accepter VPC's active peering quota", () => {
  const service = useService(withBusyTable(0), {
    policy: POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  useQuotaEnv();

  /** Active connections of the shared VPC: as accepter of a partner's, and as requester of another VPC's. */
  function activePeerings(world: World, count: number) {
    const { shared } = service.ids();
    const made = [
      () => {
        const partner = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.40.0.0/16"] });
        world.addPeering({ requesterVpcId: partner, accepterVpcId: shared, status: "active" });
      },
      () => {
        const peer = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.41.0.0/16"] });
        world.addPeering({ requesterVpcId: shared, accepterVpcId: peer, status: "active" });
      },
    ];
    for (const make of made.slice(0, count)) make();
  }

  it("counts the VPC's active connections on either side, and refuses one more at the quota", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    activePeerings(world, 2);
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const answer = (await service.invoke(event)) as Answer;

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(answer.record.findings).toEqual(["rejected", "quota"]);
    expect(answer.record.reasons).toEqual([
      `accepter VPC ${SHARED_VPC} (${ACCEPTER} us-east-1) has 2 active peering connections; accepting this request makes 3, over the quota of 2`,
    ]);
  });

  it("accepts the request that brings the VPC to its quota", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    activePeerings(world, 1);
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const answer = (await service.invoke(event)) as Answer;

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(answer.record.findings).toEqual([]);
  });

  it("counts what the same pass accepts: of two requests with room for one, the second is rejected", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    activePeerings(world, 1);
    const other = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.22.0.0/16"] });
    const first = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    const second = world.addPeering({ requesterVpcId: other, accepterVpcId: shared });

    const summary = (await service.run("reconcile", PENDING_TICK)) as ReconcileSummary;

    expect(summary.actions).toEqual({ accept: 1, reject: 1 });
    const statuses = [first, second].map((id) => world.peering(id).status.code);
    expect(statuses).toEqual(["active", "rejected"]);
    expect(world.calls.filter((c) => c.operation === "AcceptVpcPeeringConnection" && c.error)).toEqual([]);
  });

  it("reads the count with two listings, the pending pass as an event does", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    activePeerings(world, 2);
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    const start = world.calls.length;

    const summary = (await service.run("reconcile", PENDING_TICK)) as ReconcileSummary;

    expect(summary).toMatchObject({ pass: "pending", actions: { reject: 1 }, failed: 0 });
    expect(world.peering(connectionId).status.code).toBe("rejected");
    const counted = world.calls
      .slice(start)
      .filter((c) => c.operation === "DescribeVpcPeeringConnections")
      .map((c) => (c.input as { Filters?: { Name?: string }[] }).Filters?.map((f) => f.Name).join(" "));
    expect(counted).toEqual(
      expect.arrayContaining([
        "status-code accepter-vpc-info.vpc-id",
        "status-code requester-vpc-info.vpc-id",
      ]),
    );
  });

  it("counts from its own listing in the full pass: no call more", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    activePeerings(world, 2);
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    const start = world.calls.length;

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ pass: "full", failed: 0 });
    expect(world.peering(connectionId).status.code).toBe("rejected");
    const listings = world.calls
      .slice(start)
      .filter((c) => c.operation === "DescribeVpcPeeringConnections" && c.account === ACCEPTER);
    expect(listings).toHaveLength(1);
  });
});

describe("an active connection whose route table is full", () => {
  const service = useService(withBusyTable(ROUTES_PER_TABLE - 1), {
    policy: POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  useQuotaEnv();

  it("gets the routes that fit and a finding for the others, and the pass does not fail", async () => {
    const world = service.world();
    const { shared, busy, sharedMain, sharedPrivate } = service.ids();
    const apps = world.addVpc({
      ownerId: REQUESTER,
      region: "us-east-1",
      cidrs: ["10.22.0.0/16", "10.23.0.0/16"],
    });
    const connectionId = world.addPeering({ requesterVpcId: apps, accepterVpcId: shared, status: "active" });
    const start = world.published.length;

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { maintain: 1 }, changed: 1, failed: 0, errors: [] });
    expect(pcxRoutes(world, busy)).toEqual([`10.22.0.0/16 -> ${connectionId}`]);
    for (const table of [sharedMain, sharedPrivate]) {
      expect(pcxRoutes(world, table)).toEqual([
        `10.22.0.0/16 -> ${connectionId}`,
        `10.23.0.0/16 -> ${connectionId}`,
      ]);
    }
    expect(world.calls.filter((c) => c.error === "RouteLimitExceeded")).toEqual([]);
    const [decision] = decisionsFrom(world, start);
    expect(decision?.detail).toMatchObject({
      connectionId,
      action: "maintain",
      findings: ["quota"],
      reasons: expect.arrayContaining([
        `route table ${busy} (${ACCEPTER} us-east-1) holds 4 routes and has room for 1 of the 2 this connection needs (quota 5): not created: 10.23.0.0/16`,
      ]),
    });

    // The next pass finds the same: nothing is tried that would fail, and nothing changes.
    const calls = world.calls.length;
    const again = (await service.run("reconcile")) as ReconcileSummary;
    expect(again).toMatchObject({ changed: 0, failed: 0 });
    expect(world.calls.slice(calls).map((c) => c.operation)).not.toContain("CreateRoute");
  });
});

describe("two connections of one pass writing into the same nearly full table", () => {
  const service = useService(withBusyTable(ROUTES_PER_TABLE - 2), {
    policy: POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  useQuotaEnv();

  it("counts what the first creates: the second gets what is left, and no call meets RouteLimitExceeded", async () => {
    const world = service.world();
    const { shared, busy } = service.ids();
    const [first, second] = [["10.22.0.0/16"], ["10.23.0.0/16", "10.24.0.0/16"]].map((cidrs) => {
      const vpc = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs });
      return world.addPeering({ requesterVpcId: vpc, accepterVpcId: shared, status: "active" });
    });
    const start = world.published.length;

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { maintain: 2 }, failed: 0, errors: [] });
    expect(world.calls.filter((c) => c.error === "RouteLimitExceeded")).toEqual([]);
    expect(pcxRoutes(world, busy)).toEqual([`10.22.0.0/16 -> ${first}`, `10.23.0.0/16 -> ${second}`]);
    const decided = decisionsFrom(world, start).find((d) => d.detail.connectionId === second);
    expect(decided?.detail.reasons).toEqual(
      expect.arrayContaining([
        `route table ${busy} (${ACCEPTER} us-east-1) holds 3 routes (and this pass creates 1 more) and has room for 1 of the 2 this connection needs (quota 5): not created: 10.24.0.0/16`,
      ]),
    );
  });
});

describe("a security group near its quota of inbound rules", () => {
  const OPENING = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    securityGroups:
      accepter: { tags: { Peering: apps } }
      ingress: [{ protocol: tcp, ports: [443, 8443] }]
`;
  // The service's quota and the model's limit are both AWS's default, 60; the group holds 59.
  const service = useService(
    (world: World) => {
      const ids = sharedServices(world);
      const apps = world.addSecurityGroup({
        vpcId: ids.shared,
        name: "apps",
        tags: { Peering: "apps" },
        ingress: Array.from({ length: 59 }, (_, i) => ({
          protocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrIpv4: `192.168.${i}.0/24`,
        })),
      });
      return { ...ids, apps };
    },
    { policy: OPENING },
  );

  it("rejects a request it could not open, and opens for an active connection the rule that fits", async () => {
    const world = service.world();
    const { shared, app, apps, sharedMain } = service.ids();
    const { connectionId: request, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });

    const answer = (await service.invoke(event)) as Answer;

    expect(world.peering(request).status.code).toBe("rejected");
    expect(answer.record).toMatchObject({ action: "reject", findings: ["rejected", "quota"] });
    expect(answer.record.reasons).toContain(
      `security group ${apps} (${ACCEPTER} us-east-1) holds 59 IPv4 inbound rules; this request adds 2, over the quota of 60`,
    );

    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ failed: 0 });
    const opened = world
      .securityGroupRules(apps)
      .filter((rule) => rule.tags["peering-autopilot:connection"] === active);
    expect(opened.map((rule) => rule.fromPort)).toEqual([443]);
    expect(world.calls.some((call) => call.error === "RulesPerSecurityGroupLimitExceeded")).toBe(false);
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${active}`]);
  });
});
