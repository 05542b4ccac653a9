import { describe, expect, it } from "vitest";
import type { Outcome } from "../../shared/aws/carry-out/jobs";
import { decide } from "../../shared/decision/decide";
import type { Decision, Finding } from "../../shared/decision/decision";
import { decisionTags, TAG_PREFIX } from "../../shared/decision/decision-tags";
import type { Policy } from "../../shared/policy/schema";
import { toDecisionRecord } from "../../shared/workflow/decision-record";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  type FactsInput,
  facts,
  named,
  OTHER_PCX,
  policy,
  requesterMain,
  route,
  table,
} from "../helpers/facts";

const RULES = [
  {
    name: "shared",
    accepter: { accounts: ["111111111111"], regions: ["us-east-1"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12", "fd00:16::/32"] },
  },
  {
    name: "partner",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["333333333333"], cidrs: ["172.20.0.0/16"] },
    routes: { accepter: { tags: { peering: "partners" } }, requester: "none" },
  },
  {
    name: "main-only",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["444444444444"], cidrs: ["10.44.0.0/16"] },
    routes: { accepter: "main", requester: "main" },
  },
  {
    name: "nothing-tagged",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["555555555555"], cidrs: ["10.55.0.0/16"] },
    routes: { accepter: { tags: { peering: "nobody" } }, requester: "none" },
  },
];
const POLICY = policy(RULES);
const IGNORING = policy(RULES, "ignore");

const A_MAIN = accepterMain().id;
const A_PARTNERS = accepterPartners().id;
const R_MAIN = requesterMain().id;

/** A plan as short lines: `side table destination status`. */
const planOf = (d: Decision) => d.plan.map((p) => `${p.side} ${p.routeTableId} ${p.destination} ${p.status}`);

describe("decide: guards no rule can switch off", () => {
  describe.each(["initiating-request", "provisioning", "deleting"])("status %s (in transit)", (status) => {
    it("is left alone, even when a rule would approve it", () => {
      const decision = decide(facts({ status }), POLICY);
      expect(decision.action).toBe("ignore");
      expect(decision.rule).toBeUndefined();
      expect(decision.reasons).toEqual([`connection is ${status}; it is left alone until it settles`]);
      expect(decision.plan).toEqual([]);
      expect(decision.removals).toEqual([]);
    });
  });

  it.each(
    named<{ name: string; input: FactsInput; action: string; rule?: string; reason: RegExp }>(
      [
        {
          name: "no requester CIDR (pending)",
          input: { requesterCidrs: [] },
          action: "reject",
          reason: /no requester CIDR could be read/,
        },
        {
          name: "no accepter CIDR (the accepter VPC could not be read)",
          input: { accepterCidrs: [] },
          action: "reject",
          reason: /^no accepter CIDR could be read/,
        },
        {
          name: "IPv4 overlap with the accepter's primary CIDR",
          input: { accepterCidrs: ["10.20.0.0/16"] },
          action: "reject",
          reason: /^requester CIDR 10\.20\.0\.0\/16 overlaps accepter CIDR 10\.20\.0\.0\/16$/,
        },
        {
          name: "IPv4 overlap with an accepter secondary CIDR",
          input: { accepterCidrs: ["10.0.0.0/16", "10.16.0.0/12"] },
          action: "reject",
          reason: /^requester CIDR 10\.20\.0\.0\/16 overlaps accepter CIDR 10\.16\.0\.0\/12$/,
        },
        {
          name: "IPv4 overlap of a requester secondary CIDR",
          input: { requesterCidrs: ["10.20.0.0/16", "10.30.0.0/16"], accepterCidrs: ["10.30.128.0/17"] },
          action: "reject",
          reason: /^requester CIDR 10\.30\.0\.0\/16 overlaps accepter CIDR 10\.30\.128\.0\/17$/,
        },
        {
          name: "IPv6 overlap",
          input: {
            requesterCidrs: ["10.20.0.0/16", "fd00:16::/48"],
            accepterCidrs: ["10.0.0.0/16", "fd00:16::/40"],
          },
          action: "reject",
          reason: /^requester CIDR fd00:16::\/48 overlaps accepter CIDR fd00:16::\/40$/,
        },
        {
          name: "IPv6 overlap spelled differently",
          input: { requesterCidrs: ["fd00:16::/48"], accepterCidrs: ["10.0.0.0/16", "fd00:0016:0000::/48"] },
          action: "reject",
          reason: /overlaps accepter CIDR fd00:0016:0000::\/48/,
        },
        {
          name: "overlap with the authoritative accepter CIDRs, not the connection's",
          input: { connectionAccepterCidrs: ["10.0.0.0/16"], accepterCidrs: ["10.20.0.0/16"] },
          action: "reject",
          reason: /overlaps accepter CIDR 10\.20\.0\.0\/16/,
        },
        {
          name: "accepter route: same block to another pcx",
          input: { accepterTables: [accepterMain(route("10.20.0.0/16", OTHER_PCX)), accepterPartners()] },
          action: "reject",
          rule: "shared",
          reason: new RegExp(
            `^accepter ${A_MAIN} .*: 10\\.20\\.0\\.0/16 conflicts with existing route 10\\.20\\.0\\.0/16 -> ${OTHER_PCX}$`,
          ),
        },
        {
          name: "accepter route: more specific to a NAT gateway",
          input: { accepterTables: [accepterMain(), accepterPartners(route("10.20.7.0/24", "nat-0b"))] },
          action: "reject",
          rule: "shared",
          reason: new RegExp(
            `^accepter ${A_PARTNERS} .*conflicts with existing route 10\\.20\\.7\\.0/24 -> nat-0b$`,
          ),
        },
        {
          name: "accepter route: IPv6 block to another pcx",
          input: {
            requesterCidrs: ["10.20.0.0/16", "fd00:16::/48"],
            accepterTables: [accepterMain(route("fd00:16::/48", OTHER_PCX))],
          },
          action: "reject",
          rule: "shared",
          reason: /fd00:16::\/48 conflicts with existing route fd00:16::\/48/,
        },
        {
          name: "requester route: same block to a transit gateway",
          input: { requesterTables: [requesterMain(route("10.0.0.0/16", "tgw-0r"))] },
          action: "reject",
          rule: "shared",
          reason: new RegExp(
            `^requester ${R_MAIN} \\(222222222222 us-east-1\\): 10\\.0\\.0\\.0/16 conflicts with existing route 10\\.0\\.0\\.0/16 -> tgw-0r$`,
          ),
        },
        {
          name: "requester route: broader route to another pcx",
          input: { requesterTables: [requesterMain(route("10.0.0.0/8", OTHER_PCX))] },
          action: "reject",
          rule: "shared",
          reason: /requester .*10\.0\.0\.0\/16 conflicts with existing route 10\.0\.0\.0\/8/,
        },
        {
          name: "requester route: accepter IPv6 block more specific to an ENI",
          input: {
            accepterCidrs: ["10.0.0.0/16", "fd00:aa::/56"],
            requesterTables: [requesterMain(route("fd00:aa:0:1::/64", "eni-0r"))],
          },
          action: "reject",
          rule: "shared",
          reason: /requester .*fd00:aa::\/56 conflicts with existing route fd00:aa:0:1::\/64 -> eni-0r/,
        },
        {
          name: "route in the way although this connection's own route is already there",
          input: {
            accepterTables: [
              accepterMain(route("10.20.0.0/16", CONNECTION_ID), route("10.20.1.0/24", OTHER_PCX)),
            ],
          },
          action: "reject",
          rule: "shared",
          reason: /conflicts with existing route 10\.20\.1\.0\/24/,
        },
      ],
      (r) => `${r.name} → ${r.action}`,
    ),
  )("%s", (_, { input, action, rule, reason }) => {
    const decision = decide(facts(input), POLICY);
    expect(decision.action).toBe(action);
    expect(decision.rule).toBe(rule);
    expect(decision.reasons).toContainEqual(expect.stringMatching(reason));
    if (action !== "accept") expect(decision.reasons.join("\n")).not.toMatch(/approves requester/);
  });

  it("a rejected conflict keeps the plan, so the record can name the route in the way", () => {
    const decision = decide(
      facts({ requesterTables: [requesterMain(route("10.0.0.0/16", "tgw-0r"))] }),
      POLICY,
    );
    expect(planOf(decision)).toEqual([
      `accepter ${A_MAIN} 10.20.0.0/16 create`,
      `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
      `requester ${R_MAIN} 10.0.0.0/16 conflict`,
    ]);
    const nothingDone: Outcome = { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
    expect(toDecisionRecord(decision, nothingDone).routes.conflicting).toEqual([
      {
        side: "requester",
        account: "222222222222",
        region: "us-east-1",
        routeTableId: R_MAIN,
        destination: "10.0.0.0/16",
        conflictsWith: "10.0.0.0/16 -> tgw-0r",
      },
    ]);
  });
});

describe("decide: approved requests", () => {
  it.each(
    named<{ name: string; input: FactsInput; plan: string[] }>([
      {
        name: "routes on both sides",
        input: {},
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.0.0.0/16 create`,
        ],
      },
      {
        name: "secondary and IPv6 CIDRs on both sides",
        input: {
          requesterCidrs: ["10.20.0.0/16", "10.21.0.0/16", "fd00:16:1::/48"],
          accepterCidrs: ["10.0.0.0/16", "fd00:aa::/56"],
          requesterTables: [requesterMain(route("::/0", "eigw-0r"))],
        },
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_MAIN} 10.21.0.0/16 create`,
          `accepter ${A_MAIN} fd00:16:1::/48 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.21.0.0/16 create`,
          `accepter ${A_PARTNERS} fd00:16:1::/48 create`,
          `requester ${R_MAIN} 10.0.0.0/16 create`,
          `requester ${R_MAIN} fd00:aa::/56 create`,
        ],
      },
      {
        name: "routes already there are present",
        input: {
          accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID)), accepterPartners()],
          requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
        },
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 present`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.0.0.0/16 present`,
        ],
      },
      {
        name: "broader routes to gateways are no conflict",
        input: {
          accepterTables: [accepterMain(route("10.0.0.0/8", "tgw-0a"), route("::/0", "eigw-0a"))],
          requesterTables: [requesterMain(route("10.0.0.0/8", "tgw-0r"))],
        },
        plan: [`accepter ${A_MAIN} 10.20.0.0/16 create`, `requester ${R_MAIN} 10.0.0.0/16 create`],
      },
      {
        name: "the accepter CIDRs are the authoritative ones, not the connection's",
        input: { connectionAccepterCidrs: ["10.20.0.0/16"], accepterCidrs: ["10.1.0.0/16"] },
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.1.0.0/16 create`,
        ],
      },
    ]),
  )("%s", (_, { input, plan }) => {
    const f = facts(input);
    const decision = decide(f, POLICY);
    expect(decision.action).toBe("accept");
    expect(decision.rule).toBe("shared");
    expect(decision.connectionId).toBe(CONNECTION_ID);
    expect(decision.status).toBe("pending-acceptance");
    expect(decision.reasons[0]).toBe(
      `rule 'shared' approves requester 222222222222 us-east-1 vpc-0a1b2c3d4e5f60001 with CIDRs ${f.connection.requester.cidrs.join(", ")}`,
    );
    expect(decision.accepter.cidrs).toEqual(f.accepterCidrs);
    expect(decision.requester.cidrs).toEqual(f.connection.requester.cidrs);
    expect(decision.unmanaged).toEqual({});
    expect(planOf(decision)).toEqual(plan);
    expect(
      decision.plan.filter((p) => p.side === "accepter").every((p) => p.account === "111111111111"),
    ).toBe(true);
    expect(
      decision.plan.filter((p) => p.side === "requester").every((p) => p.account === "222222222222"),
    ).toBe(true);
  });

  it("requester route tables unreadable: accept, accepter routes only, requester side unmanaged", () => {
    const decision = decide(facts({ requesterTables: { unreadable: "no role in 222222222222" } }), POLICY);
    expect(decision.action).toBe("accept");
    expect(decision.rule).toBe("shared");
    expect(decision.unmanaged).toEqual({ requester: "no role in 222222222222" });
    expect(planOf(decision)).toEqual([
      `accepter ${A_MAIN} 10.20.0.0/16 create`,
      `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
    ]);
    expect(decision.reasons).toContain("requester side not managed: no role in 222222222222");
    expect(decision.reasons.join("\n")).not.toMatch(/no requester route table matches/);
  });
});

describe("decide: requests no rule approves", () => {
  it.each(
    named<{
      name: string;
      input: FactsInput;
      unmatched: "reject" | "ignore";
      action: string;
      reason: string;
    }>(
      [
        {
          name: "CIDR outside the allowlist, unmatched reject",
          input: { requesterCidrs: ["10.99.0.0/16"] },
          unmatched: "reject",
          action: "reject",
          reason: "rule 'shared': requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12, fd00:16::/32",
        },
        {
          name: "CIDR outside the allowlist, unmatched ignore",
          input: { requesterCidrs: ["10.99.0.0/16"] },
          unmatched: "ignore",
          action: "ignore",
          reason: "rule 'shared': requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12, fd00:16::/32",
        },
        {
          name: "one of two CIDRs outside the allowlist",
          input: { requesterCidrs: ["10.20.0.0/16", "100.64.8.0/22"] },
          unmatched: "reject",
          action: "reject",
          reason: "rule 'shared': requester CIDR 100.64.8.0/22 is not inside 10.16.0.0/12, fd00:16::/32",
        },
        {
          name: "requester account no rule names",
          input: { requesterAccount: "999999999999" },
          unmatched: "reject",
          action: "reject",
          reason: "rule 'partner': requester account 999999999999 is not listed",
        },
        {
          name: "accepter region the rule does not list",
          input: { accepterRegion: "eu-west-1" },
          unmatched: "ignore",
          action: "ignore",
          reason: "rule 'shared': accepter region eu-west-1 is not listed",
        },
      ],
      (r) => `${r.name} → ${r.action}`,
    ),
  )("%s", (_, { input, unmatched, action, reason }) => {
    const decision = decide(facts(input), unmatched === "reject" ? POLICY : IGNORING);
    expect(decision.action).toBe(action);
    expect(decision.rule).toBeUndefined();
    expect(decision.reasons[0]).toBe("no rule approves this request");
    expect(decision.reasons).toContain(reason);
    expect(decision.reasons).toHaveLength(1 + RULES.length);
    expect(decision.plan).toEqual([]);
  });

  it.each(
    named(
      [
        { unmatched: "reject" as const, action: "reject" },
        { unmatched: "ignore" as const, action: "ignore" },
      ],
      (r) => `an empty policy: unmatched ${r.unmatched} → ${r.action}`,
    ),
  )("%s", (_, { unmatched, action }) => {
    const decision = decide(facts(), policy([], unmatched));
    expect(decision.action).toBe(action);
    expect(decision.reasons).toEqual(["no rule approves this request", "the policy has no rules"]);
  });
});

describe("decide: active connections", () => {
  it.each(
    named<{
      name: string;
      input: FactsInput;
      action: string;
      reason: RegExp;
      plan: string[];
      findings: string[];
    }>([
      {
        name: "governed: maintain (ensure routes)",
        input: { accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))] },
        action: "maintain",
        reason: /^rule 'shared' governs this connection$/,
        plan: [`accepter ${A_MAIN} 10.20.0.0/16 present`, `requester ${R_MAIN} 10.0.0.0/16 create`],
        findings: [],
      },
      {
        name: "governed with a conflicting route: maintain, the conflict is reported",
        input: { requesterTables: [requesterMain(route("10.0.0.0/16", OTHER_PCX))] },
        action: "maintain",
        reason: /10\.0\.0\.0\/16 conflicts with existing route 10\.0\.0\.0\/16/,
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.0.0.0/16 conflict`,
        ],
        findings: ["route-conflict"],
      },
      {
        name: "a CIDR added that the rule does not allow: only the allowed one is routed",
        input: { requesterCidrs: ["10.20.0.0/16", "10.99.0.0/16"] },
        action: "maintain",
        reason: /^requester CIDR 10\.99\.0\.0\/16 is not inside 10\.16\.0\.0\/12, fd00:16::\/32: not routed$/,
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.0.0.0/16 create`,
        ],
        findings: ["cidr-not-allowed"],
      },
      {
        name: "no rule allows any of its CIDRs: outside policy",
        input: { requesterCidrs: ["10.99.0.0/16"] },
        action: "ignore",
        reason: /^active connection outside policy/,
        plan: [],
        findings: ["outside-policy"],
      },
      {
        name: "requester account not listed: outside policy",
        input: { requesterAccount: "999999999999" },
        action: "ignore",
        reason: /^active connection outside policy/,
        plan: [],
        findings: ["outside-policy"],
      },
    ]),
  )("%s", (_, { input, action, reason, plan, findings }) => {
    const decision = decide(facts({ status: "active", ...input }), POLICY);
    expect(decision.status).toBe("active");
    expect(decision.action).toBe(action);
    expect(decision.reasons).toContainEqual(expect.stringMatching(reason));
    expect(planOf(decision)).toEqual(plan);
    expect(decision.findings).toEqual(findings);
  });

  it("removes routes to the connection that the plan no longer wants, and nothing else", () => {
    const decision = decide(
      facts({
        status: "active",
        accepterTables: [
          accepterMain(route("10.20.0.0/16", CONNECTION_ID), route("10.21.0.0/16", CONNECTION_ID)),
          accepterPartners(route("10.21.0.0/16", OTHER_PCX)),
        ],
      }),
      POLICY,
    );
    expect(decision.removals).toEqual([
      {
        side: "accepter",
        account: "111111111111",
        region: "us-east-1",
        routeTableId: A_MAIN,
        destination: "10.21.0.0/16",
      },
    ]);
  });

  it("enables DNS resolution on each managed side where the rule asks and it is off", () => {
    const dnsPolicy = policy([{ ...RULES[0], dnsResolution: true }]);
    const decision = decide(
      facts({ status: "active", dnsResolution: { requester: true, accepter: false } }),
      dnsPolicy,
    );
    expect(decision.dns.map((d) => `${d.side} ${d.status}`)).toEqual([
      "accepter enable",
      "requester present",
    ]);
    expect(decide(facts({ status: "active" }), POLICY).dns).toEqual([]);
  });
});

describe("decide: the rule that approved a request keeps governing it once active", () => {
  const narrowFirst = policy([
    {
      name: "narrow",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    },
    {
      name: "wide",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
    },
  ]);
  const cidrs = ["10.20.0.0/16", "10.21.0.0/16"];

  it("accepts by the first rule holding every CIDR, and maintains by that same rule", () => {
    const pending = decide(facts({ requesterCidrs: cidrs }), narrowFirst);
    const active = decide(facts({ status: "active", requesterCidrs: cidrs }), narrowFirst);
    expect([pending.action, pending.rule]).toEqual(["accept", "wide"]);
    expect([active.action, active.rule, active.findings]).toEqual(["maintain", "wide", []]);
    expect(planOf(active)).toEqual(planOf(pending));
  });

  it("keeps the rule its tag records when no rule holds every CIDR any more", () => {
    const decision = decide(
      facts({
        status: "active",
        requesterCidrs: ["10.20.0.0/16", "192.168.0.0/16"],
        tags: { [`${TAG_PREFIX}rule`]: "wide" },
      }),
      narrowFirst,
    );
    expect([decision.rule, decision.findings]).toEqual(["wide", ["cidr-not-allowed"]]);
  });
});

describe("decide: a rejected request", () => {
  it("removes the routes that already target it", () => {
    const decision = decide(
      facts({
        requesterCidrs: ["10.99.0.0/16"],
        requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
      }),
      POLICY,
    );
    expect(decision.action).toBe("reject");
    expect(decision.removals.map((r) => `${r.side} ${r.routeTableId} ${r.destination}`)).toEqual([
      `requester ${R_MAIN} 10.0.0.0/16`,
    ]);
  });
});

describe("decide: dead connections", () => {
  it.each(["deleted", "rejected", "expired", "failed"])(
    "%s: every route that targets it is removed",
    (status) => {
      const decision = decide(
        facts({
          status,
          accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID)), accepterPartners()],
          requesterTables: [
            requesterMain(route("10.0.0.0/16", CONNECTION_ID), route("10.1.0.0/16", OTHER_PCX)),
          ],
        }),
        POLICY,
      );
      expect(decision.action).toBe("cleanup");
      expect(decision.plan).toEqual([]);
      expect(decision.removals.map((r) => `${r.side} ${r.routeTableId} ${r.destination}`)).toEqual([
        `accepter ${A_MAIN} 10.20.0.0/16`,
        `requester ${R_MAIN} 10.0.0.0/16`,
      ]);
    },
  );

  it("is ignored when no route targets it any more, and a side it cannot read is reported", () => {
    const decision = decide(facts({ status: "deleted", requesterTables: { unreadable: "no role" } }), POLICY);
    expect(decision.action).toBe("ignore");
    expect(decision.unmanaged).toEqual({ requester: "no role" });
  });
});

describe("decide: route table selection", () => {
  it.each(
    named<{ name: string; input: FactsInput; rule: string; plan: string[]; note?: string; noNote?: RegExp }>([
      {
        name: "main on both sides",
        input: {
          requesterAccount: "444444444444",
          requesterCidrs: ["10.44.0.0/16"],
          requesterTables: [
            requesterMain(),
            table("rtb-0request00000other", [route("10.20.0.0/16", "local")]),
          ],
        },
        rule: "main-only",
        plan: [`accepter ${A_MAIN} 10.44.0.0/16 create`, `requester ${R_MAIN} 10.0.0.0/16 create`],
      },
      {
        name: "tags on the accepter, none on the requester",
        input: {
          requesterAccount: "333333333333",
          requesterCidrs: ["172.20.0.0/16"],
          requesterTables: [requesterMain(route("10.0.0.0/16", OTHER_PCX))],
        },
        rule: "partner",
        plan: [`accepter ${A_PARTNERS} 172.20.0.0/16 create`],
        noNote: /no requester route table matches/,
      },
      {
        name: "a conflict in a table the rule does not select is ignored",
        input: {
          requesterAccount: "333333333333",
          requesterCidrs: ["172.20.0.0/16"],
          accepterTables: [accepterMain(route("172.20.0.0/16", OTHER_PCX)), accepterPartners()],
        },
        rule: "partner",
        plan: [`accepter ${A_PARTNERS} 172.20.0.0/16 create`],
      },
      {
        name: "tags that match no table: accepted, with a note",
        input: { requesterAccount: "555555555555", requesterCidrs: ["10.55.0.0/16"] },
        rule: "nothing-tagged",
        plan: [],
        note: `no accepter route table matches the rule's selection {"tags":{"peering":"nobody"}}`,
      },
    ]),
  )("%s", (_, { input, rule, plan, note, noNote }) => {
    const decision = decide(facts(input), POLICY);
    expect(decision.action).toBe("accept");
    expect(decision.rule).toBe(rule);
    expect(planOf(decision)).toEqual(plan);
    if (note) expect(decision.reasons).toContain(note);
    if (noNote) expect(decision.reasons.join("\n")).not.toMatch(noNote);
  });
});

describe("decisionTags", () => {
  const NOW = new Date("2026-11-20T09:14:03.000Z");
  const decided = (action: Decision["action"], rule?: string): Decision => ({
    ...decide(facts(), POLICY),
    action,
    ...(rule ? { rule } : { rule: undefined }),
  });
  const tags = (decision: string, rule: string) => ({
    [`${TAG_PREFIX}decision`]: decision,
    [`${TAG_PREFIX}rule`]: rule,
    [`${TAG_PREFIX}decided-at`]: "2026-11-19T00:00:00.000Z",
  });
  const fresh = (decision: string, rule: string) => ({
    [`${TAG_PREFIX}decision`]: decision,
    [`${TAG_PREFIX}rule`]: rule,
    [`${TAG_PREFIX}decided-at`]: NOW.toISOString(),
  });

  it.each(
    named<{
      name: string;
      decision: Decision;
      current: Record<string, string>;
      expected: Record<string, string>;
    }>([
      { name: "ignore: never tagged", decision: decided("ignore"), current: {}, expected: {} },
      {
        name: "ignore over an old decision: left alone",
        decision: decided("ignore"),
        current: tags("accept", "shared"),
        expected: {},
      },
      {
        name: "accept, untagged",
        decision: decided("accept", "shared"),
        current: {},
        expected: fresh("accept", "shared"),
      },
      {
        name: "accept, unrelated tags only",
        decision: decided("accept", "shared"),
        current: { Name: "to-payments" },
        expected: fresh("accept", "shared"),
      },
      {
        name: "accept, already tagged the same",
        decision: decided("accept", "shared"),
        current: tags("accept", "shared"),
        expected: {},
      },
      {
        name: "accept, tagged with another rule",
        decision: decided("accept", "shared"),
        current: tags("accept", "partner"),
        expected: fresh("accept", "shared"),
      },
      {
        name: "accept, previously rejected",
        decision: decided("accept", "shared"),
        current: tags("reject", "none"),
        expected: fresh("accept", "shared"),
      },
      {
        name: "reject without a rule",
        decision: decided("reject"),
        current: {},
        expected: fresh("reject", "none"),
      },
      {
        name: "reject without a rule, already tagged",
        decision: decided("reject"),
        current: tags("reject", "none"),
        expected: {},
      },
      {
        name: "reject by a rule (route conflict)",
        decision: decided("reject", "shared"),
        current: tags("reject", "none"),
        expected: fresh("reject", "shared"),
      },
    ]),
  )("%s", (_, { decision, current, expected }) => {
    expect(decisionTags(decision, current, NOW)).toEqual(expected);
  });
});

describe("decide: what each outcome reports and asks for", () => {
  // Every rule asks for DNS, so a decision without DNS changes shows that its outcome asks for none.
  const dnsRules = RULES.map((r) => ({ ...r, dnsResolution: true }));
  const DNS_REJECTING = policy(dnsRules);
  const DNS_IGNORING = policy(dnsRules, "ignore");

  it.each(
    named<{
      name: string;
      input: FactsInput;
      policy: Policy;
      action: Decision["action"];
      findings: Finding[];
      dns: string[];
    }>(
      [
        {
          name: "in transit",
          input: { status: "provisioning" },
          policy: DNS_REJECTING,
          action: "ignore",
          findings: [],
          dns: [],
        },
        {
          name: "pending, no requester CIDR",
          input: { requesterCidrs: [] },
          policy: DNS_REJECTING,
          action: "reject",
          findings: ["rejected"],
          dns: [],
        },
        {
          name: "pending, no accepter CIDR",
          input: { accepterCidrs: [] },
          policy: DNS_REJECTING,
          action: "reject",
          findings: ["rejected"],
          dns: [],
        },
        {
          name: "pending, overlapping CIDRs",
          input: { accepterCidrs: ["10.20.0.0/16"] },
          policy: DNS_REJECTING,
          action: "reject",
          findings: ["rejected"],
          dns: [],
        },
        {
          name: "pending, CIDR outside the allowlist, unmatched reject",
          input: { requesterCidrs: ["10.99.0.0/16"] },
          policy: DNS_REJECTING,
          action: "reject",
          findings: ["rejected"],
          dns: [],
        },
        {
          name: "pending, CIDR outside the allowlist, unmatched ignore",
          input: { requesterCidrs: ["10.99.0.0/16"] },
          policy: DNS_IGNORING,
          action: "ignore",
          findings: ["outside-policy"],
          dns: [],
        },
        {
          name: "pending, empty policy, unmatched ignore",
          input: {},
          policy: policy([], "ignore"),
          action: "ignore",
          findings: ["outside-policy"],
          dns: [],
        },
        {
          name: "pending, approved but a route is in the way",
          input: { requesterTables: [requesterMain(route("10.0.0.0/16", "tgw-0r"))] },
          policy: DNS_REJECTING,
          action: "reject",
          findings: ["rejected", "route-conflict"],
          dns: [],
        },
        {
          name: "pending, approved",
          input: {},
          policy: DNS_REJECTING,
          action: "accept",
          findings: [],
          dns: ["accepter enable", "requester enable"],
        },
        {
          name: "active, governed",
          input: { status: "active", dnsResolution: { requester: true, accepter: true } },
          policy: DNS_REJECTING,
          action: "maintain",
          findings: [],
          dns: ["accepter present", "requester present"],
        },
        {
          name: "active, outside policy",
          input: { status: "active", requesterCidrs: ["10.99.0.0/16"] },
          policy: DNS_REJECTING,
          action: "ignore",
          findings: ["outside-policy"],
          dns: [],
        },
        {
          name: "deleted, a route still targets it",
          input: { status: "deleted", requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))] },
          policy: DNS_REJECTING,
          action: "cleanup",
          findings: [],
          dns: [],
        },
        {
          name: "rejected, no route targets it",
          input: { status: "rejected" },
          policy: DNS_REJECTING,
          action: "ignore",
          findings: [],
          dns: [],
        },
      ],
      (r) => `${r.name} → ${r.action}, findings [${r.findings.join(", ")}], dns [${r.dns.join(", ")}]`,
    ),
  )("%s", (_, { input, policy: p, action, findings, dns }) => {
    const decision = decide(facts(input), p);
    expect(decision.action).toBe(action);
    expect(decision.findings).toEqual(findings);
    expect(decision.dns.map((d) => `${d.side} ${d.status}`)).toEqual(dns);
  });
});

describe("decide: the reasons of a dead connection", () => {
  it.each(
    named<{ name: string; input: FactsInput; reasons: string[] }>([
      {
        name: "deleted, one route on each side",
        input: {
          status: "deleted",
          accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID)), accepterPartners()],
          requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
        },
        reasons: ["connection is deleted; 2 route(s) still target it"],
      },
      {
        name: "expired, no route left",
        input: { status: "expired" },
        reasons: ["connection is expired; 0 route(s) still target it"],
      },
      {
        name: "failed, requester side unreadable",
        input: {
          status: "failed",
          accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
          requesterTables: { unreadable: "no role in 222222222222" },
        },
        reasons: [
          "connection is failed; 1 route(s) still target it",
          "requester side not managed: no role in 222222222222",
        ],
      },
      {
        name: "rejected, neither side readable",
        input: {
          status: "rejected",
          accepterTables: { unreadable: "access denied" },
          requesterTables: { unreadable: "no role in 222222222222" },
        },
        reasons: [
          "connection is rejected; 0 route(s) still target it",
          "accepter side not managed: access denied",
          "requester side not managed: no role in 222222222222",
        ],
      },
    ]),
  )("%s", (_, { input, reasons }) => {
    expect(decide(facts(input), POLICY).reasons).toEqual(reasons);
  });
});

describe("decide: the note when a rule's selection routes nothing", () => {
  const approval = (account: string, cidr: string, rule: string) =>
    `rule '${rule}' approves requester ${account} us-east-1 vpc-0a1b2c3d4e5f60001 with CIDRs ${cidr}`;

  it.each(
    named<{ name: string; input: FactsInput; reasons: string[]; plan: string[] }>([
      {
        name: "tables selected on both sides: no note",
        input: {},
        reasons: [approval("222222222222", "10.20.0.0/16", "shared")],
        plan: [
          `accepter ${A_MAIN} 10.20.0.0/16 create`,
          `accepter ${A_PARTNERS} 10.20.0.0/16 create`,
          `requester ${R_MAIN} 10.0.0.0/16 create`,
        ],
      },
      {
        name: "routes already present on both sides: no note",
        input: {
          accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
          requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
        },
        reasons: [approval("222222222222", "10.20.0.0/16", "shared")],
        plan: [`accepter ${A_MAIN} 10.20.0.0/16 present`, `requester ${R_MAIN} 10.0.0.0/16 present`],
      },
      {
        name: "accepter tags match no table: a note for the accepter side",
        input: { requesterAccount: "555555555555", requesterCidrs: ["10.55.0.0/16"] },
        reasons: [
          approval("555555555555", "10.55.0.0/16", "nothing-tagged"),
          `no accepter route table matches the rule's selection {"tags":{"peering":"nobody"}}`,
        ],
        plan: [],
      },
      {
        name: "requester has no main table: a note for the requester side",
        input: {
          requesterAccount: "444444444444",
          requesterCidrs: ["10.44.0.0/16"],
          requesterTables: [table("rtb-0request00000other", [route("10.20.0.0/16", "local")])],
        },
        reasons: [
          approval("444444444444", "10.44.0.0/16", "main-only"),
          `no requester route table matches the rule's selection "main"`,
        ],
        plan: [`accepter ${A_MAIN} 10.44.0.0/16 create`],
      },
      {
        name: "requester selection none: no note",
        input: { requesterAccount: "333333333333", requesterCidrs: ["172.20.0.0/16"] },
        reasons: [approval("333333333333", "172.20.0.0/16", "partner")],
        plan: [`accepter ${A_PARTNERS} 172.20.0.0/16 create`],
      },
      {
        name: "requester side unreadable: why, and no note",
        input: { requesterTables: { unreadable: "no role in 222222222222" } },
        reasons: [
          approval("222222222222", "10.20.0.0/16", "shared"),
          "requester side not managed: no role in 222222222222",
        ],
        plan: [`accepter ${A_MAIN} 10.20.0.0/16 create`, `accepter ${A_PARTNERS} 10.20.0.0/16 create`],
      },
      {
        name: "active with no accepter CIDR known: the requester side is left as it is, and why",
        input: { status: "active", accepterCidrs: [] },
        reasons: [
          "rule 'shared' governs this connection",
          "requester side not changed: the peer VPC's CIDRs could not be read",
        ],
        plan: [`accepter ${A_MAIN} 10.20.0.0/16 create`, `accepter ${A_PARTNERS} 10.20.0.0/16 create`],
      },
    ]),
  )("%s", (_, { input, reasons, plan }) => {
    const decision = decide(facts(input), POLICY);
    expect(decision.reasons).toEqual(reasons);
    expect(planOf(decision)).toEqual(plan);
  });

  it("keeps the requester's routes of an active connection whose accepter CIDRs could not be read", () => {
    // A VPC always has a CIDR: none read means DescribeVpcs did not show it, not that routes should go.
    const routed = facts({ status: "active" });
    const requesterRoutes = decide(routed, POLICY).plan.filter((r) => r.side === "requester");
    expect(requesterRoutes.length).toBeGreaterThan(0);
    const tables = routed.requesterRouteTables.readable ? routed.requesterRouteTables.tables : [];
    const withRoutes = tables.map((table) => ({
      ...table,
      routes: [
        ...table.routes,
        ...requesterRoutes
          .filter((r) => r.routeTableId === table.id)
          .map((r) => ({ destination: r.destination, target: routed.connection.id, state: "active" })),
      ],
    }));
    const unread = {
      ...routed,
      accepterCidrs: [],
      requesterRouteTables: { readable: true as const, tables: withRoutes },
    };

    const decision = decide(unread, POLICY);

    expect(decision.action).toBe("maintain");
    expect(decision.removals.filter((r) => r.side === "requester")).toEqual([]);
    expect(decision.unmanaged).toEqual({ requester: "the peer VPC's CIDRs could not be read" });
  });
});

describe("decisionTags: the tags on the connection", () => {
  const NOW = new Date("2026-11-20T09:14:03.000Z");
  const decided = (action: Decision["action"], rule?: string): Decision => ({
    ...decide(facts(), POLICY),
    action,
    ...(rule ? { rule } : { rule: undefined }),
  });

  it.each(
    named<{
      name: string;
      decision: Decision;
      current: Record<string, string>;
      expected: Record<string, string>;
    }>([
      {
        name: "accept: under the peering-autopilot: prefix",
        decision: decided("accept", "shared"),
        current: {},
        expected: {
          "peering-autopilot:decision": "accept",
          "peering-autopilot:rule": "shared",
          "peering-autopilot:decided-at": "2026-11-20T09:14:03.000Z",
        },
      },
      {
        name: "maintain, untagged (accepted by hand): recorded as accepted by its rule",
        decision: decided("maintain", "shared"),
        current: {},
        expected: {
          "peering-autopilot:decision": "accept",
          "peering-autopilot:rule": "shared",
          "peering-autopilot:decided-at": "2026-11-20T09:14:03.000Z",
        },
      },
      {
        name: "maintain, governed by another rule than its tag says",
        decision: decided("maintain", "wide"),
        current: {
          "peering-autopilot:decision": "accept",
          "peering-autopilot:rule": "narrow",
          "peering-autopilot:decided-at": "2026-11-19T00:00:00.000Z",
        },
        expected: {
          "peering-autopilot:decision": "accept",
          "peering-autopilot:rule": "wide",
          "peering-autopilot:decided-at": "2026-11-20T09:14:03.000Z",
        },
      },
      {
        name: "maintain, already tagged as accepted by its rule",
        decision: decided("maintain", "shared"),
        current: { "peering-autopilot:decision": "accept", "peering-autopilot:rule": "shared" },
        expected: {},
      },
      {
        name: "reject: under the peering-autopilot: prefix",
        decision: decided("reject"),
        current: { Name: "to-payments" },
        expected: {
          "peering-autopilot:decision": "reject",
          "peering-autopilot:rule": "none",
          "peering-autopilot:decided-at": "2026-11-20T09:14:03.000Z",
        },
      },
      { name: "cleanup: never tagged", decision: decided("cleanup"), current: {}, expected: {} },
    ]),
  )("%s", (_, { decision, current, expected }) => {
    expect(decisionTags(decision, current, NOW)).toEqual(expected);
  });

  it("an active connection is governed by the rule its peering-autopilot:rule tag names", () => {
    const rules = [
      {
        name: "narrow",
        accepter: { accounts: ["111111111111"] },
        requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
      },
      {
        name: "wide",
        accepter: { accounts: ["111111111111"] },
        requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
      },
    ];
    const tagged = (rule: string) =>
      facts({
        status: "active",
        requesterCidrs: ["10.20.0.0/16", "192.168.0.0/16"],
        tags: { "peering-autopilot:rule": rule },
      });
    expect(decide(tagged("wide"), policy(rules)).rule).toBe("wide");
    expect(decide(tagged("narrow"), policy([...rules].reverse())).rule).toBe("narrow");
  });
});
