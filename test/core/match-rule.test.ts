import { describe, expect, it } from "vitest";
import {
  accountsNamed,
  evaluateRule,
  findApprovingRule,
  isInRemit,
  isWatched,
  type PeeringRequest,
} from "../../shared/policy/match-rule";
import { ACCEPTER, named, policy, REQUESTER, rule } from "../helpers/facts";

const SHARED = {
  name: "shared",
  accepter: { accounts: ["111111111111"], regions: ["us-east-1"], vpcs: ["vpc-0f9e8d7c6b5a40001"] },
  requester: {
    accounts: ["222222222222"],
    regions: ["us-east-1", "eu-west-1"],
    cidrs: ["10.16.0.0/12", "fd00:16::/32"],
  },
};

interface RequestInput {
  accepterAccount?: string;
  accepterRegion?: string;
  accepterVpc?: string;
  requesterAccount?: string;
  requesterRegion?: string;
  cidrs?: string[];
}

function request(input: RequestInput = {}): PeeringRequest {
  return {
    accepter: {
      account: input.accepterAccount ?? ACCEPTER.account,
      region: input.accepterRegion ?? ACCEPTER.region,
      vpcId: input.accepterVpc ?? ACCEPTER.vpcId,
    },
    requester: {
      account: input.requesterAccount ?? REQUESTER.account,
      region: input.requesterRegion ?? REQUESTER.region,
      vpcId: REQUESTER.vpcId,
      cidrs: input.cidrs ?? ["10.20.0.0/16"],
    },
  };
}

describe("evaluateRule", () => {
  it.each(
    named<{ name: string; input: RequestInput; reason?: string }>([
      { name: "everything matches", input: {} },
      { name: "requester in another listed region", input: { requesterRegion: "eu-west-1" } },
      {
        name: "several CIDRs, all inside",
        input: { cidrs: ["10.20.0.0/16", "10.31.0.0/16", "fd00:16:1::/48"] },
      },
      { name: "CIDR equal to the allowed block", input: { cidrs: ["10.16.0.0/12"] } },
      { name: "IPv6 CIDR spelled uncompressed", input: { cidrs: ["fd00:0016:0000:0001::/64"] } },
      {
        name: "accepter account not listed",
        input: { accepterAccount: "999999999999" },
        reason: "accepter account 999999999999 is not listed",
      },
      {
        name: "accepter region not listed",
        input: { accepterRegion: "eu-west-1" },
        reason: "accepter region eu-west-1 is not listed",
      },
      {
        name: "accepter VPC not listed",
        input: { accepterVpc: "vpc-0ffffffffffffffff" },
        reason: "accepter VPC vpc-0ffffffffffffffff is not listed",
      },
      {
        name: "requester account not listed",
        input: { requesterAccount: "333333333333" },
        reason: "requester account 333333333333 is not listed",
      },
      {
        name: "requester region not listed",
        input: { requesterRegion: "ap-southeast-2" },
        reason: "requester region ap-southeast-2 is not listed",
      },
      {
        name: "IPv4 CIDR outside the allowlist",
        input: { cidrs: ["10.99.0.0/16"] },
        reason: "requester CIDR 10.99.0.0/16 is not inside 10.16.0.0/12, fd00:16::/32",
      },
      {
        name: "CIDR wider than the allowed block",
        input: { cidrs: ["10.0.0.0/8"] },
        reason: "requester CIDR 10.0.0.0/8 is not inside 10.16.0.0/12, fd00:16::/32",
      },
      {
        name: "secondary CIDR outside: only it is named",
        input: { cidrs: ["10.20.0.0/16", "100.64.8.0/22"] },
        reason: "requester CIDR 100.64.8.0/22 is not inside 10.16.0.0/12, fd00:16::/32",
      },
      {
        name: "several CIDRs outside: each is named, comma-separated",
        input: { cidrs: ["10.99.0.0/16", "10.20.0.0/16", "100.64.8.0/22"] },
        reason: "requester CIDR 10.99.0.0/16, 100.64.8.0/22 is not inside 10.16.0.0/12, fd00:16::/32",
      },
      {
        name: "IPv6 CIDR outside the allowlist",
        input: { cidrs: ["10.20.0.0/16", "fd00:17::/48"] },
        reason: "requester CIDR fd00:17::/48 is not inside 10.16.0.0/12, fd00:16::/32",
      },
      {
        name: "the first failing selector is the reason",
        input: { requesterAccount: "333333333333", cidrs: ["10.99.0.0/16"] },
        reason: "requester account 333333333333 is not listed",
      },
    ]),
  )("%s", (_, { input, reason }) => {
    const shared = rule(SHARED);
    const verdict = evaluateRule(shared, request(input));
    expect(verdict.rule).toBe(shared);
    expect(verdict).toEqual(
      reason ? { rule: shared, approves: false, reason } : { rule: shared, approves: true },
    );
  });

  it.each(
    named([
      {
        name: "'*' admits any requester account",
        accounts: ["*"],
        requester: "444444444444",
        approves: true,
      },
      {
        name: "'*' alongside a listed account",
        accounts: ["222222222222", "*"],
        requester: "555555555555",
        approves: true,
      },
      {
        name: "listed accounts only",
        accounts: ["222222222222"],
        requester: "444444444444",
        approves: false,
      },
    ]),
  )("%s", (_, { accounts, requester, approves }) => {
    const any = rule({
      name: "any",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts, cidrs: ["10.0.0.0/8"] },
    });
    expect(evaluateRule(any, request({ requesterAccount: requester })).approves).toBe(approves);
  });

  it.each(
    named([
      { name: "no accepter regions: any accepter region", input: { accepterRegion: "ap-southeast-2" } },
      { name: "no vpcs: any accepter VPC", input: { accepterVpc: "vpc-12345678" } },
      { name: "no requester regions: any requester region", input: { requesterRegion: "sa-east-1" } },
    ]),
  )("%s", (_, { input }) => {
    const open = rule({
      name: "open",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.0.0.0/8"] },
    });
    expect(evaluateRule(open, request(input))).toEqual({ rule: open, approves: true });
  });
});

describe("findApprovingRule: rules are tried in order", () => {
  const wide = {
    name: "wide",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["*"], cidrs: ["10.0.0.0/8"] },
  };
  const narrow = {
    name: "narrow",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
  };
  const other = {
    name: "other",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["333333333333"], cidrs: ["10.0.0.0/8"] },
  };

  it.each(
    named([
      {
        name: "first of two approving rules wins",
        rules: [narrow, wide],
        winner: "narrow",
        evaluated: ["narrow"],
      },
      { name: "order decides, not specificity", rules: [wide, narrow], winner: "wide", evaluated: ["wide"] },
      {
        name: "refusing rules are skipped",
        rules: [other, wide],
        winner: "wide",
        evaluated: ["other", "wide"],
      },
      { name: "no rule approves", rules: [other], winner: undefined, evaluated: ["other"] },
      { name: "no rules at all", rules: [], winner: undefined, evaluated: [] },
    ]),
  )("%s", (_, { rules, winner, evaluated }) => {
    const result = findApprovingRule(policy(rules), request());
    expect(result.rule?.name).toBe(winner);
    expect(result.verdicts.map((v) => v.rule.name)).toEqual(evaluated);
    expect(result.verdicts.filter((v) => v.approves).map((v) => v.rule.name)).toEqual(winner ? [winner] : []);
  });
});

describe("isInRemit", () => {
  const remit = policy([
    {
      name: "east-only",
      accepter: { accounts: ["111111111111"], regions: ["us-east-1"] },
      requester: { accounts: ["*"], cidrs: ["10.0.0.0/8"] },
    },
    {
      name: "anywhere",
      accepter: { accounts: ["444444444444"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.0.0.0/8"] },
    },
  ]);

  it.each(
    named(
      [
        {
          name: "account listed, region listed",
          account: "111111111111",
          region: "us-east-1",
          expected: true,
        },
        {
          name: "account listed, region not listed",
          account: "111111111111",
          region: "eu-west-1",
          expected: false,
        },
        {
          name: "account listed, rule names no region",
          account: "444444444444",
          region: "ap-southeast-2",
          expected: true,
        },
        {
          name: "account only named as a requester",
          account: "222222222222",
          region: "us-east-1",
          expected: false,
        },
        { name: "account not named", account: "999999999999", region: "us-east-1", expected: false },
      ],
      (r) => `${r.name} → ${r.expected}`,
    ),
  )("%s", (_, { account, region, expected }) => {
    expect(isInRemit(remit, account, region)).toBe(expected);
  });

  it("nothing is in the remit of an empty policy", () => {
    expect(isInRemit(policy([]), "111111111111", "us-east-1")).toBe(false);
  });
});

describe("isWatched: the accepter remit, and requesters a rule names in its requester regions", () => {
  const watched = policy([
    {
      name: "east-accepter",
      accepter: { accounts: ["111111111111"], regions: ["us-east-1"] },
      requester: { accounts: ["*"], cidrs: ["10.0.0.0/8"] },
    },
    {
      name: "eu-requester",
      accepter: { accounts: ["444444444444"] },
      requester: {
        accounts: ["222222222222"],
        regions: ["eu-west-1", "eu-central-1"],
        cidrs: ["10.0.0.0/8"],
      },
    },
    {
      name: "requester-anywhere",
      accepter: { accounts: ["444444444444"] },
      requester: { accounts: ["333333333333", "*"], cidrs: ["10.0.0.0/8"] },
    },
  ]);

  it.each(
    named(
      [
        { name: "accepter, region listed", account: "111111111111", region: "us-east-1", expected: true },
        {
          name: "accepter, region not listed",
          account: "111111111111",
          region: "eu-west-1",
          expected: false,
        },
        {
          name: "accepter, rule names no region",
          account: "444444444444",
          region: "ap-southeast-2",
          expected: true,
        },
        {
          name: "requester, first region listed",
          account: "222222222222",
          region: "eu-west-1",
          expected: true,
        },
        {
          name: "requester, second region listed",
          account: "222222222222",
          region: "eu-central-1",
          expected: true,
        },
        {
          name: "requester, region not listed",
          account: "222222222222",
          region: "us-east-1",
          expected: false,
        },
        {
          name: "requester, rule names no requester region",
          account: "333333333333",
          region: "sa-east-1",
          expected: true,
        },
        {
          name: "an account admitted only by '*' is not named",
          account: "555555555555",
          region: "us-east-1",
          expected: false,
        },
      ],
      (r) => `${r.name} → ${r.expected}`,
    ),
  )("%s", (_, { account, region, expected }) => {
    expect(isWatched(watched, account, region)).toBe(expected);
  });

  it("nothing is watched under an empty policy", () => {
    expect(isWatched(policy([]), "111111111111", "us-east-1")).toBe(false);
  });
});

describe("accountsNamed", () => {
  it.each(
    named([
      {
        name: "accepter and requester accounts",
        rules: [SHARED],
        expected: ["111111111111", "222222222222"],
      },
      {
        name: "'*' is not an account",
        rules: [
          {
            name: "any",
            accepter: { accounts: ["111111111111"] },
            requester: { accounts: ["*", "333333333333"], cidrs: ["10.0.0.0/8"] },
          },
        ],
        expected: ["111111111111", "333333333333"],
      },
      {
        name: "each account once across rules",
        rules: [
          SHARED,
          {
            name: "b",
            accepter: { accounts: ["222222222222"] },
            requester: { accounts: ["111111111111", "*"], cidrs: ["10.0.0.0/8"] },
          },
        ],
        expected: ["111111111111", "222222222222"],
      },
      { name: "no rules, no accounts", rules: [], expected: [] },
    ]),
  )("%s", (_, { rules, expected }) => {
    const accounts = accountsNamed(policy(rules));
    expect([...accounts].sort()).toEqual(expected);
    expect(accounts.has("*")).toBe(false);
  });
});
