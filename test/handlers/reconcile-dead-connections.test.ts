import { describe, expect, it } from "vitest";
import type { PeeringStatusCode } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, PARTNER, REQUESTER, useService } from "./harness";
import { addPcxRoute, pcxRoutes } from "./sweep-worlds";
import { sharedServices } from "./worlds";

/**
 * The sweep clears what every kind of dead connection left behind, and an account-region whose route
 * tables cannot be read is named in the summary.
 */
describe("the reconciler and dead connections", () => {
  const service = useService(sharedServices);

  it.each(["rejected", "expired", "failed", "deleted"] satisfies PeeringStatusCode[])(
    "removes the routes left to a %s connection",
    async (status) => {
      const world = service.world();
      const { shared, app, sharedMain, appMain } = service.ids();
      const dead = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
      addPcxRoute(world, sharedMain, "10.20.0.0/16", dead);
      addPcxRoute(world, appMain, "10.0.0.0/16", dead);
      world.setPeeringStatus(dead, status);

      const summary = (await service.run("reconcile")) as ReconcileSummary;

      expect(pcxRoutes(world, sharedMain)).toEqual([]);
      expect(pcxRoutes(world, appMain)).toEqual([]);
      expect(summary).toMatchObject({ connections: 1, actions: { cleanup: 1 }, changed: 1, failed: 0 });
    },
  );
});

describe("the reconciler when an account-region's route tables cannot be read", () => {
  const service = useService(sharedServices);

  it("names the account-region in the summary and leaves its routes alone", async () => {
    const world = service.world();
    const { shared, app, sharedMain } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.0.0/16", connectionId);
    world.failNext({
      operation: "DescribeRouteTables",
      account: ACCEPTER,
      region: "us-east-1",
      error: "RequestLimitExceeded",
    });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary.errors).toEqual([
      {
        account: ACCEPTER,
        region: "us-east-1",
        error: expect.stringMatching(/DescribeRouteTables.*RequestLimitExceeded/),
      },
    ]);
    expect(pcxRoutes(world, sharedMain)).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
  });
});

describe("the reconciler and a request whose accepter region is not swept", () => {
  const service = useService(sharedServices, {
    env: { SWEEP_REGIONS: "us-east-1" },
    policy: `
version: 1
rules:
  - name: ours-anywhere
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
  - name: theirs
    accepter: { accounts: ["${REQUESTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
`,
  });

  it("decides it from the accepter's side, and counts it for the account-region that listed it", async () => {
    const world = service.world();
    const { app } = service.ids();
    const hubEu = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.2.0.0/16"] });
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: hubEu });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(summary).toMatchObject({ targets: 2, connections: 1, actions: { accept: 1 }, failed: 0 });
    expect(summary.perTarget.find((t) => t.account === REQUESTER)).toMatchObject({
      region: "us-east-1",
      connections: 1,
      actions: { accept: 1 },
    });
  });
});
