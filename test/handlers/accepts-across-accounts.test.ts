import { describe, expect, it } from "vitest";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, PARTNER, REQUESTER, routesOf, useService } from "./harness";
import { mainTable } from "./worlds";

/**
 * One sweep carries out every pending request of the pass together, whatever its accepter: each must
 * be accepted (and awaited) in its own accepter account and region, the only place EC2 lets it be.
 * Two accounts, and one of them in two regions.
 */
const POLICY = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}", "${PARTNER}"], regions: ["us-east-1", "eu-west-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`;

const ACCEPTERS = [
  { account: ACCEPTER, region: "us-east-1", cidr: "10.0.0.0/16" },
  { account: ACCEPTER, region: "eu-west-1", cidr: "10.1.0.0/16" },
  { account: PARTNER, region: "us-east-1", cidr: "10.2.0.0/16" },
] as const;

describe("a sweep with pending requests to accepters in several account-regions", () => {
  const service = useService(
    (world) =>
      // Two requests per accepter, so that each account-region has a group of accepts of its own.
      ACCEPTERS.flatMap((accepter, i) => {
        const accepterVpc = world.addVpc({
          ownerId: accepter.account,
          region: accepter.region,
          cidrs: [accepter.cidr],
        });
        return [0, 1].map((j) => {
          const cidr = `10.${16 + 2 * i + j}.0.0/16`;
          const vpc = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: [cidr] });
          const connectionId = world.addPeering({ requesterVpcId: vpc, accepterVpcId: accepterVpc });
          return {
            account: accepter.account,
            region: accepter.region,
            accepterCidr: accepter.cidr,
            connectionId,
            cidr,
            accepterMain: mainTable(world, accepterVpc),
            requesterMain: mainTable(world, vpc),
          };
        });
      }),
    { policy: POLICY },
  );

  it("accepts each in its own accepter account and region, and routes both sides", async () => {
    const world = service.world();
    const requests = service.ids();

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary).toMatchObject({ actions: { accept: requests.length }, failed: 0, errors: [] });
    for (const r of requests) {
      expect(world.peering(r.connectionId).status.code).toBe("active");
      expect(routesOf(world, r.accepterMain)).toContain(`${r.cidr} -> ${r.connectionId}`);
      expect(routesOf(world, r.requesterMain)).toContain(`${r.accepterCidr} -> ${r.connectionId}`);
      const accepts = world.calls.filter(
        (c) =>
          c.operation === "AcceptVpcPeeringConnection" &&
          (c.input as { VpcPeeringConnectionId: string }).VpcPeeringConnectionId === r.connectionId,
      );
      expect(accepts.map((c) => ({ account: c.account, region: c.region, error: c.error }))).toEqual([
        { account: r.account, region: r.region, error: undefined },
      ]);
    }
  });
});
