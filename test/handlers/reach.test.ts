import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, REQUESTER, routesOf, useService } from "./harness";
import { sharedServices } from "./worlds";

// The requester's tables route only the shared subnets of the accepter; the accepter's tables only
// the requester's app subnets, and an explicit block (one outside its VPC, which is reported).
const POLICY = `
version: 1
rules:
  - name: narrow
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    routes:
      accepter: main
      requester: main
      reach:
        accepter: { subnets: { tags: { Tier: shared } } }
        requester: { subnets: { tags: { Tier: app } } }
  - name: blocks
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.24.0.0/14", "fd00:16::/32"], regions: ["eu-west-1"] }
    routes:
      accepter: main
      requester: main
      reach:
        requester: { cidrs: ["10.24.8.0/22", "10.30.0.0/16"] }
`;

const peeringRoutes = (lines: string[]) => lines.filter((line) => line.includes("pcx-")).sort();

describe("routes only to the peer's tagged subnets", () => {
  const service = useService(
    (world) => {
      const ids = sharedServices(world);
      const sharedSubnet = world.addSubnet({
        vpcId: ids.shared,
        cidr: "10.0.1.0/24",
        tags: { Tier: "shared" },
      });
      world.addSubnet({ vpcId: ids.shared, cidr: "10.0.2.0/24", tags: { Tier: "private" } });
      const appSubnet = world.addSubnet({ vpcId: ids.app, cidr: "10.20.8.0/22", tags: { Tier: "app" } });
      world.addSubnet({ vpcId: ids.app, cidr: "10.20.12.0/22", tags: { Tier: "db" } });
      return { ...ids, sharedSubnet, appSubnet };
    },
    { policy: POLICY },
  );

  it("routes a request on both sides to the tagged subnets only", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await service.invoke(event);

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(peeringRoutes(routesOf(world, sharedMain))).toEqual([`10.20.8.0/22 -> ${connectionId}`]);
    expect(peeringRoutes(routesOf(world, appMain))).toEqual([`10.0.1.0/24 -> ${connectionId}`]);
    const reads = world.calls.filter((c) => c.operation === "DescribeSubnets");
    expect(reads.map((c) => c.account).sort()).toEqual([ACCEPTER, REQUESTER]);
  });

  it("follows a subnet added, re-tagged and removed, at each reconciler pass", async () => {
    const world = service.world();
    const { shared, app, sharedMain, appMain, sharedSubnet } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(event);
    const toPeer = (table: string) => peeringRoutes(routesOf(world, table));

    const added = world.addSubnet({ vpcId: shared, cidr: "10.0.3.0/24", tags: { Tier: "shared" } });
    await service.run("reconcile");
    expect(toPeer(appMain)).toEqual([`10.0.1.0/24 -> ${connectionId}`, `10.0.3.0/24 -> ${connectionId}`]);

    // The accepter's network team re-tags a subnet.
    world.subnet(sharedSubnet).tags = { Tier: "private" };
    const summary = (await service.run("reconcile")) as ReconcileSummary;
    expect(toPeer(appMain)).toEqual([`10.0.3.0/24 -> ${connectionId}`]);
    expect(summary.actions).toEqual({ maintain: 1 });

    world.removeSubnet(added);
    await service.run("reconcile");
    expect(toPeer(appMain)).toEqual([]);
    // The accepter's own table still routes the requester's app subnet.
    expect(toPeer(sharedMain)).toEqual([`10.20.8.0/22 -> ${connectionId}`]);
  });
});

describe("routes to explicit blocks of the peer", () => {
  const service = useService(sharedServices, { policy: POLICY });

  it("routes the blocks inside the peer VPC, and reports the one outside without routing it", async () => {
    const world = service.world();
    const { shared, appEu, sharedMain } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });

    const result = (await service.invoke(event)) as {
      kind: string;
      record: { findings: string[]; reasons: string[] };
    };

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(peeringRoutes(routesOf(world, sharedMain))).toEqual([`10.24.8.0/22 -> ${connectionId}`]);
    expect(result.record.findings).toEqual(["reach-outside-vpc"]);
    expect(result.record.reasons).toContain(
      "requester block 10.30.0.0/16 is not inside 10.24.0.0/16, 10.25.0.0/16, fd00:16:24::/48: not routed",
    );
    // No rule routes subnets here but 'narrow': the subnets are read all the same (one call a side).
    expect(world.calls.filter((c) => c.operation === "DescribeSubnets")).toHaveLength(2);
  });
});
