import { describe, expect, it } from "vitest";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, routesOf, useService } from "./harness";
import { BACKLOG_POLICY, backlog } from "./worlds";

/**
 * A backlog in one account-region: the shared-services VPC has 25 pending requests from 25 VPCs of
 * the requester account, and 3 of them come from CIDRs the policy does not allow. The sweep must
 * decide them with shared calls where the API allows, and one failure must stop only its connection.
 */
const APPROVED = 22;
const OUTSIDE = 3;

describe("a reconciler sweep decides a backlog in bulk", () => {
  const service = useService((world) => backlog(world, { approved: APPROVED, outside: OUTSIDE }), {
    policy: BACKLOG_POLICY,
  });
  const calls = (operation: string) => service.world().calls.filter((c) => c.operation === operation);

  it("reads each account-region once, tags many connections per call, and awaits accepts in chunks", async () => {
    const world = service.world();
    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary.actions).toEqual({ accept: APPROVED, reject: OUTSIDE });
    expect(summary.failed).toBe(0);
    // One route-table read per account-region (the accepter's and the requester's), one DescribeVpcs.
    expect(calls("DescribeRouteTables")).toHaveLength(2);
    expect(calls("DescribeVpcs")).toHaveLength(1);
    // One listing (only the accepter's account-region is swept), then one describe per chunk of 10 accepted.
    expect(calls("DescribeVpcPeeringConnections")).toHaveLength(1 + Math.ceil(APPROVED / 10));
    // One CreateTags for the accepted, one for the rejected: the same tags go on many connections.
    expect(
      calls("CreateTags")
        .map((c) => (c.input as { Resources: string[] }).Resources.length)
        .sort((a, b) => a - b),
    ).toEqual([OUTSIDE, APPROVED]);
    for (const { connectionId, cidr } of service.ids().requests.slice(0, APPROVED)) {
      expect(world.peering(connectionId).status.code).toBe("active");
      expect(routesOf(world, service.ids().sharedMain)).toContain(`${cidr} -> ${connectionId}`);
    }
    for (const { connectionId } of service.ids().requests.slice(APPROVED)) {
      expect(world.peering(connectionId).status.code).toBe("rejected");
    }
  });

  it("lets one failed accept stop only its own connection, which the next pass completes", async () => {
    const world = service.world();
    const [first, second] = service.ids().requests;
    world.failNext({
      operation: "AcceptVpcPeeringConnection",
      input: { VpcPeeringConnectionId: second?.connectionId },
      error: "InternalError",
    });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary.failed).toBe(1);
    expect(world.peering(first?.connectionId ?? "").status.code).toBe("active");
    expect(world.peering(second?.connectionId ?? "").status.code).toBe("pending-acceptance");
    expect(world.peering(second?.connectionId ?? "").tagsByAccount[ACCEPTER] ?? {}).toEqual({});

    const again = (await service.run("reconcile")) as ReconcileSummary;
    expect(again.actions).toMatchObject({ accept: 1, maintain: APPROVED - 1 });
    expect(world.peering(second?.connectionId ?? "").status.code).toBe("active");
  });

  it("lets a failed CreateTags fail only the decisions it carried", async () => {
    const world = service.world();
    world.failNext({ operation: "CreateTags", error: "InternalError" });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    // The rejections are tagged first, in one call: that call failed, so none was rejected.
    expect(summary.failed).toBe(OUTSIDE);
    for (const { connectionId } of service.ids().requests.slice(APPROVED)) {
      expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    }
    for (const { connectionId } of service.ids().requests.slice(0, APPROVED)) {
      expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.["peering-autopilot:decision"]).toBe(
        "accept",
      );
    }
  });

  it("names an account-region whose route tables it may list connections in but not read", async () => {
    const world = service.world();
    world.failNext({
      operation: "DescribeRouteTables",
      account: ACCEPTER,
      error: "UnauthorizedOperation",
      times: Number.POSITIVE_INFINITY,
    });

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary.errors).toEqual([
      {
        account: ACCEPTER,
        region: "us-east-1",
        error: expect.stringMatching(
          /cannot read route tables in 111111111111 us-east-1: UnauthorizedOperation/,
        ),
      },
    ]);
  });
});
