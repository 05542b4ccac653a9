import { describe, expect, it } from "vitest";
import type { Outcome } from "../../shared/aws/carry-out/jobs";
import type { RemovalResult } from "../../shared/aws/carry-out/remove-routes";
import { decide } from "../../shared/decision/decide";
import type { PeeringConnection, RouteTable, SecurityGroup, Subnet } from "../../shared/facts";
import {
  type BulkRead,
  clearPlanned,
  copySnapshot,
  factsFromSnapshot,
  recordAccepted,
  recordChanges,
  recordPlanned,
  recordRemovals,
  type SweepSnapshot,
} from "../../shared/workflow/sweep/snapshot";
import { policy, route, table } from "../helpers/facts";

const READ_AT = new Date("2026-12-01T10:00:00Z");

const HUB = { account: "111111111111", region: "us-east-1" };
const SPOKE = { account: "222222222222", region: "us-east-1" };
const HUB_KEY = "111111111111/us-east-1";
const SPOKE_KEY = "222222222222/us-east-1";

const PCX: PeeringConnection = {
  id: "pcx-1",
  status: "active",
  accepter: { ...HUB, vpcId: "vpc-hub", cidrs: ["10.0.0.0/16"] },
  requester: { ...SPOKE, vpcId: "vpc-spoke", cidrs: ["10.1.0.0/16"] },
  tags: {},
  dnsResolution: { requester: false, accepter: false },
};

const read = <T>(value: T): BulkRead<T> => ({ kind: "read", value });
const unreadable = (reason: string) => ({ kind: "unreadable", reason }) as const;
const failed = (message: string) => ({ kind: "failed", error: new Error(message) }) as const;

/** The hub VPC has two tables (main first), the spoke VPC one; DescribeVpcs gave the hub VPC two CIDRs. */
function snapshot(
  overrides: {
    hubTables?: BulkRead<Map<string, RouteTable[]>>;
    spokeTables?: BulkRead<Map<string, RouteTable[]>>;
    cidrs?: BulkRead<Map<string, string[]>>;
  } = {},
): SweepSnapshot {
  return {
    tables: new Map([
      [
        HUB_KEY,
        overrides.hubTables ??
          read(
            new Map([
              [
                "vpc-hub",
                [
                  table("rtb-hub-main", [route("10.0.0.0/16", "local")]),
                  table("rtb-hub-apps", [route("10.0.0.0/16", "local"), route("10.9.0.0/16", "pcx-old")]),
                ],
              ],
            ]),
          ),
      ],
      [SPOKE_KEY, overrides.spokeTables ?? read(new Map([["vpc-spoke", [table("rtb-spoke")]]]))],
    ]),
    accepterCidrs: new Map([
      [HUB_KEY, overrides.cidrs ?? read(new Map([["vpc-hub", ["10.0.0.0/16", "10.2.0.0/16"]]]))],
    ]),
  };
}

function routesIn(state: SweepSnapshot, key: string, routeTableId: string) {
  const tables = state.tables.get(key);
  if (tables?.kind !== "read") throw new Error(`${key} was not read`);
  return [...tables.value.values()].flat().find((t) => t.id === routeTableId)?.routes;
}

const at = (
  where: { account: string; region: string },
  routeTableId: string,
  side: "accepter" | "requester" = "accepter",
) => ({
  side,
  ...where,
  routeTableId,
});

function outcome(
  routes: { where: ReturnType<typeof at>; destination: string; result: "created" | "present" | "failed" }[],
  removed: RemovalResult[] = [],
): Outcome {
  return {
    connection: "unchanged",
    routes: routes.map(({ where, destination, result }) =>
      result === "failed"
        ? { route: { ...where, destination, status: "create" }, result, error: "InternalError" }
        : { route: { ...where, destination, status: "create" }, result },
    ),
    removed,
    dns: [],
    tagged: true,
  };
}

describe("factsFromSnapshot: what a failed or unreadable read leaves", () => {
  it.each([
    [
      "the accepter side's route tables",
      { hubTables: failed("accepter tables throttled") },
      "accepter tables throttled",
    ],
    [
      "the requester side's route tables",
      { spokeTables: failed("requester tables throttled") },
      "requester tables throttled",
    ],
    ["the accepter VPC's CIDRs", { cidrs: failed("DescribeVpcs throttled") }, "DescribeVpcs throttled"],
  ] as const)(
    "is the read's own error when %s failed for now: nothing is decided on half the facts",
    (_, overrides, message) => {
      expect(factsFromSnapshot(snapshot(overrides), PCX, READ_AT)).toEqual({ error: new Error(message) });
    },
  );

  it("has no accepter CIDRs when DescribeVpcs no longer shows the VPC (it is gone), not the connection's copy", () => {
    const result = factsFromSnapshot(snapshot({ cidrs: read(new Map()) }), PCX, READ_AT);
    expect("facts" in result && result.facts.accepterCidrs).toEqual([]);
  });

  it("says why the accepter side is unreadable, and still gives the readable requester side", () => {
    const result = factsFromSnapshot(
      snapshot({ hubTables: unreadable("no role in 111111111111") }),
      PCX,
      READ_AT,
    );
    expect("facts" in result && result.facts).toMatchObject({
      accepterCidrs: ["10.0.0.0/16", "10.2.0.0/16"],
      accepterRouteTables: { readable: false, reason: "no role in 111111111111" },
      requesterRouteTables: { readable: true, tables: [{ id: "rtb-spoke" }] },
    });
  });
});

describe("recordChanges and recordRemovals: the snapshot later phases decide on", () => {
  it("adds a created route to the table it was made in, not to another table of the VPC", () => {
    const state = snapshot();
    recordChanges(
      state,
      "pcx-1",
      outcome([{ where: at(HUB, "rtb-hub-apps"), destination: "10.1.0.0/16", result: "created" }]),
    );
    expect(routesIn(state, HUB_KEY, "rtb-hub-main")).toEqual([route("10.0.0.0/16", "local")]);
    expect(routesIn(state, HUB_KEY, "rtb-hub-apps")).toEqual([
      route("10.0.0.0/16", "local"),
      route("10.9.0.0/16", "pcx-old"),
      route("10.1.0.0/16", "pcx-1", "active"),
    ]);
  });

  it("adds nothing for a route that was already present or failed to be made", () => {
    const state = snapshot();
    recordChanges(
      state,
      "pcx-1",
      outcome([
        { where: at(HUB, "rtb-hub-apps"), destination: "10.1.0.0/16", result: "present" },
        { where: at(HUB, "rtb-hub-apps"), destination: "10.3.0.0/16", result: "failed" },
      ]),
    );
    expect(routesIn(state, HUB_KEY, "rtb-hub-apps")).toEqual([
      route("10.0.0.0/16", "local"),
      route("10.9.0.0/16", "pcx-old"),
    ]);
  });

  it.each([
    ["its account-region's tables were unreadable", { spokeTables: unreadable("no role") }],
    ["its account-region's read failed for now", { spokeTables: failed("throttled") }],
  ] as const)("leaves the snapshot as it was, without failing, for a route made where %s", (_, overrides) => {
    const state = snapshot(overrides);
    const before = structuredClone(state);
    recordChanges(
      state,
      "pcx-1",
      outcome(
        [{ where: at(SPOKE, "rtb-spoke", "requester"), destination: "10.0.0.0/16", result: "created" }],
        [
          {
            route: { ...at(SPOKE, "rtb-spoke", "requester"), destination: "10.9.0.0/16" },
            result: "removed",
          },
        ],
      ),
    );
    expect(state).toEqual(before);
  });

  it("leaves the snapshot as it was for routes in an account-region or table the sweep never read", () => {
    const state = snapshot();
    const before = structuredClone(state);
    const elsewhere = { account: "333333333333", region: "us-east-1" };
    recordChanges(
      state,
      "pcx-1",
      outcome(
        [
          { where: at(elsewhere, "rtb-elsewhere"), destination: "10.1.0.0/16", result: "created" },
          { where: at(HUB, "rtb-not-read"), destination: "10.1.0.0/16", result: "created" },
        ],
        [{ route: { ...at(elsewhere, "rtb-elsewhere"), destination: "10.9.0.0/16" }, result: "removed" }],
      ),
    );
    expect(state).toEqual(before);
  });

  it.each([
    ["removed now", "removed", []],
    ["found already absent", "already absent", []],
    ["whose removal failed (it is still there)", "failed", [route("10.9.0.0/16", "pcx-old")]],
  ] as const)("takes out of its table only a route %s", (_, result, left) => {
    const state = snapshot();
    const where = { ...at(HUB, "rtb-hub-apps"), destination: "10.9.0.0/16" };
    recordRemovals(state, [
      result === "failed" ? { route: where, result, error: "InternalError" } : { route: where, result },
    ]);
    expect(routesIn(state, HUB_KEY, "rtb-hub-apps")).toEqual([route("10.0.0.0/16", "local"), ...left]);
    expect(routesIn(state, HUB_KEY, "rtb-hub-main")).toEqual([route("10.0.0.0/16", "local")]);
  });
});

describe("copySnapshot: one read, a snapshot for each plan", () => {
  it("keeps what one pass changes out of the other's copy, in both directions", () => {
    const original = snapshot();
    const copy = copySnapshot(original);
    expect(copy).toEqual(original);

    recordChanges(
      copy,
      "pcx-1",
      outcome(
        [{ where: at(HUB, "rtb-hub-main"), destination: "10.1.0.0/16", result: "created" }],
        [{ route: { ...at(HUB, "rtb-hub-apps"), destination: "10.9.0.0/16" }, result: "removed" }],
      ),
    );
    recordChanges(
      original,
      "pcx-1",
      outcome([
        { where: at(SPOKE, "rtb-spoke", "requester"), destination: "10.0.0.0/16", result: "created" },
      ]),
    );

    expect(routesIn(original, HUB_KEY, "rtb-hub-main")).toEqual([route("10.0.0.0/16", "local")]);
    expect(routesIn(original, HUB_KEY, "rtb-hub-apps")).toEqual([
      route("10.0.0.0/16", "local"),
      route("10.9.0.0/16", "pcx-old"),
    ]);
    expect(routesIn(copy, HUB_KEY, "rtb-hub-main")).toEqual([
      route("10.0.0.0/16", "local"),
      route("10.1.0.0/16", "pcx-1", "active"),
    ]);
    expect(routesIn(copy, HUB_KEY, "rtb-hub-apps")).toEqual([route("10.0.0.0/16", "local")]);
    expect(routesIn(copy, SPOKE_KEY, "rtb-spoke")).toEqual([]);
    expect(routesIn(original, SPOKE_KEY, "rtb-spoke")).toEqual([route("10.0.0.0/16", "pcx-1", "active")]);
  });

  it("keeps the peering counts one pass's accepts raise out of the other's copy", () => {
    const original = { ...snapshot(), activePeerings: new Map([[HUB_KEY, read(new Map([["vpc-hub", 3]]))]]) };
    const copy = copySnapshot(original);

    recordAccepted(copy, PCX);

    const count = (state: SweepSnapshot) => {
      const counts = state.activePeerings?.get(HUB_KEY);
      return counts?.kind === "read" ? counts.value.get("vpc-hub") : undefined;
    };
    expect(count(copy)).toBe(4);
    expect(count(original)).toBe(3);
  });

  it("keeps reads that failed or were unreadable as they were", () => {
    const original = snapshot({ hubTables: unreadable("no role"), spokeTables: failed("throttled") });
    const copy = copySnapshot(original);
    expect(copy.tables.get(HUB_KEY)).toEqual(unreadable("no role"));
    expect(copy.tables.get(SPOKE_KEY)).toBe(original.tables.get(SPOKE_KEY));
    expect(copy.accepterCidrs).toEqual(original.accepterCidrs);
  });
});

describe("recordPlanned and clearPlanned: what a phase creates before it is carried out", () => {
  const QUOTAS = { routesPerTable: 500, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60 };
  const decided = (mode: "enforce" | "report") => {
    const facts = factsFromSnapshot(snapshot(), PCX, READ_AT, QUOTAS);
    if ("error" in facts) throw facts.error;
    const rule = {
      name: "spokes",
      mode,
      accepter: { accounts: [HUB.account] },
      requester: { accounts: [SPOKE.account], cidrs: ["10.0.0.0/8"] },
    };
    return decide(facts.facts, policy([rule]));
  };
  const plannedIn = (state: SweepSnapshot) => {
    const facts = factsFromSnapshot(state, PCX, READ_AT, QUOTAS);
    if ("error" in facts) throw facts.error;
    return facts.facts.plannedMeanwhile;
  };

  it("counts an enforced decision's routes per table for the next decision, until the phase is carried out", () => {
    const state = snapshot();
    expect(plannedIn(state)).toBeUndefined();

    recordPlanned(state, decided("enforce"));
    recordPlanned(state, decided("enforce"));

    expect(plannedIn(state)).toEqual({
      routes: { "rtb-hub-main": 2, "rtb-hub-apps": 2, "rtb-spoke": 4 },
      rules: {},
    });
    // Without quotas nothing is checked, so nothing is said.
    const unchecked = factsFromSnapshot(state, PCX, READ_AT);
    expect("facts" in unchecked ? unchecked.facts.plannedMeanwhile : "failed").toBeUndefined();
    clearPlanned(state);
    expect(plannedIn(state)).toBeUndefined();
  });

  it("counts the rules an enforced decision opens per group and family", () => {
    const state: SweepSnapshot = {
      ...snapshot(),
      securityGroups: new Map([
        [
          HUB_KEY,
          read(
            new Map([["vpc-hub", [{ id: "sg-hub", tags: { Peering: "spokes" }, ingress: [], tagged: [] }]]]),
          ),
        ],
        [SPOKE_KEY, read(new Map<string, SecurityGroup[]>())],
      ]),
    };
    const facts = factsFromSnapshot(state, PCX, READ_AT, QUOTAS);
    if ("error" in facts) throw facts.error;
    const opening = decide(
      facts.facts,
      policy([
        {
          name: "spokes",
          accepter: { accounts: [HUB.account] },
          requester: { accounts: [SPOKE.account], cidrs: ["10.0.0.0/8"] },
          securityGroups: {
            accepter: { tags: { Peering: "spokes" } },
            ingress: [{ protocol: "tcp", ports: [443, 5432] }],
          },
        },
      ]),
    );
    recordPlanned(state, opening);
    recordPlanned(state, opening);
    expect(plannedIn(state)?.rules).toEqual({ "sg-hub IPv4": 4 });
  });

  it("counts nothing for a decision in report mode, which creates nothing", () => {
    const state = snapshot();
    recordPlanned(state, decided("report"));
    expect(plannedIn(state)).toBeUndefined();
  });
});

describe("factsFromSnapshot: subnets, security groups and peering counts", () => {
  const QUOTAS = { routesPerTable: 500, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60 };
  const PENDING: PeeringConnection = { ...PCX, status: "pending-acceptance" };
  const SUBNET = { id: "subnet-1", cidrs: ["10.1.0.0/24"], tags: { Tier: "app" } };
  const GROUP: SecurityGroup = { id: "sg-1", tags: {}, ingress: [], tagged: [] };
  const sides = <T>(hub: BulkRead<Map<string, T[]>>, spoke: BulkRead<Map<string, T[]>>) =>
    new Map([
      [HUB_KEY, hub],
      [SPOKE_KEY, spoke],
    ]);
  const subnetsRead = read(new Map<string, Subnet[]>([["vpc-spoke", [SUBNET]]]));
  const groupsRead = read(new Map<string, SecurityGroup[]>([["vpc-hub", [GROUP]]]));

  const noSubnets = read(new Map<string, Subnet[]>());
  const noGroups = read(new Map<string, SecurityGroup[]>());
  it.each([
    ["the accepter's subnets", { subnets: sides<Subnet>(failed("throttled"), subnetsRead) }],
    ["the requester's subnets", { subnets: sides<Subnet>(noSubnets, failed("throttled")) }],
    ["the accepter's groups", { securityGroups: sides<SecurityGroup>(failed("throttled"), noGroups) }],
    ["the requester's groups", { securityGroups: sides<SecurityGroup>(groupsRead, failed("throttled")) }],
  ])("is the read's own error when %s failed for now", (_, extra: Partial<SweepSnapshot>) => {
    expect(factsFromSnapshot({ ...snapshot(), ...extra }, PCX, READ_AT)).toEqual({
      error: new Error("throttled"),
    });
  });

  it("gives each side's subnets and groups by VPC, and says why a side could not be read", () => {
    const state = {
      ...snapshot(),
      subnets: sides(unreadable("no role for subnets"), subnetsRead),
      securityGroups: sides(groupsRead, unreadable("no role for groups")),
    };
    const result = factsFromSnapshot(state, PCX, READ_AT);
    expect("facts" in result && result.facts).toMatchObject({
      accepterSubnets: { readable: false, reason: "no role for subnets" },
      requesterSubnets: { readable: true, subnets: [SUBNET] },
      accepterSecurityGroups: { readable: true, groups: [GROUP] },
      requesterSecurityGroups: { readable: false, reason: "no role for groups" },
    });
    // Not read at all: absent, not empty.
    const plain = factsFromSnapshot(snapshot(), PCX, READ_AT);
    expect("facts" in plain && Object.keys(plain.facts)).not.toContain("accepterSubnets");
    expect("facts" in plain && Object.keys(plain.facts)).not.toContain("accepterSecurityGroups");
  });

  it("counts the accepter VPC's active connections for a pending request only, when quotas are checked", () => {
    const counted = { ...snapshot(), activePeerings: new Map([[HUB_KEY, read(new Map([["vpc-hub", 3]]))]]) };
    const peeringsOf = (state: SweepSnapshot, connection: PeeringConnection, quotas = QUOTAS) => {
      const result = factsFromSnapshot(state, connection, READ_AT, quotas);
      if ("error" in result) throw result.error;
      return result.facts.accepterActivePeerings;
    };
    expect(peeringsOf(counted, PENDING)).toBe(3);
    expect(peeringsOf(counted, PCX)).toBeUndefined();
    const unread = { ...snapshot(), activePeerings: new Map([[HUB_KEY, unreadable("no listing")]]) };
    expect(peeringsOf(unread, PENDING)).toBeUndefined();
    const throttled = { ...snapshot(), activePeerings: new Map([[HUB_KEY, failed("listing throttled")]]) };
    expect(factsFromSnapshot(throttled, PENDING, READ_AT, QUOTAS)).toEqual({
      error: new Error("listing throttled"),
    });
    expect(peeringsOf(snapshot(), PENDING)).toBeUndefined();
  });

  it("copies the groups so that one plan's rules stay out of the other's copy", () => {
    const held = {
      ...GROUP,
      ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidr: "192.168.0.0/16" }],
      tagged: [
        {
          id: "sgr-0",
          connectionId: "pcx-0",
          protocol: "tcp",
          fromPort: 80,
          toPort: 80,
          cidr: "10.1.0.0/16",
        },
      ],
    };
    const original = {
      ...snapshot(),
      securityGroups: sides(read(new Map([["vpc-hub", [structuredClone(held)]]])), read(new Map())),
    };
    const copy = copySnapshot(original);
    expect(copy).toEqual(original);
    const groupIn = (state: SweepSnapshot) => {
      const groups = state.securityGroups?.get(HUB_KEY);
      if (groups?.kind !== "read") throw new Error("groups not read");
      return groups.value.get("vpc-hub")?.[0];
    };
    groupIn(copy)?.ingress.push({ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.1.0.0/16" });
    groupIn(copy)?.tagged.push({
      id: "sgr-1",
      connectionId: "pcx-1",
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidr: "10.1.0.0/16",
    });
    expect(groupIn(original)).toEqual(held);
    expect(groupIn(copy)?.ingress).toHaveLength(2);
  });
});
