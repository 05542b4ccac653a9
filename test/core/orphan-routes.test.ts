import { describe, expect, it } from "vitest";
import type { Route } from "../../shared/facts";
import { planOrphanRemovals } from "../../shared/routes/orphan-routes";
import { named, route, table } from "../helpers/facts";

const WHERE = { account: "111111111111", region: "us-east-1" };
const GONE = "pcx-0dddddddddddddddd";
const LISTED = "pcx-0eeeeeeeeeeeeeeee";
const VISIBLE = new Set([LISTED]);

describe("planOrphanRemovals: only blackhole routes to connections no longer visible", () => {
  it.each(
    named<{ name: string; route: Route; removed: boolean }>(
      [
        {
          name: "blackhole to a connection not visible",
          route: route("10.9.0.0/16", GONE, "blackhole"),
          removed: true,
        },
        {
          name: "blackhole to a visible connection",
          route: route("10.9.0.0/16", LISTED, "blackhole"),
          removed: false,
        },
        {
          name: "active route to a connection not visible",
          route: route("10.9.0.0/16", GONE, "active"),
          removed: false,
        },
        {
          name: "route without a state to a connection not visible",
          route: route("10.9.0.0/16", GONE),
          removed: false,
        },
        {
          name: "blackhole to a deleted NAT gateway",
          route: route("10.9.0.0/16", "nat-0dead", "blackhole"),
          removed: false,
        },
        {
          name: "blackhole to a detached ENI",
          route: route("10.9.0.0/16", "eni-0dead", "blackhole"),
          removed: false,
        },
        {
          name: "blackhole to a transit gateway",
          route: route("0.0.0.0/0", "tgw-0dead", "blackhole"),
          removed: false,
        },
        { name: "the local route", route: route("10.0.0.0/16", "local", "active"), removed: false },
      ],
      (r) => `${r.name} → ${r.removed ? "removed" : "kept"}`,
    ),
  )("%s", (_, { route: r, removed }) => {
    const orphans = planOrphanRemovals(WHERE, [table("rtb-1", [r])], VISIBLE);
    expect(orphans.map((o) => `${o.routeTableId} ${o.destination} ${o.connectionId}`)).toEqual(
      removed ? [`rtb-1 ${r.destination} ${r.target}`] : [],
    );
  });

  it("names each orphan's table, account, region and connection, across tables", () => {
    const tables = [
      table("rtb-main", [
        route("10.0.0.0/16", "local", "active"),
        route("10.9.0.0/16", GONE, "blackhole"),
        route("10.8.0.0/16", LISTED, "blackhole"),
      ]),
      table("rtb-app", [
        route("fd00:9::/48", GONE, "blackhole"),
        route("10.7.0.0/16", "nat-0dead", "blackhole"),
      ]),
    ];
    expect(planOrphanRemovals(WHERE, tables, VISIBLE)).toEqual([
      {
        side: "accepter",
        ...WHERE,
        routeTableId: "rtb-main",
        destination: "10.9.0.0/16",
        connectionId: GONE,
      },
      { side: "accepter", ...WHERE, routeTableId: "rtb-app", destination: "fd00:9::/48", connectionId: GONE },
    ]);
  });
});
