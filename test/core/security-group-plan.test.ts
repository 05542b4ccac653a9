import { describe, expect, it } from "vitest";
import type { SecurityGroup } from "../../shared/facts";
import { type Ingress, IngressSchema, PolicySchema } from "../../shared/policy/schema";
import { groupsToRead, readsSecurityGroups } from "../../shared/policy/security-groups";
import { planSideRules, type SideRulesInput } from "../../shared/security-groups/plan-rules";
import { canonicalProtocol, ruleKey } from "../../shared/security-groups/rule-key";
import { named } from "../helpers/facts";

const PCX = "pcx-0123456789abcdef0";
const HTTPS: Ingress[] = [IngressSchema.parse({ protocol: "tcp", ports: [443] })];

const group = (
  id: string,
  tags: Record<string, string> = {},
  extra: Partial<SecurityGroup> = {},
): SecurityGroup => ({
  id,
  tags,
  ingress: [],
  tagged: [],
  ...extra,
});
const DB = group("sg-0aaaaaaaaaaaaaaaa", { Peering: "ledger", Env: "prod" });
const WEB = group("sg-0bbbbbbbbbbbbbbbb", { Peering: "ledger" });

function input(overrides: Partial<SideRulesInput>): SideRulesInput {
  return {
    side: "accepter",
    account: "111111111111",
    region: "us-east-1",
    vpcId: "vpc-0f9e8d7c6b5a40001",
    connectionId: PCX,
    selector: "none",
    ingress: HTTPS,
    sources: ["10.20.8.0/22"],
    groups: { readable: true, groups: [DB, WEB] },
    ...overrides,
  };
}
const planned = (rules: ReturnType<typeof planSideRules>) =>
  rules.plan.map((r) => `${r.groupId} ${r.protocol} ${r.fromPort}-${r.toPort} ${r.cidr} ${r.status}`);

describe("planSideRules: which groups, which rules", () => {
  it.each(
    named([
      {
        name: "none: no group, no word about groups",
        selector: "none" as const,
        groups: [DB, WEB],
        plan: [],
        notes: [],
      },
      {
        name: "ids: the groups named in this VPC, and a word for each named one that is not",
        selector: { ids: ["sg-0aaaaaaaaaaaaaaaa", "sg-0cccccccccccccccc"] },
        groups: [DB, WEB],
        plan: ["sg-0aaaaaaaaaaaaaaaa tcp 443-443 10.20.8.0/22 create"],
        notes: [
          "security group sg-0cccccccccccccccc is not in the accepter VPC vpc-0f9e8d7c6b5a40001: no rule is added to it",
        ],
      },
      {
        name: "tags: only the groups carrying every tag named",
        selector: { tags: { Peering: "ledger", Env: "prod" } },
        groups: [DB, WEB],
        plan: ["sg-0aaaaaaaaaaaaaaaa tcp 443-443 10.20.8.0/22 create"],
        notes: [],
      },
      {
        name: "tags that no group carries: said, with every tag",
        selector: { tags: { Peering: "ledger", Env: "test" } },
        groups: [DB, WEB],
        plan: [],
        notes: ["no accepter security group is tagged Peering=ledger, Env=test: no rule is added"],
      },
    ]),
  )("%s", (_, row) => {
    const rules = planSideRules(
      input({ selector: row.selector, groups: { readable: true, groups: row.groups } }),
    );
    expect(planned(rules)).toEqual(row.plan);
    expect(rules.notes).toEqual(row.notes);
  });

  it("makes one rule for traffic listed twice", () => {
    const twice = [...HTTPS, ...HTTPS];
    const rules = planSideRules(input({ selector: { ids: [DB.id] }, ingress: twice }));
    expect(planned(rules)).toEqual(["sg-0aaaaaaaaaaaaaaaa tcp 443-443 10.20.8.0/22 create"]);
  });

  it("revokes, with none selected, every rule tagged for this connection and no other", () => {
    const mine = {
      id: "sgr-0aaaaaaaaaaaaaaaa",
      connectionId: PCX,
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidr: "10.20.8.0/22",
    };
    const theirs = { ...mine, id: "sgr-0bbbbbbbbbbbbbbbb", connectionId: "pcx-0fffffffffffffff0" };
    const rules = planSideRules(
      input({ groups: { readable: true, groups: [group(DB.id, DB.tags, { tagged: [mine, theirs] })] } }),
    );
    expect(rules.revoke.map((r) => r.ruleId)).toEqual(["sgr-0aaaaaaaaaaaaaaaa"]);
  });
});

describe("ruleKey: ports count for TCP, UDP and ICMP, not for all traffic", () => {
  it.each([
    [{ protocol: "icmp", fromPort: 8, toPort: 0, cidr: "10.0.0.0/16" }, "icmp 8-0 10.0.0.0/16"],
    [{ protocol: "icmpv6", fromPort: -1, toPort: -1, cidr: "fd00::/56" }, "icmpv6 -1--1 fd00::/56"],
    [{ protocol: "-1", fromPort: 0, toPort: 65535, cidr: "10.0.0.0/16" }, "-1 -1--1 10.0.0.0/16"],
    [{ protocol: "50", fromPort: 0, toPort: 0, cidr: "10.0.0.0/16" }, "50 -1--1 10.0.0.0/16"],
  ])("%j", (rule, key) => {
    expect(ruleKey(rule)).toBe(key);
  });
});

describe("canonicalProtocol and ruleKey: what EC2 tells apart", () => {
  it.each([
    ["6", "tcp"],
    ["TCP", "tcp"],
    ["17", "udp"],
    ["1", "icmp"],
    ["58", "icmpv6"],
    ["all", "-1"],
    ["ALL", "-1"],
    ["-1", "-1"],
    ["50", "50"],
  ])("protocol %s is %s", (given, canonical) => {
    expect(canonicalProtocol(given)).toBe(canonical);
  });

  it.each([
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.8.0/22" }, { protocol: "udp" }],
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.8.0/22" }, { toPort: 444 }],
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.8.0/22" }, { fromPort: 442 }],
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.8.0/22" }, { cidr: "10.20.12.0/22" }],
    [{ protocol: "icmp", fromPort: 8, toPort: 0, cidr: "10.0.0.0/16" }, { fromPort: 0 }],
    [{ protocol: "udp", fromPort: 53, toPort: 53, cidr: "10.0.0.0/16" }, { toPort: 54 }],
    [{ protocol: "icmpv6", fromPort: 128, toPort: 0, cidr: "fd00::/56" }, { fromPort: 129 }],
    // A rule from a group or prefix list (no CIDR) is never the same as one from a block.
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.20.8.0/22" }, { cidr: undefined }],
  ])("%j differs from the same with %j", (rule, change) => {
    expect(ruleKey({ ...rule, ...change })).not.toBe(ruleKey(rule));
  });
});

const policyOpening = (sides: object | undefined) =>
  PolicySchema.parse({
    version: 1,
    rules: [
      {
        name: "r",
        accepter: { accounts: ["111111111111"] },
        requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
        securityGroups: { ...sides, ingress: [{ protocol: "tcp", ports: [443] }] },
      },
    ],
  });
const OPENING = [
  [{ accepter: "none", requester: { tags: { Peering: "ledger" } } }, true],
  [{ accepter: { tags: { Peering: "ledger" } }, requester: "none" }, true],
  [{ accepter: "none", requester: "none" }, false],
] as const;

describe("readsSecurityGroups", () => {
  it.each(OPENING)("%j opens groups: %s", (sides, reads) => {
    expect(readsSecurityGroups(policyOpening(sides))).toBe(reads);
  });
});

describe("groupsToRead: every group where a rule opens some, else only the service's own where they may go", () => {
  const [accepterOpen, requesterOpen, closed] = OPENING.map(([sides]) => sides);
  it.each([
    [accepterOpen, true, "all"],
    [accepterOpen, false, "all"],
    [requesterOpen, true, "all"],
    [requesterOpen, false, "all"],
    [closed, true, "own"],
    [closed, false, undefined],
  ])("%j, revokes %s: %s", (sides, revokes, expected) => {
    expect(groupsToRead([policyOpening(sides)], revokes)).toBe(expected);
  });

  it("reads every group when any rule of a policy opens some", () => {
    const [rule] = policyOpening({ accepter: { ids: ["sg-0aaaaaaaaaaaaaaaa"] }, requester: "none" }).rules;
    const [closedRule] = policyOpening({ accepter: "none", requester: "none" }).rules;
    if (!rule || !closedRule) throw new Error("no rule");
    const mixed = { ...policyOpening(undefined), rules: [closedRule, { ...rule, name: "open" }] };
    expect(readsSecurityGroups(mixed)).toBe(true);
    expect(groupsToRead([mixed], false)).toBe("all");
  });

  it("reads every group when any of several policies opens some", () => {
    const closed = policyOpening({ accepter: "none", requester: "none" });
    const open = policyOpening({ accepter: { ids: ["sg-0aaaaaaaaaaaaaaaa"] }, requester: "none" });
    expect(groupsToRead([closed, open], false)).toBe("all");
    expect(groupsToRead([closed, closed], true)).toBe("own");
    expect(groupsToRead([], false)).toBeUndefined();
  });
});
