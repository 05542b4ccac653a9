import { describe, expect, it } from "vitest";
import { formatDecision } from "../../bin/format-decision";
import { formatPlanView, toPlanView } from "../../bin/plan-view";
import { changesOf, hasChanges } from "../../shared/decision/changes";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import { PolicySchema } from "../../shared/policy/schema";
import { readsSecurityGroups } from "../../shared/policy/security-groups";
import { ruleKey } from "../../shared/security-groups/rule-key";
import { toDecisionRecord } from "../../shared/workflow/decision-record";
import {
  CONNECTION_ID,
  type FactsInput,
  facts,
  group,
  named,
  OTHER_PCX,
  policy,
  subnet,
} from "../helpers/facts";

// The accepter VPC is 10.0.0.0/16 and fd00:a::/56; the requester VPC 10.20.0.0/16 and fd00:14::/56.
const BASE_RULE = {
  name: "pay",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16", "fd00:14::/48"] },
  routes: { accepter: "main", requester: "main" },
};
const OPEN = {
  accepter: { tags: { Peering: "payments" } },
  requester: "none",
  ingress: [{ protocol: "tcp", ports: [443, "8000-8100"] }],
};
const CLOSED = { accepter: "none", requester: "none", ingress: [] };
const withGroups = (securityGroups: unknown, routes: unknown = BASE_RULE.routes) =>
  policy([{ ...BASE_RULE, routes, securityGroups }]);

const PAYMENTS = "sg-000000000000000a1";
const paymentsGroup = (options: Parameters<typeof group>[1] = {}) =>
  group(PAYMENTS, { tags: { Peering: "payments" }, ...options });

const decideWith = (input: FactsInput, securityGroups: unknown = OPEN, routes?: unknown) =>
  decide(
    facts({
      accepterCidrs: ["10.0.0.0/16", "fd00:a::/56"],
      requesterCidrs: ["10.20.0.0/16", "fd00:14::/56"],
      accepterGroups: [paymentsGroup()],
      requesterGroups: [],
      ...input,
    }),
    withGroups(securityGroups, routes),
  );

const planned = (decision: Decision) =>
  (decision.securityGroupRules?.plan ?? []).map(
    (r) => `${r.side} ${r.groupId} ${r.protocol} ${r.fromPort}:${r.toPort} ${r.cidr} ${r.status}`,
  );
const revoked = (decision: Decision) => (decision.securityGroupRules?.revoke ?? []).map((r) => r.ruleId);

describe("the policy's securityGroups", () => {
  it("defaults to none on both sides, and then nothing is read", () => {
    const parsed = withGroups(undefined);
    expect(parsed.rules[0]?.securityGroups).toEqual({ accepter: "none", requester: "none", ingress: [] });
    expect(readsSecurityGroups(parsed)).toBe(false);
    expect(readsSecurityGroups(withGroups(OPEN))).toBe(true);
  });

  it("reads ports and ranges, and protocols without ports", () => {
    const parsed = withGroups({
      requester: { ids: ["sg-0123456789abcdef0", "sg-01234567"] },
      ingress: [
        { protocol: "tcp", ports: [0, 443, "443", "8000-8100", "65535"] },
        { protocol: "icmp" },
        { protocol: "all" },
      ],
    });
    expect(parsed.rules[0]?.securityGroups).toEqual({
      accepter: "none",
      requester: { ids: ["sg-0123456789abcdef0", "sg-01234567"] },
      ingress: [
        {
          protocol: "tcp",
          ports: [
            { from: 0, to: 0 },
            { from: 443, to: 443 },
            { from: 443, to: 443 },
            { from: 8000, to: 8100 },
            { from: 65535, to: 65535 },
          ],
        },
        { protocol: "icmp" },
        { protocol: "all" },
      ],
    });
  });

  it.each(
    named([
      {
        name: "a port above 65535",
        message: "'65536' is not a port 0-65535",
        groups: { ...OPEN, ingress: [{ protocol: "tcp", ports: [65536] }] },
      },
      {
        name: "a negative port",
        message: "'-1' is not a port 0-65535",
        groups: { ...OPEN, ingress: [{ protocol: "tcp", ports: [-1] }] },
      },
      {
        name: "a fractional port",
        message: "'44.3' is not a port 0-65535",
        groups: { ...OPEN, ingress: [{ protocol: "tcp", ports: [44.3] }] },
      },
      {
        name: "a range written backwards",
        message: "range '8100-8000' runs backwards",
        groups: { ...OPEN, ingress: [{ protocol: "udp", ports: ["8100-8000"] }] },
      },
      {
        name: "a range past 65535",
        message: "'60000-70000' is not a port 0-65535",
        groups: { ...OPEN, ingress: [{ protocol: "udp", ports: ["60000-70000"] }] },
      },
      {
        name: "a port that is a word",
        message: "'https' is not a port",
        groups: { ...OPEN, ingress: [{ protocol: "tcp", ports: ["https"] }] },
      },
      {
        name: "tcp without ports",
        message: "tcp needs ports",
        groups: { ...OPEN, ingress: [{ protocol: "tcp" }] },
      },
      {
        name: "an empty list of ports",
        message: "must list at least one entry",
        groups: { ...OPEN, ingress: [{ protocol: "tcp", ports: [] }] },
      },
      {
        name: "icmp with ports",
        message: "icmp takes no ports: it allows every type",
        groups: { ...OPEN, ingress: [{ protocol: "icmp", ports: [8] }] },
      },
      {
        name: "a protocol it does not know",
        message: "must be tcp, udp, icmp, icmpv6 or all",
        groups: { ...OPEN, ingress: [{ protocol: "sctp", ports: [1] }] },
      },
      {
        name: "no ingress while a side is opened",
        message: "list at least one protocol to open",
        groups: { accepter: OPEN.accepter },
      },
      {
        name: "an empty ingress while a side is opened",
        message: "list at least one protocol to open",
        groups: { ...OPEN, ingress: [] },
      },
      {
        name: "a side that is a word",
        message: "must be none, {tags: {Key: Value}} or {ids: [sg-...]}",
        groups: { ...OPEN, accepter: "all" },
      },
      {
        name: "tags with no tag named",
        message: "name at least one tag",
        groups: { ...OPEN, accepter: { tags: {} } },
      },
      {
        name: "an empty list of ids",
        message: "must list at least one entry",
        groups: { ...OPEN, accepter: { ids: [] } },
      },
      {
        name: "an id that is no security group id",
        message: "must be a security group id such as sg-0123456789abcdef0",
        groups: { ...OPEN, accepter: { ids: ["vpc-01234567"] } },
      },
      {
        name: "both ids and tags",
        message: "must be none",
        groups: { ...OPEN, accepter: { ids: ["sg-01234567"], tags: { A: "b" } } },
      },
      { name: "a key it does not know", message: "egress", groups: { ...OPEN, egress: [] } },
    ]),
  )("refuses %s", (_, { groups, message }) => {
    const parsed = PolicySchema.safeParse({ version: 1, rules: [{ ...BASE_RULE, securityGroups: groups }] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });
});

describe("ruleKey: rules compared as EC2 compares them", () => {
  it.each([
    [
      "a protocol by name or number",
      { protocol: "TCP", fromPort: 1, toPort: 2, cidr: "10.0.0.0/8" },
      { protocol: "6", fromPort: 1, toPort: 2, cidr: "10.0.0.0/8" },
    ],
    [
      "an IPv6 block however it is spelled",
      { protocol: "udp", fromPort: 53, toPort: 53, cidr: "FD00:0014:0::/56" },
      { protocol: "17", fromPort: 53, toPort: 53, cidr: "fd00:14::/56" },
    ],
    [
      "all traffic whatever its ports",
      { protocol: "-1", fromPort: 0, toPort: 65535, cidr: "10.0.0.0/8" },
      { protocol: "all", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" },
    ],
  ])("the same: %s", (_, a, b) => {
    expect(ruleKey(a)).toBe(ruleKey(b));
  });

  it.each([
    ["ports", { protocol: "tcp", fromPort: 443, toPort: 444, cidr: "10.0.0.0/8" }],
    ["protocol", { protocol: "udp", fromPort: 443, toPort: 443, cidr: "10.0.0.0/8" }],
    ["source", { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.0.0.0/9" }],
    ["a source that is no block", { protocol: "tcp", fromPort: 443, toPort: 443 }],
  ])("differs by %s", (_, other) => {
    expect(ruleKey(other)).not.toBe(
      ruleKey({ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.0.0.0/8" }),
    );
  });
});

describe("decide: the rules each side's groups need", () => {
  it("opens the selected groups to every routed peer block, IPv4 and IPv6, for each port range", () => {
    const decision = decideWith({ status: "active" });
    expect(decision.action).toBe("maintain");
    expect(planned(decision)).toEqual([
      `accepter ${PAYMENTS} tcp 443:443 10.20.0.0/16 create`,
      `accepter ${PAYMENTS} tcp 8000:8100 10.20.0.0/16 create`,
      `accepter ${PAYMENTS} tcp 443:443 fd00:14::/56 create`,
      `accepter ${PAYMENTS} tcp 8000:8100 fd00:14::/56 create`,
    ]);
    expect(hasChanges(changesOf(decision))).toBe(true);
  });

  it("plans rules for an accepted request, and creates none for one awaiting approval or rejected", () => {
    const accepted = decideWith({});
    expect(accepted.action).toBe("accept");
    expect(changesOf(accepted).securityGroupRules?.create).toHaveLength(4);

    const parked = decide(
      facts({ accepterCidrs: ["10.0.0.0/16"], accepterGroups: [paymentsGroup()], requesterGroups: [] }),
      policy([{ ...BASE_RULE, approval: "required", securityGroups: OPEN }]),
    );
    expect(parked.action).toBe("await-approval");
    expect(planned(parked)).toHaveLength(2);
    expect(changesOf(parked).securityGroupRules).toEqual({ create: [], revoke: [] });

    const rejected = decideWith({ requesterCidrs: ["10.0.128.0/20"] });
    expect(rejected.action).toBe("reject");
    expect(changesOf(rejected).securityGroupRules?.create ?? []).toEqual([]);
  });

  it("takes the sources from the destinations this side's tables route (reach), not the whole peer VPC", () => {
    const decision = decideWith(
      { status: "active", requesterSubnets: [subnet("subnet-0app", ["10.20.8.0/22"], { Tier: "app" })] },
      { ...OPEN, ingress: [{ protocol: "tcp", ports: [443] }] },
      { accepter: "main", requester: "main", reach: { requester: { subnets: { tags: { Tier: "app" } } } } },
    );
    expect(planned(decision)).toEqual([`accepter ${PAYMENTS} tcp 443:443 10.20.8.0/22 create`]);
  });

  it("admits ICMP from IPv4 sources, ICMPv6 from IPv6 ones, and all traffic from both", () => {
    const decision = decideWith(
      { status: "active" },
      { ...OPEN, ingress: [{ protocol: "icmp" }, { protocol: "icmpv6" }, { protocol: "all" }] },
    );
    expect(planned(decision)).toEqual([
      `accepter ${PAYMENTS} icmp -1:-1 10.20.0.0/16 create`,
      `accepter ${PAYMENTS} icmpv6 -1:-1 fd00:14::/56 create`,
      `accepter ${PAYMENTS} -1 -1:-1 10.20.0.0/16 create`,
      `accepter ${PAYMENTS} -1 -1:-1 fd00:14::/56 create`,
    ]);
  });

  it("opens the requester's groups to the accepter blocks, and groups named by id in the side's VPC only", () => {
    const resolver = group("sg-000000000000000d5");
    const decision = decideWith(
      { status: "active", requesterGroups: [resolver, group("sg-000000000000000ee")] },
      {
        requester: { ids: ["sg-000000000000000d5", "sg-00000000000000abc"] },
        ingress: [{ protocol: "udp", ports: [53] }],
      },
    );
    expect(planned(decision)).toEqual([
      "requester sg-000000000000000d5 udp 53:53 10.0.0.0/16 create",
      "requester sg-000000000000000d5 udp 53:53 fd00:a::/56 create",
    ]);
    expect(decision.reasons).toContain(
      "security group sg-00000000000000abc is not in the requester VPC vpc-0a1b2c3d4e5f60001: no rule is added to it",
    );
  });

  it("counts a rule someone else made as present, and says when no group carries the tags", () => {
    const present = decideWith({
      status: "active",
      accepterGroups: [paymentsGroup({ ingress: ["6 443 10.20.0.0/16", "tcp 8000:8100 FD00:14:0::/56"] })],
    });
    expect(planned(present).filter((line) => line.endsWith("present"))).toEqual([
      `accepter ${PAYMENTS} tcp 443:443 10.20.0.0/16 present`,
      `accepter ${PAYMENTS} tcp 8000:8100 fd00:14::/56 present`,
    ]);
    expect(revoked(present)).toEqual([]);

    const untagged = decideWith({ status: "active", accepterGroups: [group(PAYMENTS)] });
    expect(planned(untagged)).toEqual([]);
    expect(untagged.reasons).toContain(
      "no accepter security group is tagged Peering=payments: no rule is added",
    );
  });

  it.each(
    named([
      {
        name: "its source no longer routed",
        tagged: [`tcp 443 10.21.0.0/16 sgr-0old ${CONNECTION_ID}`],
        revoke: ["sgr-0old"],
      },
      {
        name: "its ports no longer listed",
        tagged: [
          `tcp 22 10.20.0.0/16 sgr-0ssh ${CONNECTION_ID}`,
          `tcp 443 10.20.0.0/16 sgr-0keep ${CONNECTION_ID}`,
        ],
        revoke: ["sgr-0ssh"],
      },
      {
        name: "made for another connection",
        tagged: [`tcp 22 10.20.0.0/16 sgr-0other ${OTHER_PCX}`],
        revoke: [],
      },
    ]),
  )("revokes the service's own rule for this connection: %s", (_, { tagged, revoke }) => {
    const decision = decideWith({ status: "active", accepterGroups: [paymentsGroup({ tagged })] });
    expect(revoked(decision)).toEqual(revoke);
    expect(planned(decision).filter((line) => line.includes("443:443 10.20.0.0/16"))).toEqual([
      `accepter ${PAYMENTS} tcp 443:443 10.20.0.0/16 ${tagged.some((t) => t.includes("sgr-0keep")) ? "present" : "create"}`,
    ]);
  });

  it("revokes its rules on a group no longer selected, and never an untagged one", () => {
    const retagged = group(PAYMENTS, {
      ingress: ["tcp 443 10.20.0.0/16"],
      tagged: [`tcp 8000:8100 10.20.0.0/16 sgr-0mine ${CONNECTION_ID}`],
    });
    const decision = decideWith({ status: "active", accepterGroups: [retagged] });
    expect(revoked(decision)).toEqual(["sgr-0mine"]);
    expect(planned(decision)).toEqual([]);
  });

  it("revokes a live connection's rules once its rule opens no group, and says nothing of groups otherwise", () => {
    const mine = paymentsGroup({ tagged: [`tcp 443 10.20.0.0/16 sgr-0mine ${CONNECTION_ID}`] });
    const withdrawn = decideWith({ status: "active", accepterGroups: [mine] }, CLOSED);
    expect(withdrawn.action).toBe("maintain");
    expect(revoked(withdrawn)).toEqual(["sgr-0mine"]);
    expect(hasChanges(changesOf(withdrawn))).toBe(true);

    // Groups read, none of the service's rules in them, a rule opening none: no rules to speak of.
    const untouched = decideWith({ status: "active" }, CLOSED);
    expect(untouched.securityGroupRules).toBeUndefined();
    expect(changesOf(untouched).securityGroupRules).toBeUndefined();
    // Groups not read (explain without them): nothing is said of rules, rather than "none needed".
    const unread = decide(facts({ status: "active", accepterCidrs: ["10.0.0.0/16"] }), withGroups(OPEN));
    expect(unread.securityGroupRules).toBeUndefined();
    // A rule that opens groups always says what they have, even when nothing is to change.
    const open = decideWith({
      status: "active",
      accepterGroups: [paymentsGroup({ ingress: ["tcp 443 10.20.0.0/16"] })],
    });
    expect(open.securityGroupRules?.revoke).toEqual([]);
    expect(open.securityGroupRules?.plan.length).toBeGreaterThan(0);
  });

  it("revokes every rule made for a dead connection: a cleanup even with no route left", () => {
    const decision = decideWith({
      status: "deleted",
      tags: { "peering-autopilot:rule": "pay" },
      accepterTables: [],
      requesterTables: [],
      accepterGroups: [paymentsGroup({ tagged: [`tcp 443 10.20.0.0/16 sgr-0a ${CONNECTION_ID}`] })],
      requesterGroups: [
        group("sg-000000000000000d5", { tagged: [`udp 53 10.0.0.0/16 sgr-0b ${CONNECTION_ID}`] }),
      ],
    });
    expect(decision.action).toBe("cleanup");
    expect(revoked(decision)).toEqual(["sgr-0a", "sgr-0b"]);
    expect(planned(decision)).toEqual([]);
    expect(changesOf(decision).securityGroupRules?.revoke).toHaveLength(2);
    expect(decision.reasons).toContain("2 security-group rule(s) made for it remain");
  });

  it.each(
    named([
      {
        name: "its groups cannot be read",
        input: { accepterGroups: { unreadable: "cannot read security groups: UnauthorizedOperation" } },
        note: "accepter security groups not changed: cannot read security groups: UnauthorizedOperation",
      },
      {
        name: "the peer subnets it routes cannot be read",
        input: { requesterSubnets: { unreadable: "cannot read subnets" } },
        note: "accepter side not changed: cannot read subnets",
      },
    ]),
  )("leaves a side's rules as they are when %s", (_, { input, note }) => {
    const decision = decideWith(
      {
        status: "active",
        accepterGroups: [paymentsGroup({ tagged: [`tcp 22 10.9.0.0/16 sgr-0a ${CONNECTION_ID}`] })],
        requesterSubnets: [subnet("subnet-0app", ["10.20.8.0/22"], { Tier: "app" })],
        ...input,
      },
      OPEN,
      { accepter: "main", requester: "main", reach: { requester: { subnets: { tags: { Tier: "app" } } } } },
    );
    expect(decision.securityGroupRules).toEqual({ plan: [], revoke: [] });
    expect(decision.reasons).toContain(note);
  });

  it("says nothing of security groups when the policy opens none (they were not read)", () => {
    const decision = decide(facts({ status: "active" }), policy([BASE_RULE]));
    expect(decision.securityGroupRules).toBeUndefined();
    expect(changesOf(decision).securityGroupRules).toBeUndefined();
  });

  it("in report mode, a rule to create is what it would change", () => {
    const inSync = {
      status: "active",
      accepterTables: [],
      requesterTables: [],
    } satisfies FactsInput;
    const report = decide(
      facts({
        ...inSync,
        requesterCidrs: ["10.20.0.0/16"],
        accepterGroups: [paymentsGroup()],
        requesterGroups: [],
      }),
      PolicySchema.parse({ version: 1, mode: "report", rules: [{ ...BASE_RULE, securityGroups: OPEN }] }),
    );
    expect(report.mode).toBe("report");
    expect(report.findings).toContain("report-only");
    expect(changesOf(report).createRoutes).toEqual([]);
  });
});

describe("the decision record of security-group rules", () => {
  const decision = decideWith({
    status: "active",
    accepterGroups: [paymentsGroup({ tagged: [`tcp 22 10.20.0.0/16 sgr-0old ${CONNECTION_ID}`] })],
  });
  const [first, second] = decision.securityGroupRules?.plan ?? [];
  const [stale] = decision.securityGroupRules?.revoke ?? [];
  if (!first || !second || !stale) throw new Error("the decision plans two rules and one revoke");
  const empty = { connection: "unchanged" as const, routes: [], removed: [], dns: [], tagged: false };

  it("lists what was created (with its id), present, revoked and failed; rules made or revoked are a change", () => {
    const record = toDecisionRecord(decision, {
      ...empty,
      securityGroupRules: {
        authorized: [
          { rule: first, result: "created", ruleId: "sgr-0new" },
          { rule: second, result: "failed", error: "RulesPerSecurityGroupLimitExceeded: full" },
        ],
        revoked: [{ rule: stale, result: "revoked" }],
      },
    });
    expect(record.securityGroupRules).toMatchObject({
      created: [
        { groupId: PAYMENTS, ruleId: "sgr-0new", protocol: "tcp", ports: "443", source: "10.20.0.0/16" },
      ],
      present: [],
      revoked: [{ ruleId: "sgr-0old", ports: "22" }],
      failed: [{ ports: "8000-8100", error: "RulesPerSecurityGroupLimitExceeded: full" }],
    });
    expect(record.securityGroupRules?.planned).toHaveLength(4);
    expect(record.changed).toBe(true);
  });

  it("is no change when every rule was present or already gone", () => {
    const record = toDecisionRecord(decision, {
      ...empty,
      securityGroupRules: {
        authorized: [{ rule: first, result: "present" }],
        revoked: [{ rule: stale, result: "already absent" }],
      },
    });
    expect(record.changed).toBe(false);
    expect(record.securityGroupRules?.present).toHaveLength(1);
  });

  it("in report mode, says which rules would be created and revoked", () => {
    const report = { ...decision, mode: "report" as const };
    const record = toDecisionRecord(report, empty);
    expect(
      record.wouldChange?.securityGroupRules?.create.map((rule) => `${rule.ports} ${rule.source}`),
    ).toEqual(["443 10.20.0.0/16", "8000-8100 10.20.0.0/16", "443 fd00:14::/56", "8000-8100 fd00:14::/56"]);
    expect(record.wouldChange?.securityGroupRules?.revoke).toEqual([
      expect.objectContaining({ ruleId: "sgr-0old", source: "10.20.0.0/16" }),
    ]);
  });
});

describe("plan: the security-group rules a pass would open and revoke", () => {
  const decision = decideWith({
    status: "active",
    accepterTables: [],
    requesterTables: [],
    accepterGroups: [paymentsGroup({ tagged: [`tcp 22 10.20.0.0/16 sgr-0old ${CONNECTION_ID}`] })],
  });
  const view = toPlanView({
    targets: [{ account: "111111111111", region: "us-east-1" }],
    connections: [
      { target: { account: "111111111111", region: "us-east-1" }, decision, changes: changesOf(decision) },
    ],
    orphanRoutes: { mode: "enforce", removals: [] },
    skipped: [],
    failures: [],
  });

  it("counts a connection whose only changes are rules as changing, and lists them", () => {
    const [connection] = view.connections;
    expect(connection?.effect).toBe("changes");
    expect(connection?.securityGroupRules?.create).toHaveLength(4);
    const lines = formatPlanView(view).filter((line) => line.includes(PAYMENTS));
    expect(lines.map((line) => line.trim().replace(/ +/g, " "))).toEqual([
      `rules open accepter 111111111111 us-east-1 ${PAYMENTS} tcp 443 10.20.0.0/16`,
      `open accepter 111111111111 us-east-1 ${PAYMENTS} tcp 8000-8100 10.20.0.0/16`,
      `open accepter 111111111111 us-east-1 ${PAYMENTS} tcp 443 fd00:14::/56`,
      `open accepter 111111111111 us-east-1 ${PAYMENTS} tcp 8000-8100 fd00:14::/56`,
      `revoke accepter 111111111111 us-east-1 ${PAYMENTS} tcp 22 10.20.0.0/16 sgr-0old`,
    ]);
    expect(view.totals).toMatchObject({ withChanges: 1, rulesToOpen: 4, rulesToRevoke: 1 });
    expect(formatPlanView(view).map((line) => line.trim().replace(/ +/g, " "))).toEqual(
      expect.arrayContaining(["security-group rules to open 4", "security-group rules to revoke 1"]),
    );
  });
});

describe("explain: the security-group rules of a decision", () => {
  it("lists the rules wanted, with their status, and the ones revoked", () => {
    const decision = decideWith({
      status: "active",
      accepterGroups: [
        paymentsGroup({
          ingress: ["tcp 443 10.20.0.0/16"],
          tagged: [`icmp -1 10.20.0.0/16 sgr-0old ${CONNECTION_ID}`],
        }),
      ],
    });
    const lines = formatDecision(decision).map((line) => line.trim().replace(/ +/g, " "));
    const start = lines.indexOf("Security-group rules:");
    expect(lines.slice(start + 1, start + 7)).toEqual([
      "SIDE ACCOUNT REGION GROUP PROTOCOL PORTS SOURCE STATUS",
      `accepter 111111111111 us-east-1 ${PAYMENTS} tcp 443 10.20.0.0/16 present`,
      `accepter 111111111111 us-east-1 ${PAYMENTS} tcp 8000-8100 10.20.0.0/16 create`,
      `accepter 111111111111 us-east-1 ${PAYMENTS} tcp 443 fd00:14::/56 create`,
      `accepter 111111111111 us-east-1 ${PAYMENTS} tcp 8000-8100 fd00:14::/56 create`,
      `accepter 111111111111 us-east-1 ${PAYMENTS} icmp all 10.20.0.0/16 revoke sgr-0old`,
    ]);
  });
});
