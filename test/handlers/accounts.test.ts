import { describe, expect, it, vi } from "vitest";
import { requestPeering } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, routesOf, SHARED_VPC, useService } from "./harness";
import { sharedServices } from "./worlds";

describe("the requester's role cannot be assumed", () => {
  const service = useService((world) => {
    const ids = sharedServices(world);
    world.addAccount(REQUESTER, { role: false });
    return ids;
  });

  it("completes the accepter side and reports the requester side as not managed", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toEqual(["10.20.0.0/16 -> local"]);
    expect(result).toMatchObject({
      record: { action: "accept", unmanaged: { requester: expect.stringContaining("AccessDenied") } },
    });
  });
});

describe("the requester's role lacks a permission", () => {
  const service = useService(sharedServices);

  it("completes the accepter side and says which call the requester side refused", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    world.failNext({ operation: "DescribeRouteTables", account: REQUESTER, error: "UnauthorizedOperation" });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toEqual(["10.20.0.0/16 -> local"]);
    expect(result).toMatchObject({
      record: { unmanaged: { requester: expect.stringContaining("UnauthorizedOperation") } },
    });
  });

  it("fails the invocation, for a retry, when the requester side is throttled beyond the SDK's retries", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    world.failNext({ operation: "DescribeRouteTables", account: REQUESTER, error: "RequestLimitExceeded" });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    // The error that ends the invocation names the connection, the call, the account and the region.
    await expect(service.invoke(event)).rejects.toMatchObject({
      name: "NotDecidedError",
      message: expect.stringContaining(
        `peering connection ${connectionId}: not decided, reading its facts failed: AwsCallError: ` +
          `DescribeRouteTables in account ${REQUESTER} region us-east-1 failed: RequestLimitExceeded: `,
      ),
    });
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });
});

describe('a requester account the policy names only through "*"', () => {
  const service = useService(sharedServices, {
    policy: `
version: 1
rules:
  - name: anyone-small
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["*"], cidrs: ["172.16.0.0/12"] }
`,
  });

  it("is accepted and routed on our side, and no role is assumed into it", async () => {
    const world = service.world();
    const { shared, partner, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });

    const result = await service.invoke(event);

    expect(routesOf(world, sharedMain)).toContain(`172.20.0.0/16 -> ${connectionId}`);
    expect(world.calls.filter((c) => c.operation === "AssumeRole")).toEqual([]);
    expect(world.calls.every((c) => c.account === ACCEPTER)).toBe(true);
    expect(result).toMatchObject({
      record: {
        unmanaged: {
          requester: `account ${PARTNER} is not named in the policy, so no role is assumed into it`,
        },
      },
    });
  });
});

describe("the function runs in a central account", () => {
  const CENTRAL = "999999999999";
  const service = useService(
    (world) => {
      world.addAccount(CENTRAL);
      world.addAccount(ACCEPTER, { role: { name: "peering-autopilot-execution", externalId: "s3cret-id" } });
      return sharedServices(world);
    },
    { home: CENTRAL, env: { ASSUME_ROLE_EXTERNAL_ID: "s3cret-id" } },
  );

  it("assumes the role with the external id, once per account across invocations", async () => {
    const world = service.world();
    const { shared, app, appEu, sharedMain } = service.ids();
    const first = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const second = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });

    await service.invoke(first.event);
    await service.invoke(second.event);

    const assumed = world.calls.filter((c) => c.operation === "AssumeRole");
    expect(assumed.map((c) => (c.input as { RoleArn: string }).RoleArn).sort()).toEqual([
      `arn:aws:iam::${ACCEPTER}:role/peering-autopilot-execution`,
      `arn:aws:iam::${REQUESTER}:role/peering-autopilot-execution`,
    ]);
    expect(assumed.every((c) => (c.input as { ExternalId?: string }).ExternalId === "s3cret-id")).toBe(true);
    expect(world.calls.filter((c) => c.service === "EC2").every((c) => c.account !== CENTRAL)).toBe(true);
    expect(routesOf(world, sharedMain)).toEqual(
      expect.arrayContaining([
        `10.20.0.0/16 -> ${first.connectionId}`,
        `10.24.0.0/16 -> ${second.connectionId}`,
      ]),
    );
  });
});

describe("a same-account request", () => {
  const service = useService(
    (world) => {
      const ids = sharedServices(world);
      const sibling = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.21.0.0/16"] });
      return { ...ids, sibling };
    },
    {
      policy: `
version: 1
rules:
  - name: internal
    accepter: { accounts: ["${ACCEPTER}"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${ACCEPTER}"], cidrs: ["10.16.0.0/12"] }
`,
    },
  );

  it("is handled with the function's own credentials and routed on both VPCs", async () => {
    const world = service.world();
    const { shared, sibling, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: sibling, accepterVpcId: shared });

    await service.invoke(event);

    expect(world.calls.filter((c) => c.service === "STS")).toEqual([]);
    expect(routesOf(world, sharedMain)).toContain(`10.21.0.0/16 -> ${connectionId}`);
    const siblingMain = world.routeTablesOfVpc(sibling)[0]?.id ?? "";
    expect(routesOf(world, siblingMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
  });
});

describe("the decision record", () => {
  const service = useService(sharedServices);

  it("is logged once, as one structured record with what was seen, decided and done", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const info = vi.spyOn(service.logger(), "info");
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    const plannedRoutes = [
      expect.objectContaining({ side: "accepter", routeTableId: sharedMain, destination: "10.20.0.0/16" }),
      expect.objectContaining({ side: "accepter", routeTableId: sharedPrivate, destination: "10.20.0.0/16" }),
      expect.objectContaining({ side: "requester", routeTableId: appMain, destination: "10.0.0.0/16" }),
    ];
    const records = info.mock.calls.filter(([message]) => message === "decision");
    expect(records).toHaveLength(1);
    expect(records[0]?.[1]).toEqual({
      decision: {
        connectionId,
        action: "accept",
        mode: "enforce",
        rule: "payments-to-shared",
        reasons: [expect.stringContaining("rule 'payments-to-shared' approves")],
        findings: [],
        status: "pending-acceptance",
        accepter: { account: ACCEPTER, region: "us-east-1", vpcId: shared, cidrs: ["10.0.0.0/16"] },
        requester: { account: REQUESTER, region: "us-east-1", vpcId: app, cidrs: ["10.20.0.0/16"] },
        connection: "accepted",
        expiresAt: world.peering(connectionId).expirationTime.toISOString(),
        routes: {
          planned: plannedRoutes,
          created: plannedRoutes,
          present: [],
          conflicting: [],
          removed: [],
          failed: [],
        },
        dns: [],
        unmanaged: {},
        tagged: true,
        changed: true,
      },
    });
  });
});
