import { describe, expect, it } from "vitest";
import type { Route } from "../../shared/facts";
import type { RouteTableSelector } from "../../shared/policy/schema";
import { describePlannedRoute, planSideRoutes } from "../../shared/routes/plan-routes";
import { findOwnRoute, isConflictingRoute } from "../../shared/routes/route-conflict";
import { selectRouteTables } from "../../shared/routes/select-route-tables";
import { CONNECTION_ID, named, OTHER_PCX, route, table } from "../helpers/facts";

describe("selectRouteTables", () => {
  const tables = [
    table("rtb-main", [], { main: true, tags: { Name: "main" } }),
    table("rtb-app", [], { tags: { peering: "partners", tier: "app" } }),
    table("rtb-data", [], { tags: { peering: "partners" } }),
    table("rtb-other", [], { tags: { peering: "other", tier: "app" } }),
    table("rtb-empty-tag", [], { tags: { peering: "" } }),
  ];

  it.each(
    named<{ name: string; selector: RouteTableSelector; expected: string[] }>([
      {
        name: "all",
        selector: "all",
        expected: ["rtb-main", "rtb-app", "rtb-data", "rtb-other", "rtb-empty-tag"],
      },
      { name: "main", selector: "main", expected: ["rtb-main"] },
      { name: "none", selector: "none", expected: [] },
      { name: "one tag", selector: { tags: { peering: "partners" } }, expected: ["rtb-app", "rtb-data"] },
      {
        name: "every tag must match",
        selector: { tags: { peering: "partners", tier: "app" } },
        expected: ["rtb-app"],
      },
      { name: "tag value is compared exactly", selector: { tags: { peering: "Partners" } }, expected: [] },
      {
        name: "empty tag value matches only an empty value",
        selector: { tags: { peering: "" } },
        expected: ["rtb-empty-tag"],
      },
      { name: "tag key absent everywhere", selector: { tags: { owner: "netops" } }, expected: [] },
    ]),
  )("%s", (_, { selector, expected }) => {
    expect(selectRouteTables(tables, selector).map((t) => t.id)).toEqual(expected);
  });

  it("main selects nothing when no table is main", () => {
    expect(selectRouteTables([table("rtb-a"), table("rtb-b")], "main")).toEqual([]);
  });
});

describe("isConflictingRoute", () => {
  it.each(
    named<{ name: string; existing: Route; destination: string; conflict: boolean }>(
      [
        // IPv4
        {
          name: "same prefix to another pcx",
          existing: route("10.20.0.0/16", OTHER_PCX),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "same prefix to a transit gateway",
          existing: route("10.20.0.0/16", "tgw-0a"),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "more specific to a NAT gateway",
          existing: route("10.20.5.0/24", "nat-0a"),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "more specific to an ENI",
          existing: route("10.20.5.7/32", "eni-0a"),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "blackhole to a deleted pcx",
          existing: route("10.20.0.0/16", OTHER_PCX, "blackhole"),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "broader default route to an IGW",
          existing: route("0.0.0.0/0", "igw-0a"),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "broader default route to a NAT",
          existing: route("0.0.0.0/0", "nat-0a"),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "broader route to a transit gateway",
          existing: route("10.0.0.0/8", "tgw-0a"),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "broader route to another pcx",
          existing: route("10.0.0.0/8", OTHER_PCX),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "default route to another pcx",
          existing: route("0.0.0.0/0", OTHER_PCX),
          destination: "10.20.0.0/16",
          conflict: true,
        },
        {
          name: "same prefix to this connection",
          existing: route("10.20.0.0/16", CONNECTION_ID),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "more specific to this connection",
          existing: route("10.20.5.0/24", CONNECTION_ID),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "broader to this connection",
          existing: route("10.0.0.0/8", CONNECTION_ID),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "disjoint to another pcx",
          existing: route("10.30.0.0/16", OTHER_PCX),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "the table's own local route",
          existing: route("10.0.0.0/16", "local"),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        // across families
        {
          name: "IPv6 default to IGW vs IPv4",
          existing: route("::/0", "igw-0a"),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "IPv6 route to another pcx vs IPv4",
          existing: route("fd00::/8", OTHER_PCX),
          destination: "10.20.0.0/16",
          conflict: false,
        },
        {
          name: "IPv4 default to another pcx vs IPv6",
          existing: route("0.0.0.0/0", OTHER_PCX),
          destination: "fd00:16::/48",
          conflict: false,
        },
        // IPv6
        {
          name: "IPv6 same prefix, other spelling, to another pcx",
          existing: route("fd00:0016:0000::/48", OTHER_PCX),
          destination: "fd00:16::/48",
          conflict: true,
        },
        {
          name: "IPv6 more specific to an ENI",
          existing: route("fd00:16:0:1::/64", "eni-0a"),
          destination: "fd00:16::/48",
          conflict: true,
        },
        {
          name: "IPv6 default to an egress-only IGW",
          existing: route("::/0", "eigw-0a"),
          destination: "fd00:16::/48",
          conflict: false,
        },
        {
          name: "IPv6 broader to another pcx",
          existing: route("fd00::/8", OTHER_PCX),
          destination: "fd00:16::/48",
          conflict: true,
        },
        {
          name: "IPv6 to this connection",
          existing: route("fd00:16::/48", CONNECTION_ID),
          destination: "fd00:16::/48",
          conflict: false,
        },
        {
          name: "IPv6 disjoint",
          existing: route("fd00:17::/48", OTHER_PCX),
          destination: "fd00:16::/48",
          conflict: false,
        },
      ],
      (r) => `${r.name} → ${r.conflict}`,
    ),
  )("%s", (_, { existing, destination, conflict }) => {
    expect(isConflictingRoute(existing, destination, CONNECTION_ID)).toBe(conflict);
  });
});

describe("findOwnRoute", () => {
  it.each(
    named([
      { name: "same block to this connection", routes: [route("10.20.0.0/16", CONNECTION_ID)], found: true },
      {
        name: "IPv6 in another spelling",
        routes: [route("fd00:0016::/48", CONNECTION_ID)],
        destination: "fd00:16::/48",
        found: true,
      },
      { name: "same block to another pcx", routes: [route("10.20.0.0/16", OTHER_PCX)], found: false },
      {
        name: "narrower block to this connection",
        routes: [route("10.20.0.0/24", CONNECTION_ID)],
        found: false,
      },
      { name: "empty table", routes: [], found: false },
    ]),
  )("%s", (_, { routes, destination, found }) => {
    const own = findOwnRoute(routes, destination ?? "10.20.0.0/16", CONNECTION_ID);
    expect(own).toBe(found ? routes[0] : undefined);
  });
});

describe("planSideRoutes", () => {
  const plan = (routes: Route[], destinations = ["10.20.0.0/16"]) =>
    planSideRoutes({
      side: "accepter",
      account: "111111111111",
      region: "us-east-1",
      tables: [table("rtb-1", [route("10.0.0.0/16", "local"), ...routes])],
      selector: "all",
      destinations,
      connectionId: CONNECTION_ID,
    });

  it.each(
    named<{ name: string; routes: Route[]; destination: string; status: string; conflictsWith?: Route }>([
      {
        name: "nothing there: create",
        routes: [route("0.0.0.0/0", "igw-0a")],
        destination: "10.20.0.0/16",
        status: "create",
      },
      {
        name: "own route: present",
        routes: [route("10.20.0.0/16", CONNECTION_ID)],
        destination: "10.20.0.0/16",
        status: "present",
      },
      {
        name: "own IPv6 route, other spelling: present",
        routes: [route("fd00:0016:0000::/48", CONNECTION_ID)],
        destination: "fd00:16::/48",
        status: "present",
      },
      {
        name: "own narrower route: the block is still created",
        routes: [route("10.20.0.0/24", CONNECTION_ID)],
        destination: "10.20.0.0/16",
        status: "create",
      },
      {
        name: "same block to another pcx: conflict",
        routes: [route("0.0.0.0/0", "igw-0a"), route("10.20.0.0/16", OTHER_PCX)],
        destination: "10.20.0.0/16",
        status: "conflict",
        conflictsWith: route("10.20.0.0/16", OTHER_PCX),
      },
      {
        name: "more specific to a NAT: conflict",
        routes: [route("10.20.9.0/24", "nat-0a")],
        destination: "10.20.0.0/16",
        status: "conflict",
        conflictsWith: route("10.20.9.0/24", "nat-0a"),
      },
      {
        name: "broader to another pcx: conflict",
        routes: [route("10.0.0.0/8", OTHER_PCX)],
        destination: "10.20.0.0/16",
        status: "conflict",
        conflictsWith: route("10.0.0.0/8", OTHER_PCX),
      },
    ]),
  )("%s", (_, { routes, destination, status, conflictsWith }) => {
    const planned = plan(routes, [destination]);
    expect(planned).toEqual([
      {
        side: "accepter",
        account: "111111111111",
        region: "us-east-1",
        routeTableId: "rtb-1",
        destination,
        status,
        ...(conflictsWith && { conflictsWith }),
      },
    ]);
  });

  it("plans every destination in every selected table, each with its own status", () => {
    const planned = planSideRoutes({
      side: "requester",
      account: "222222222222",
      region: "eu-west-1",
      tables: [
        table("rtb-main", [route("10.0.0.0/16", CONNECTION_ID)], { main: true }),
        table("rtb-app", [route("fd00:aa::/56", OTHER_PCX)], { tags: { tier: "app" } }),
        table("rtb-skip", [], { tags: { tier: "db" } }),
      ],
      selector: "all",
      destinations: ["10.0.0.0/16", "fd00:aa::/56"],
      connectionId: CONNECTION_ID,
    });
    expect(
      planned.map((p) => [p.side, p.account, p.region, p.routeTableId, p.destination, p.status]),
    ).toEqual([
      ["requester", "222222222222", "eu-west-1", "rtb-main", "10.0.0.0/16", "present"],
      ["requester", "222222222222", "eu-west-1", "rtb-main", "fd00:aa::/56", "create"],
      ["requester", "222222222222", "eu-west-1", "rtb-app", "10.0.0.0/16", "create"],
      ["requester", "222222222222", "eu-west-1", "rtb-app", "fd00:aa::/56", "conflict"],
      ["requester", "222222222222", "eu-west-1", "rtb-skip", "10.0.0.0/16", "create"],
      ["requester", "222222222222", "eu-west-1", "rtb-skip", "fd00:aa::/56", "create"],
    ]);
  });

  it.each(
    named<{ name: string; selector: RouteTableSelector; tables: string[] }>(
      [
        { name: "main", selector: "main", tables: ["rtb-main"] },
        { name: "tags", selector: { tags: { tier: "app" } }, tables: ["rtb-app"] },
        { name: "none", selector: "none", tables: [] },
      ],
      (r) => `only tables the selector picks are planned: ${r.name}`,
    ),
  )("%s", (_, { selector, tables }) => {
    const planned = planSideRoutes({
      side: "accepter",
      account: "111111111111",
      region: "us-east-1",
      tables: [table("rtb-main", [], { main: true }), table("rtb-app", [], { tags: { tier: "app" } })],
      selector,
      destinations: ["10.20.0.0/16"],
      connectionId: CONNECTION_ID,
    });
    expect(planned.map((p) => p.routeTableId)).toEqual(tables);
  });

  it.each(
    named<{ name: string; routes: Route[]; description: string }>([
      {
        name: "a route to create",
        routes: [],
        description: "accepter rtb-1 (111111111111 us-east-1): 10.20.0.0/16 create",
      },
      {
        name: "a route already present",
        routes: [route("10.20.0.0/16", CONNECTION_ID)],
        description: "accepter rtb-1 (111111111111 us-east-1): 10.20.0.0/16 present",
      },
      {
        name: "a conflict, with the route in the way",
        routes: [route("10.20.0.0/16", OTHER_PCX)],
        description: `accepter rtb-1 (111111111111 us-east-1): 10.20.0.0/16 conflicts with existing route 10.20.0.0/16 -> ${OTHER_PCX}`,
      },
    ]),
  )("describes %s", (_, { routes, description }) => {
    expect(plan(routes).map(describePlannedRoute)).toEqual([description]);
  });
});
