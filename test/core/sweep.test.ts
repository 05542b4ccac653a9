import { describe, expect, it } from "vitest";
import type { Outcome } from "../../shared/aws/carry-out/jobs";
import { chunks, groupBy } from "../../shared/collections";
import type { PeeringConnection, RouteTable } from "../../shared/facts";
import { assignConnections, type Listing } from "../../shared/workflow/sweep/assign";
import {
  type BulkRead,
  factsFromSnapshot,
  recordChanges,
  type SweepSnapshot,
} from "../../shared/workflow/sweep/snapshot";
import { policy, route, table } from "../helpers/facts";

const READ_AT = new Date("2026-12-01T10:00:00Z");

const HUB = { account: "111111111111", region: "us-east-1" };
const HUB_EU = { account: "111111111111", region: "eu-west-1" };
const SPOKE = { account: "222222222222", region: "us-east-1" };
const OUTSIDE = { account: "999999999999", region: "us-east-1" };

// The hub accepts in us-east-1 and eu-west-1 but only us-east-1 is swept; the spoke accepts anywhere.
const POLICY = policy([
  {
    name: "hub",
    accepter: { accounts: [HUB.account] },
    requester: { accounts: [SPOKE.account], cidrs: ["10.0.0.0/8"] },
  },
  {
    name: "spoke",
    accepter: { accounts: [SPOKE.account] },
    requester: { accounts: [HUB.account], cidrs: ["10.0.0.0/8"] },
  },
]);
const SWEPT = [HUB, SPOKE];

function connection(
  id: string,
  accepter: { account: string; region: string },
  requester: { account: string; region: string },
  status = "active",
): PeeringConnection {
  return {
    id,
    status,
    accepter: { ...accepter, vpcId: `vpc-a-${id}`, cidrs: ["10.0.0.0/16"] },
    requester: { ...requester, vpcId: `vpc-r-${id}`, cidrs: ["10.1.0.0/16"] },
    tags: {},
    dnsResolution: { requester: false, accepter: false },
  };
}

describe("assignConnections: each connection decided once, on the accepter's view", () => {
  const cases: {
    name: string;
    listings: Listing[];
    listed?: string[];
    reread?: string[];
    skipped?: string[];
  }[] = [
    {
      name: "listed by both swept sides: the accepter's listing decides, whichever comes first",
      listings: [
        { target: SPOKE, connections: [connection("pcx-1", HUB, SPOKE)] },
        { target: HUB, connections: [connection("pcx-1", HUB, SPOKE)] },
      ],
      listed: ["pcx-1 at 111111111111/us-east-1"],
    },
    {
      name: "accepter named but not swept (another region): re-read one by one where the requester saw it",
      listings: [{ target: SPOKE, connections: [connection("pcx-2", HUB_EU, SPOKE)] }],
      reread: ["pcx-2 at 222222222222/us-east-1"],
    },
    {
      name: "accepter swept but its listing failed: left to that account-region's reported error",
      listings: [{ target: SPOKE, connections: [connection("pcx-3", HUB, SPOKE)] }],
    },
    {
      name: "a pending request to an accepter outside the policy: skipped, as an event would be",
      listings: [{ target: SPOKE, connections: [connection("pcx-4", OUTSIDE, SPOKE, "pending-acceptance")] }],
      skipped: ["pcx-4 at 222222222222/us-east-1"],
    },
    {
      name: "an active connection to an accepter outside the policy: decided on the requester's view",
      listings: [{ target: SPOKE, connections: [connection("pcx-5", OUTSIDE, SPOKE)] }],
      listed: ["pcx-5 at 222222222222/us-east-1"],
    },
    {
      name: "listed twice by the same listing (pages): decided once",
      listings: [
        { target: HUB, connections: [connection("pcx-6", HUB, SPOKE), connection("pcx-6", HUB, SPOKE)] },
      ],
      listed: ["pcx-6 at 111111111111/us-east-1"],
    },
  ];

  it.each(cases)("$name", ({ listings, listed = [], reread = [], skipped = [] }) => {
    const assignment = assignConnections(POLICY, SWEPT, listings);
    const at = (target: { account: string; region: string }) => `${target.account}/${target.region}`;
    expect(assignment.listed.map(({ connection: c, target }) => `${c.id} at ${at(target)}`)).toEqual(listed);
    expect(assignment.reread.map(({ ref, target }) => `${ref.connectionId} at ${at(target)}`)).toEqual(
      reread,
    );
    expect(assignment.skipped.map(({ ref, target }) => `${ref.connectionId} at ${at(target)}`)).toEqual(
      skipped,
    );
  });

  it("says why a skipped request is left alone", () => {
    const listings = [
      { target: SPOKE, connections: [connection("pcx-4", OUTSIDE, SPOKE, "pending-acceptance")] },
    ];
    expect(assignConnections(POLICY, SWEPT, listings).skipped[0]?.reason).toBe(
      "the connection's accepter is 999999999999 us-east-1, which the policy does not name",
    );
  });
});

describe("factsFromSnapshot and recordChanges", () => {
  const pcx = connection("pcx-7", HUB, SPOKE);
  const hubTable = () => table("rtb-hub", [route("10.0.0.0/16", "local"), route("10.9.0.0/16", "pcx-dead")]);
  const read = <T>(value: T): BulkRead<T> => ({ kind: "read", value });
  const snapshot = (
    overrides: Partial<Record<"hubTables" | "spokeTables" | "cidrs", BulkRead<never>>> = {},
  ) =>
    ({
      tables: new Map<string, BulkRead<Map<string, RouteTable[]>>>([
        ["111111111111/us-east-1", overrides.hubTables ?? read(new Map([["vpc-a-pcx-7", [hubTable()]]]))],
        ["222222222222/us-east-1", overrides.spokeTables ?? read(new Map())],
      ]),
      accepterCidrs: new Map<string, BulkRead<Map<string, string[]>>>([
        [
          "111111111111/us-east-1",
          overrides.cidrs ?? read(new Map([["vpc-a-pcx-7", ["10.0.0.0/16", "10.2.0.0/16"]]])),
        ],
      ]),
    }) satisfies SweepSnapshot;

  it("gives each side its VPC's tables and the accepter CIDRs DescribeVpcs reported", () => {
    const result = factsFromSnapshot(snapshot(), pcx, READ_AT);
    expect("facts" in result && result.facts).toMatchObject({
      accepterCidrs: ["10.0.0.0/16", "10.2.0.0/16"],
      accepterRouteTables: { readable: true, tables: [{ id: "rtb-hub" }] },
      requesterRouteTables: { readable: true, tables: [] },
    });
  });

  it("falls back to the connection's accepter CIDRs, and says why a side is unreadable", () => {
    const unreadable = { kind: "unreadable", reason: "no role in 222222222222" } as const;
    const result = factsFromSnapshot(snapshot({ spokeTables: unreadable, cidrs: unreadable }), pcx, READ_AT);
    expect("facts" in result && result.facts).toMatchObject({
      accepterCidrs: ["10.0.0.0/16"],
      requesterRouteTables: { readable: false, reason: "no role in 222222222222" },
    });
  });

  it.each([
    ["the requester side's tables", { spokeTables: { kind: "failed", error: new Error("throttled") } }],
    ["the accepter VPC's CIDRs", { cidrs: { kind: "failed", error: new Error("throttled") } }],
  ] as const)("is an error when %s failed for now: nothing is decided on half the facts", (_, overrides) => {
    expect(factsFromSnapshot(snapshot(overrides as never), pcx, READ_AT)).toEqual({
      error: new Error("throttled"),
    });
  });

  it("is an error when the sweep never read a side's account-region", () => {
    const elsewhere = connection("pcx-8", HUB, { account: "333333333333", region: "us-east-1" });
    const result = factsFromSnapshot(snapshot(), elsewhere, READ_AT);
    expect("error" in result && result.error.message).toMatch(/did not read 333333333333\/us-east-1/);
  });

  it("records created and removed routes, so a later phase decides on them", () => {
    const state = snapshot();
    const where = { side: "accepter" as const, ...HUB, routeTableId: "rtb-hub" };
    const outcome: Outcome = {
      connection: "accepted",
      routes: [
        { route: { ...where, destination: "10.1.0.0/16", status: "create" } as never, result: "created" },
        {
          route: { ...where, destination: "10.3.0.0/16", status: "create" } as never,
          result: "failed",
          error: "x",
        },
      ],
      removed: [{ route: { ...where, destination: "10.9.0.0/16" }, result: "removed" }],
      dns: [],
      tagged: true,
    };
    recordChanges(state, "pcx-7", outcome);
    const result = factsFromSnapshot(state, pcx, READ_AT);
    if (!("facts" in result) || !result.facts.accepterRouteTables.readable)
      throw new Error("no readable facts");
    expect(result.facts.accepterRouteTables.tables[0]?.routes).toEqual([
      route("10.0.0.0/16", "local"),
      route("10.1.0.0/16", "pcx-7", "active"),
    ]);
  });
});

describe("collections", () => {
  it.each([
    [[1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    [[1, 2], 2, [[1, 2]]],
    [[], 3, []],
  ])("chunks(%j, %i)", (items, size, expected) => {
    expect(chunks(items, size)).toEqual(expected);
  });

  it("groupBy keeps first-seen order of groups and items", () => {
    expect([...groupBy(["b1", "a1", "b2"], (s) => s.charAt(0))]).toEqual([
      ["b", ["b1", "b2"]],
      ["a", ["a1"]],
    ]);
  });
});
