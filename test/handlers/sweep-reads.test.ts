import { describe, expect, it } from "vitest";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { REQUESTER, routesOf, useService } from "./harness";
import { BACKLOG_POLICY, backlog, mainTable } from "./worlds";

/** More route tables than one DescribeRouteTables page (100) holds. */
const UNRELATED_TABLES = 120;

/**
 * The requester account-region is not swept: the sweep reads there only the connected VPC's route
 * tables. A large requester account (a shared landing zone) must not cost the sweep, and that
 * account's request bucket, a paginated read of every table it has.
 */
describe("a sweep reading an account-region it does not sweep", () => {
  const service = useService(
    (world) => {
      const built = backlog(world, { approved: 1 });
      const unrelated = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
      for (let i = 1; i < UNRELATED_TABLES; i++) world.addRouteTable({ vpcId: unrelated });
      return built;
    },
    { policy: BACKLOG_POLICY },
  );

  it("reads only the connected VPCs' route tables there, in one call", async () => {
    const world = service.world();
    const [request] = service.ids().requests;
    if (!request) throw new Error("no request");

    const summary = (await service.run("reconcile")) as ReconcileSummary;

    expect(summary.actions).toEqual({ accept: 1 });
    expect(
      world.calls.filter((c) => c.operation === "DescribeRouteTables" && c.account === REQUESTER),
    ).toHaveLength(1);
    // The requester side was decided on its own tables: its route to the accepter was made.
    expect(routesOf(world, mainTable(world, request.vpc))).toContain(
      `10.0.0.0/16 -> ${request.connectionId}`,
    );
  });
});
