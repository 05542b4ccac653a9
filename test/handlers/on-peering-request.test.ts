import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import { ACCEPTER, REQUESTER, routesOf, SHARED_VPC, useService } from "./harness";
import { addShadowingRoute, ONLY_EU_OR_PENDING, sharedServices } from "./worlds";

describe("an approved cross-account request in the accepter's region", () => {
  const service = useService(sharedServices);

  it("is accepted, routed on both sides and tagged with the rule", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("active");
    for (const table of [sharedMain, sharedPrivate]) {
      expect(routesOf(world, table)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    }
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toMatchObject({
      "peering-autopilot:decision": "accept",
      "peering-autopilot:rule": "payments-to-shared",
    });
    expect(result).toMatchObject({
      kind: "decided",
      record: { action: "accept", rule: "payments-to-shared" },
    });
  });

  it("leaves the NAT default route alone: a broader gateway route is no conflict", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    expect(routesOf(world, sharedPrivate)).toEqual([
      "10.0.0.0/16 -> local",
      "0.0.0.0/0 -> nat-0aaaabbbbccccdddd",
      `10.20.0.0/16 -> ${connectionId}`,
    ]);
  });

  it("changes nothing when the same event is delivered again", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    const tags = world.peering(connectionId).tagsByAccount[ACCEPTER];
    const before = world.calls.length;

    const replay = await service.invoke(event);

    expect(world.calls.slice(before).filter((c) => !/^(Describe|AssumeRole)/.test(c.operation))).toEqual([]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toEqual(tags);
    expect(replay).toMatchObject({
      kind: "decided",
      record: { action: "maintain", connection: "unchanged", changed: false },
    });
  });
});

describe("an approved inter-region request with secondary and IPv6 CIDRs", () => {
  const service = useService(sharedServices);

  it("is accepted in the accepter's region and each side is routed in its own region", async () => {
    const world = service.world();
    const { shared, appEu, sharedMain, appEuMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });

    await service.invoke(event);

    expect(routesOf(world, sharedMain)).toEqual([
      "10.0.0.0/16 -> local",
      `10.24.0.0/16 -> ${connectionId}`,
      `10.25.0.0/16 -> ${connectionId}`,
      `fd00:16:24::/48 -> ${connectionId}`,
    ]);
    expect(routesOf(world, appEuMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    const accept = world.calls.find((c) => c.operation === "AcceptVpcPeeringConnection");
    expect(accept).toMatchObject({ account: ACCEPTER, region: "us-east-1" });
    const requesterRoutes = world.calls.filter(
      (c) => c.operation === "CreateRoute" && c.account === REQUESTER,
    );
    expect(requesterRoutes.map((c) => c.region)).toEqual(["eu-west-1"]);
  });
});

describe("requests the policy does not approve", () => {
  const service = useService((world) => {
    const ids = sharedServices(world);
    const outside = world.addVpc({
      ownerId: REQUESTER,
      region: "us-east-1",
      cidrs: ["10.20.0.0/16", "100.64.8.0/22"],
    });
    const overlapping = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.0.128.0/20"] });
    return { ...ids, outside, overlapping };
  });

  it("rejects a request with a CIDR outside the allowlist, and names the CIDR", async () => {
    const world = service.world();
    const { shared, outside, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: outside, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(routesOf(world, sharedMain)).toEqual(["10.0.0.0/16 -> local"]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.["peering-autopilot:decision"]).toBe(
      "reject",
    );
    expect(JSON.stringify(result)).toContain("requester CIDR 100.64.8.0/22 is not inside");
  });

  it("rejects an overlapping request even though no rule is consulted", async () => {
    const world = service.world();
    const { shared, overlapping } = service.ids();
    const { connectionId, event } = requestPeering(world, {
      requesterVpcId: overlapping,
      accepterVpcId: shared,
    });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(result).toMatchObject({
      record: {
        action: "reject",
        reasons: ["requester CIDR 10.0.128.0/20 overlaps accepter CIDR 10.0.0.0/16"],
      },
    });
    expect(world.calls.filter((c) => c.operation === "CreateRoute")).toEqual([]);
  });

  it("rejects a request whose route would be shadowed by a more specific route in our tables", async () => {
    const world = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    addShadowingRoute(world, sharedPrivate);
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(result).toMatchObject({
      record: {
        rule: "payments-to-shared",
        routes: {
          conflicting: [
            { routeTableId: sharedPrivate, conflictsWith: "10.20.4.0/24 -> tgw-0123456789abcdef0" },
          ],
        },
      },
    });
  });
});

describe("unmatched: ignore", () => {
  const service = useService(sharedServices, {
    policy: ONLY_EU_OR_PENDING,
  });

  it("leaves an unapproved request pending for a person and changes nothing", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(world.mutatingCalls()).toEqual([]);
    expect(result).toMatchObject({
      record: {
        action: "ignore",
        reasons: ["no rule approves this request", expect.stringMatching(/region us-east-1/)],
      },
    });
  });
});

describe("route table selection", () => {
  const service = useService(sharedServices, {
    policy: `
version: 1
rules:
  - name: tagged-and-main
    accepter: { accounts: ["${ACCEPTER}"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    routes:
      accepter: { tags: { tier: private } }
      requester: main
`,
  });

  it("routes only the tables the rule selects, by tags on one side and main on the other", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const appSpare = world.addRouteTable({ vpcId: app, tags: { tier: "private" } });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    expect(routesOf(world, sharedPrivate)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, sharedMain)).toEqual(["10.0.0.0/16 -> local"]);
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appSpare)).toEqual(["10.20.0.0/16 -> local"]);
  });
});

describe("waiting on EC2", () => {
  const service = useService(sharedServices);

  it("waits for a connection that is not visible yet, and for it to become active, before routing", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    world.options.describesUntilActive = 2;
    const { connectionId, event } = requestPeering(world, {
      requesterVpcId: app,
      accepterVpcId: shared,
      hiddenForDescribes: 2,
    });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(world.routeTable(sharedMain).routes.find((r) => r.destination === "10.20.0.0/16")?.state).toBe(
      "active",
    );
    const describes = world.calls.filter((c) => c.operation === "DescribeVpcPeeringConnections");
    expect(describes.filter((c) => c.error)).toHaveLength(2);
  });

  it("fails the invocation, after accepting, when the connection never becomes active in time", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    process.env.ACTIVE_WAIT_SECONDS = "0.05";
    world.options.describesUntilActive = 1_000;
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await expect(service.invoke(event)).rejects.toThrow(/did not become active within 0.05s/);
    expect(world.calls.filter((c) => c.operation === "CreateRoute")).toEqual([]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toBeUndefined();
  });

  it("completes the routes when Lambda retries the event after such a timeout", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    process.env.ACTIVE_WAIT_SECONDS = "0.05";
    world.options.describesUntilActive = 1_000;
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await expect(service.invoke(event)).rejects.toThrow(/did not become active/);

    // The connection finishes provisioning while the retry waits for it.
    world.peering(connectionId).describesUntilActive = 1;
    const retry = await service.invoke(event);

    expect(retry).toMatchObject({ record: { action: "maintain", connection: "unchanged", changed: true } });
    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(world.calls.filter((c) => c.operation === "AcceptVpcPeeringConnection")).toHaveLength(1);
  });
});
