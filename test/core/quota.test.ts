import { describe, expect, it } from "vitest";
import { activePeeringsByVpc } from "../../shared/aws/read/read-active-peerings";
import { loadConfig } from "../../shared/config";
import { changesOf } from "../../shared/decision/changes";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import type { DecisionFacts, Quotas, Route } from "../../shared/facts";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  type FactsInput,
  facts,
  group as groupWith,
  named,
  policy,
  requesterMain,
  route,
} from "../helpers/facts";

const RULE = {
  name: "shared",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
};
const POLICY = policy([RULE]);
const ASKING = policy([{ ...RULE, approval: "required" }]);

const A_MAIN = accepterMain().id;
const A_PARTNERS = accepterPartners().id;
const R_MAIN = requesterMain().id;
const ACCEPTER_VPC = "vpc-0f9e8d7c6b5a40001";

/** Routes to a transit gateway that overlap nothing either side routes: only their number matters. */
const filler = (n: number): Route[] =>
  Array.from({ length: n }, (_, i) => route(`172.${16 + Math.floor(i / 256)}.${i % 256}.0/24`, "tgw-0a"));

/** Each table starts with one non-local route (a default route); `extra` more are added to it. */
const tables = (extra: { accepterMain?: number; partners?: number; requesterMain?: number }) => ({
  accepterTables: [
    accepterMain(...filler(extra.accepterMain ?? 0)),
    accepterPartners(...filler(extra.partners ?? 0)),
  ],
  requesterTables: [requesterMain(...filler(extra.requesterMain ?? 0))],
});

function quotaFacts(
  input: FactsInput,
  quotas: Partial<Quotas> = {},
  accepterActivePeerings = 0,
): DecisionFacts {
  return {
    ...facts(input),
    quotas: { routesPerTable: 5, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60, ...quotas },
    accepterActivePeerings,
  };
}

const planOf = (d: Decision) => d.plan.map((p) => `${p.routeTableId} ${p.destination} ${p.status}`);

describe("quotas: a request is accepted only if every table it writes, and its accepter VPC, has room", () => {
  it.each(
    named<{ name: string; facts: DecisionFacts; action: string; reasons?: string[] }>([
      {
        name: "a table with exactly enough room (local routes are not counted)",
        facts: quotaFacts(tables({ accepterMain: 3 })),
        action: "accept",
      },
      {
        name: "a table one route over",
        facts: quotaFacts(tables({ accepterMain: 4 })),
        action: "reject",
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 5 routes; this request adds 1, over the quota of 5`,
        ],
      },
      {
        name: "a table already over the quota (a lower quota than the table holds)",
        facts: quotaFacts(tables({ partners: 9 })),
        action: "reject",
        reasons: [
          `route table ${A_PARTNERS} (111111111111 us-east-1) holds 10 routes; this request adds 1, over the quota of 5`,
        ],
      },
      {
        name: "two CIDRs into a table with room for one",
        facts: quotaFacts({
          ...tables({ accepterMain: 3 }),
          requesterCidrs: ["10.20.0.0/16", "10.21.0.0/16"],
        }),
        action: "reject",
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 4 routes; this request adds 2, over the quota of 5`,
        ],
      },
      {
        name: "several tables full, on both sides: each named, in plan order",
        facts: quotaFacts(tables({ accepterMain: 4, partners: 3, requesterMain: 4 })),
        action: "reject",
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 5 routes; this request adds 1, over the quota of 5`,
          `route table ${R_MAIN} (222222222222 us-east-1) holds 5 routes; this request adds 1, over the quota of 5`,
        ],
      },
      {
        name: "the accepter VPC one below its peering quota",
        facts: quotaFacts({}, { activePeeringsPerVpc: 50 }, 49),
        action: "accept",
      },
      {
        name: "the accepter VPC at its peering quota",
        facts: quotaFacts({}, { activePeeringsPerVpc: 50 }, 50),
        action: "reject",
        reasons: [
          `accepter VPC ${ACCEPTER_VPC} (111111111111 us-east-1) has 50 active peering connections; accepting this request makes 51, over the quota of 50`,
        ],
      },
      {
        name: "a full table and the VPC at its quota: both named",
        facts: quotaFacts(tables({ requesterMain: 4 }), { activePeeringsPerVpc: 1 }, 1),
        action: "reject",
        reasons: [
          `route table ${R_MAIN} (222222222222 us-east-1) holds 5 routes; this request adds 1, over the quota of 5`,
          `accepter VPC ${ACCEPTER_VPC} (111111111111 us-east-1) has 1 active peering connection; accepting this request makes 2, over the quota of 1`,
        ],
      },
      {
        name: "a route made for the request in advance: counted as held, not added",
        facts: quotaFacts({
          accepterTables: [
            accepterMain(...filler(2), route("10.20.0.0/16", CONNECTION_ID)),
            accepterPartners(),
          ],
        }),
        action: "accept",
      },
    ]),
  )("%s", (_, row) => {
    const decision = decide(row.facts, POLICY);

    expect(decision.action).toBe(row.action);
    if (row.reasons) {
      expect(decision).toMatchObject({ rule: "shared", findings: ["rejected", "quota"] });
      expect(decision.reasons).toEqual(row.reasons);
      // What accepting would have done stays in the plan, for the record; nothing is created.
      const { quotas: _, ...unchecked } = row.facts;
      expect(planOf(decision)).toEqual(planOf(decide(unchecked, POLICY)));
      expect(decision.plan.length).toBeGreaterThan(0);
      expect(changesOf(decision).createRoutes).toEqual([]);
    } else {
      expect(decision.findings).not.toContain("quota");
    }
  });

  it("rejects a request awaiting a person's approval that could not be accepted anyway", () => {
    const full = quotaFacts(tables({ accepterMain: 4 }));

    expect(decide(full, ASKING)).toMatchObject({ action: "reject", findings: ["rejected", "quota"] });
    const roomier = { routesPerTable: 6, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60 };
    expect(decide({ ...full, quotas: roomier }, ASKING).action).toBe("await-approval");
  });

  it("says that a person's approval is not carried out when a quota stops it", () => {
    const approved = quotaFacts({ tags: { "peering-approval": "approve" } }, { activePeeringsPerVpc: 3 }, 3);
    const decision = decide(approved, ASKING);

    expect(decision).toMatchObject({ action: "reject", findings: ["rejected", "quota"] });
    expect(decision.reasons).toContain("the approval is not carried out: the request is rejected");
  });

  it("reports a route conflict first: the request is rejected for it, whatever the quotas", () => {
    const conflicting = quotaFacts(
      { accepterTables: [accepterMain(route("10.20.4.0/24", "tgw-0a"), ...filler(4)), accepterPartners()] },
      {},
      50,
    );

    expect(decide(conflicting, POLICY).findings).toEqual(["rejected", "route-conflict"]);
  });

  it("checks only the tables when the VPC's connections were not counted", () => {
    const { accepterActivePeerings: _, ...uncounted } = quotaFacts(tables({}), { activePeeringsPerVpc: 1 });

    expect(decide(uncounted, POLICY)).toMatchObject({ action: "accept", findings: [] });
  });

  it("checks nothing when the facts carry no quotas: they decide as before", () => {
    const crowded = {
      ...facts(tables({ accepterMain: 600, requesterMain: 600 })),
      accepterActivePeerings: 500,
    };

    const decision = decide(crowded, POLICY);

    expect(decision.action).toBe("accept");
    const { accepterActivePeerings: _, ...without } = crowded;
    expect(decision).toEqual(decide(without, POLICY));
  });
});

describe("quotas: an active connection gets the routes that fit, and a finding for the others", () => {
  const active = (input: FactsInput, quotas: Partial<Quotas> = {}) =>
    quotaFacts({ status: "active", ...input }, quotas, 500);

  it.each(
    named<{ name: string; facts: DecisionFacts; plan: string[]; reasons: string[] }>([
      {
        name: "room for one of two routes in one table",
        facts: active({ ...tables({ accepterMain: 3 }), requesterCidrs: ["10.20.0.0/16", "10.21.0.0/16"] }),
        plan: [
          `${A_MAIN} 10.20.0.0/16 create`,
          `${A_PARTNERS} 10.20.0.0/16 create`,
          `${A_PARTNERS} 10.21.0.0/16 create`,
          `${R_MAIN} 10.0.0.0/16 create`,
        ],
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 4 routes and has room for 1 of the 2 this connection needs (quota 5): not created: 10.21.0.0/16`,
        ],
      },
      {
        name: "no room in two tables, room in the third",
        facts: active(tables({ accepterMain: 4, requesterMain: 9 })),
        plan: [`${A_PARTNERS} 10.20.0.0/16 create`],
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 5 routes and has room for 0 of the 1 this connection needs (quota 5): not created: 10.20.0.0/16`,
          `route table ${R_MAIN} (222222222222 us-east-1) holds 10 routes and has room for 0 of the 1 this connection needs (quota 5): not created: 10.0.0.0/16`,
        ],
      },
      {
        name: "exactly the room a table has: every route made",
        facts: active(tables({ accepterMain: 3 })),
        plan: [
          `${A_MAIN} 10.20.0.0/16 create`,
          `${A_PARTNERS} 10.20.0.0/16 create`,
          `${R_MAIN} 10.0.0.0/16 create`,
        ],
        reasons: [],
      },
      {
        name: "room for one of three: every destination not created is named",
        facts: active({
          ...tables({ accepterMain: 3 }),
          requesterCidrs: ["10.20.0.0/16", "10.21.0.0/16", "10.22.0.0/16"],
        }),
        plan: [
          `${A_MAIN} 10.20.0.0/16 create`,
          `${A_PARTNERS} 10.20.0.0/16 create`,
          `${A_PARTNERS} 10.21.0.0/16 create`,
          `${A_PARTNERS} 10.22.0.0/16 create`,
          `${R_MAIN} 10.0.0.0/16 create`,
        ],
        reasons: [
          `route table ${A_MAIN} (111111111111 us-east-1) holds 4 routes and has room for 1 of the 3 this connection needs (quota 5): not created: 10.21.0.0/16, 10.22.0.0/16`,
        ],
      },
      {
        name: "a full table whose routes are all there: nothing to report",
        facts: active({
          accepterTables: [
            accepterMain(...filler(3), route("10.20.0.0/16", CONNECTION_ID)),
            accepterPartners(),
          ],
        }),
        plan: [
          `${A_MAIN} 10.20.0.0/16 present`,
          `${A_PARTNERS} 10.20.0.0/16 create`,
          `${R_MAIN} 10.0.0.0/16 create`,
        ],
        reasons: [],
      },
    ]),
  )("%s", (_, row) => {
    const decision = decide(row.facts, POLICY);

    expect(decision.action).toBe("maintain");
    expect(planOf(decision)).toEqual(row.plan);
    expect(decision.reasons).toEqual([`rule 'shared' governs this connection`, ...row.reasons]);
    expect(decision.findings).toEqual(row.reasons.length > 0 ? ["quota"] : []);
    expect(
      changesOf(decision).createRoutes.map((r) => `${r.routeTableId} ${r.destination} ${r.status}`),
    ).toEqual(row.plan.filter((line) => line.endsWith("create")));
  });

  it("does not count the peering quota against a connection that is already active", () => {
    const decision = decide(active({}, { activePeeringsPerVpc: 1 }), POLICY);

    expect(decision).toMatchObject({ action: "maintain", findings: [] });
  });

  it("keeps the routes it does not cut: stale routes still go, and nothing is cut without quotas", () => {
    const stale = route("10.99.0.0/16", CONNECTION_ID);
    const input = {
      status: "active",
      accepterTables: [accepterMain(...filler(4), stale), accepterPartners()],
    };

    const cut = decide(active(input), POLICY);
    const uncut = decide(facts(input), POLICY);

    expect(cut.removals).toEqual(uncut.removals);
    expect(cut.removals.map((r) => r.destination)).toEqual(["10.99.0.0/16"]);
    expect(planOf(uncut)).toContain(`${A_MAIN} 10.20.0.0/16 create`);
    expect(planOf(cut)).not.toContain(`${A_MAIN} 10.20.0.0/16 create`);
  });
});

describe("quotas: from the configuration", () => {
  it("are AWS's defaults unless set: 500 routes per route table, 50 active peerings per VPC, 60 rules per group", () => {
    expect(loadConfig({}).quotas).toEqual({
      routesPerTable: 500,
      activePeeringsPerVpc: 50,
      rulesPerSecurityGroup: 60,
    });
    expect(
      loadConfig({ ROUTE_TABLE_QUOTA: "1000", ACTIVE_PEERING_QUOTA: "1", SECURITY_GROUP_RULE_QUOTA: "200" })
        .quotas,
    ).toEqual({ routesPerTable: 1000, activePeeringsPerVpc: 1, rulesPerSecurityGroup: 200 });
  });

  it.each(["0", "-1", "2.5", "fifty"])("refuses %j for any", (value) => {
    expect(() => loadConfig({ ROUTE_TABLE_QUOTA: value })).toThrow(/ROUTE_TABLE_QUOTA/);
    expect(() => loadConfig({ ACTIVE_PEERING_QUOTA: value })).toThrow(/ACTIVE_PEERING_QUOTA/);
    expect(() => loadConfig({ SECURITY_GROUP_RULE_QUOTA: value })).toThrow(/SECURITY_GROUP_RULE_QUOTA/);
  });
});

describe("quotas: a VPC's active peering connections, counted from a listing", () => {
  const connection = (id: string, status: string, requesterVpc: string, accepterVpc: string) => ({
    ...facts({ status }).connection,
    id,
    requester: { ...facts().connection.requester, vpcId: requesterVpc },
    accepter: { ...facts().connection.accepter, vpcId: accepterVpc },
  });

  it("counts the active ones on either side, and nothing else", () => {
    const counts = activePeeringsByVpc([
      connection("pcx-1", "active", "vpc-a", "vpc-hub"),
      connection("pcx-2", "active", "vpc-hub", "vpc-b"),
      connection("pcx-3", "pending-acceptance", "vpc-c", "vpc-hub"),
      connection("pcx-4", "deleted", "vpc-d", "vpc-hub"),
      connection("pcx-5", "active", "vpc-a", "vpc-b"),
    ]);

    expect(Object.fromEntries(counts)).toEqual({ "vpc-hub": 2, "vpc-a": 2, "vpc-b": 2 });
  });
});

describe("quotas: inbound rules per security group, counted apart for IPv4 and IPv6 as AWS counts them", () => {
  const SG = "sg-000000000000000a1";
  const OPENING = policy([
    {
      ...RULE,
      requester: { ...RULE.requester, cidrs: ["10.16.0.0/12", "fd00::/8"] },
      securityGroups: { accepter: { ids: [SG] }, ingress: [{ protocol: "tcp", ports: [443, 8443] }] },
    },
  ]);
  const ipv4Rules = (n: number) => Array.from({ length: n }, (_, i) => `tcp 22 192.168.${i}.0/24`);
  const ipv6Rules = (n: number) => Array.from({ length: n }, (_, i) => `tcp 22 fd00:99:${i}::/48`);
  const ruleFacts = (
    ingress: { ipv4?: number; ipv6?: number; fromGroups?: number },
    extra: FactsInput = {},
    quotas: Partial<Quotas> = {},
  ): DecisionFacts => {
    const sg = groupWith(SG, { ingress: [...ipv4Rules(ingress.ipv4 ?? 0), ...ipv6Rules(ingress.ipv6 ?? 0)] });
    // A rule whose source is a group or a prefix list has no block.
    const fromGroups = Array.from({ length: ingress.fromGroups ?? 0 }, () => ({
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
    }));
    return quotaFacts(
      { accepterGroups: [{ ...sg, ingress: [...sg.ingress, ...fromGroups] }], requesterGroups: [], ...extra },
      { routesPerTable: 500, rulesPerSecurityGroup: 60, ...quotas },
    );
  };
  const opened = (d: Decision) => (d.securityGroupRules?.plan ?? []).map((r) => `${r.fromPort} ${r.cidr}`);

  it.each(
    named([
      { name: "a group with room for both new IPv4 rules", ingress: { ipv4: 58 }, action: "accept" },
      { name: "a group one rule short", ingress: { ipv4: 59 }, action: "reject" },
      { name: "IPv6 rules, which count apart", ingress: { ipv4: 58, ipv6: 59 }, action: "accept" },
      {
        name: "rules from groups, which count for IPv4 too",
        ingress: { ipv4: 30, fromGroups: 29 },
        action: "reject",
      },
    ]),
  )("an IPv4 request into %s", (_, { ingress, action }) => {
    const decision = decide(ruleFacts(ingress), OPENING);
    expect(decision.action).toBe(action);
    if (action === "reject") {
      expect(decision.findings).toEqual(["rejected", "quota"]);
      expect(decision.reasons).toContain(
        `security group ${SG} (111111111111 us-east-1) holds 59 IPv4 inbound rules; this request adds 2, over the quota of 60`,
      );
    } else {
      expect(changesOf(decision).securityGroupRules?.create).toHaveLength(2);
    }
  });

  it("counts IPv6 rules against the IPv6 quota", () => {
    const dual = { requesterCidrs: ["10.20.0.0/16", "fd00:14::/56"] };
    expect(decide(ruleFacts({ ipv6: 58 }, dual), OPENING).action).toBe("accept");
    const full = decide(ruleFacts({ ipv6: 59 }, dual), OPENING);
    expect(full.action).toBe("reject");
    expect(full.reasons).toContain(
      `security group ${SG} (111111111111 us-east-1) holds 59 IPv6 inbound rules; this request adds 2, over the quota of 60`,
    );
  });

  it("opens for an active connection the rules that fit, names the others, and routes it all the same", () => {
    const decision = decide(ruleFacts({ ipv4: 59 }, { status: "active" }), OPENING);

    expect(decision.action).toBe("maintain");
    expect(decision.findings).toContain("quota");
    expect(opened(decision)).toEqual(["443 10.20.0.0/16"]);
    expect(decision.reasons).toContain(
      `security group ${SG} (111111111111 us-east-1) holds 59 IPv4 inbound rules and has room for 1 of the 2 this connection needs (quota 60): not opened: tcp 8443 from 10.20.0.0/16`,
    );
    expect(changesOf(decision).createRoutes.map((r) => r.destination)).toContain("10.20.0.0/16");

    const roomy = decide(ruleFacts({ ipv4: 58 }, { status: "active" }), OPENING);
    expect(roomy.findings).not.toContain("quota");
    expect(opened(roomy)).toEqual(["443 10.20.0.0/16", "8443 10.20.0.0/16"]);
  });

  it("leaves a full group alone when nothing is to be opened in it", () => {
    const present = ruleFacts({ ipv4: 60 }, { status: "active" });
    const sg = present.accepterSecurityGroups;
    if (!sg?.readable) throw new Error("groups not read");
    const [group] = sg.groups;
    if (!group) throw new Error("no group");
    group.ingress.push(
      { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.0.0/16" },
      { protocol: "tcp", fromPort: 8443, toPort: 8443, cidr: "10.20.0.0/16" },
    );
    const decision = decide(present, OPENING);
    expect(decision.findings).not.toContain("quota");
    expect(changesOf(decision).securityGroupRules?.create).toEqual([]);
  });

  it("counts each group by its own rules, on either side, and names every rule left out", () => {
    const DNS = "sg-000000000000000d5";
    const roomy = groupWith("sg-000000000000000a2", { ingress: ipv4Rules(1) });
    const requesterSide = policy([
      {
        ...RULE,
        securityGroups: {
          requester: { tags: { Peering: "dns" } },
          ingress: [
            { protocol: "udp", ports: [53, "8000-8100"] },
            { protocol: "tcp", ports: [53] },
          ],
        },
      },
    ]);
    const decision = decide(
      quotaFacts(
        {
          status: "active",
          accepterGroups: [groupWith(SG, { ingress: ipv4Rules(59) })],
          requesterGroups: [roomy, groupWith(DNS, { tags: { Peering: "dns" }, ingress: ipv4Rules(58) })],
        },
        { routesPerTable: 500, rulesPerSecurityGroup: 60 },
      ),
      requesterSide,
    );

    // The accepter's full group is none of this rule's; the requester's has room for two of three.
    expect(decision.securityGroupRules?.plan.map((r) => `${r.groupId} ${r.protocol} ${r.fromPort}`)).toEqual([
      `${DNS} udp 53`,
      `${DNS} udp 8000`,
    ]);
    expect(decision.reasons).toContain(
      `security group ${DNS} (222222222222 us-east-1) holds 58 IPv4 inbound rules and has room for 2 of the 3 this connection needs (quota 60): not opened: tcp 53 from 10.0.0.0/16`,
    );

    const fuller = decide(
      quotaFacts(
        {
          status: "active",
          requesterGroups: [groupWith(DNS, { tags: { Peering: "dns" }, ingress: ipv4Rules(59) })],
        },
        { routesPerTable: 500, rulesPerSecurityGroup: 60 },
      ),
      requesterSide,
    );
    expect(fuller.reasons).toContain(
      `security group ${DNS} (222222222222 us-east-1) holds 59 IPv4 inbound rules and has room for 1 of the 3 this connection needs (quota 60): not opened: udp 8000-8100 from 10.0.0.0/16, tcp 53 from 10.0.0.0/16`,
    );
  });

  it("checks nothing when the facts carry no quotas", () => {
    const { quotas: _, ...unchecked } = ruleFacts({ ipv4: 60 });
    expect(decide(unchecked, OPENING).action).toBe("accept");
  });
});

describe("quotas: what earlier decisions of the same pass create counts as held", () => {
  const SG = "sg-000000000000000a1";
  const OPENING = policy([
    {
      ...RULE,
      securityGroups: { accepter: { ids: [SG] }, ingress: [{ protocol: "tcp", ports: [443, 8443] }] },
    },
  ]);
  const withMeanwhile = (
    base: DecisionFacts,
    routes: Record<string, number>,
    rules: Record<string, number> = {},
  ) => ({
    ...base,
    plannedMeanwhile: { routes, rules },
  });

  it("rejects a request whose table the pass fills first, and names what the pass creates", () => {
    const roomFor1 = quotaFacts(tables({ accepterMain: 3 }));
    expect(decide(roomFor1, POLICY).action).toBe("accept");

    const filled = decide(withMeanwhile(roomFor1, { [A_MAIN]: 1 }), POLICY);
    expect(filled).toMatchObject({ action: "reject", findings: ["rejected", "quota"] });
    expect(filled.reasons).toContain(
      `route table ${A_MAIN} (111111111111 us-east-1) holds 4 routes (and this pass creates 1 more); this request adds 1, over the quota of 5`,
    );
    // Another table's plans take no room here.
    expect(decide(withMeanwhile(roomFor1, { [R_MAIN]: 2 }), POLICY).action).toBe("accept");
  });

  it("cuts an active connection's routes to what the table has left after the pass's own", () => {
    const facts = quotaFacts({
      ...tables({ accepterMain: 1 }),
      status: "active",
      requesterCidrs: ["10.20.0.0/16", "10.21.0.0/16"],
    });
    expect(planOf(decide(facts, POLICY))).toContain(`${A_MAIN} 10.21.0.0/16 create`);

    // Main holds 2 of 5; the pass creates 2 more there first: room for 1 of the 2.
    const cut = decide(withMeanwhile(facts, { [A_MAIN]: 2 }), POLICY);
    expect(planOf(cut)).toContain(`${A_MAIN} 10.20.0.0/16 create`);
    expect(planOf(cut)).not.toContain(`${A_MAIN} 10.21.0.0/16 create`);
    expect(cut.reasons).toContain(
      `route table ${A_MAIN} (111111111111 us-east-1) holds 2 routes (and this pass creates 2 more) and has room for 1 of the 2 this connection needs (quota 5): not created: 10.21.0.0/16`,
    );
  });

  it("rejects a request whose group the pass fills first", () => {
    const group = groupWith(SG, {
      ingress: Array.from({ length: 57 }, (_, i) => `tcp 22 192.168.${i}.0/24`),
    });
    const base = quotaFacts(
      { accepterGroups: [group], requesterGroups: [] },
      { routesPerTable: 500, rulesPerSecurityGroup: 60 },
    );
    expect(decide(base, OPENING).action).toBe("accept");
    const filled = decide(withMeanwhile(base, {}, { [`${SG} IPv4`]: 2 }), OPENING);
    expect(filled.action).toBe("reject");
    expect(filled.reasons).toContain(
      `security group ${SG} (111111111111 us-east-1) holds 57 IPv4 inbound rules (and this pass creates 2 more); this request adds 2, over the quota of 60`,
    );
  });

  it("cuts an active connection's rules to what the group has left after the pass's own", () => {
    const group = groupWith(SG, {
      ingress: Array.from({ length: 57 }, (_, i) => `tcp 22 192.168.${i}.0/24`),
    });
    const base = quotaFacts(
      { status: "active", accepterGroups: [group], requesterGroups: [] },
      { routesPerTable: 500, rulesPerSecurityGroup: 60 },
    );
    expect(decide(base, OPENING).securityGroupRules?.plan).toHaveLength(2);

    const cut = decide(withMeanwhile(base, {}, { [`${SG} IPv4`]: 2 }), OPENING);
    expect(cut.securityGroupRules?.plan.map((r) => r.fromPort)).toEqual([443]);
    expect(cut.reasons).toContain(
      `security group ${SG} (111111111111 us-east-1) holds 57 IPv4 inbound rules (and this pass creates 2 more) and has room for 1 of the 2 this connection needs (quota 60): not opened: tcp 8443 from 10.20.0.0/16`,
    );
    // IPv6 plans take no IPv4 room.
    expect(
      decide(withMeanwhile(base, {}, { [`${SG} IPv6`]: 10 }), OPENING).securityGroupRules?.plan,
    ).toHaveLength(2);
  });
});
