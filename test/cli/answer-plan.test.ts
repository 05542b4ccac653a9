import { describe, expect, it } from "vitest";
import { planAnswer } from "../../bin/answer-plan";
import type { DecisionFacts } from "../../shared/facts";
import { parsePolicy } from "../../shared/policy/load-policy";
import { ACCEPTER, REQUESTER } from "../handlers/harness";
import { APPROVAL_POLICY } from "./live-world";

const policy = parsePolicy(APPROVAL_POLICY, "policy.yml");
const BY = `arn:aws:sts::${ACCEPTER}:assumed-role/approver/alice`;

function facts(requesterCidrs: string[], tags: Record<string, string> = {}): DecisionFacts {
  return {
    connection: {
      id: "pcx-0123456789abcdef0",
      status: "pending-acceptance",
      requester: {
        account: REQUESTER,
        region: "us-east-1",
        vpcId: "vpc-0a1b2c3d4e5f60001",
        cidrs: requesterCidrs,
      },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: "vpc-0f9e8d7c6b5a40001", cidrs: [] },
      tags,
      dnsResolution: { requester: false, accepter: false },
    },
    accepterCidrs: ["10.0.0.0/16"],
    accepterRouteTables: {
      readable: true,
      tables: [{ id: "rtb-0000000000000000a", main: true, tags: {}, routes: [] }],
    },
    requesterRouteTables: {
      readable: true,
      tables: [{ id: "rtb-0000000000000000b", main: true, tags: {}, routes: [] }],
    },
  };
}

describe("planAnswer", () => {
  it.each([
    { answer: "approve", action: "accept", findings: ["approved"] },
    { answer: "deny", action: "reject", findings: ["rejected", "denied"] },
  ] as const)(
    "$answer on a request awaiting approval: the service will $action it",
    ({ answer, action, findings }) => {
      const plan = planAnswer(facts(["10.20.0.0/16"]), policy, answer, BY);

      expect(plan).toEqual({
        kind: "answer",
        decision: expect.objectContaining({
          action,
          rule: "payments-to-shared",
          findings,
          approval: { answer, by: BY },
        }),
      });
    },
  );

  it("approve plans the routes the service will create", () => {
    const plan = planAnswer(facts(["10.20.0.0/16"]), policy, "approve", BY);

    expect(
      plan.kind === "answer" && plan.decision.plan.map((r) => [r.side, r.destination, r.status]),
    ).toEqual([
      ["accepter", "10.20.0.0/16", "create"],
      ["requester", "10.0.0.0/16", "create"],
    ]);
  });

  it.each(["deny", "maybe", "APPROVE"])("an earlier answer (%s) is replaced, and reported", (previous) => {
    const plan = planAnswer(facts(["10.20.0.0/16"], { "peering-approval": previous }), policy, "approve", BY);

    expect(plan).toEqual({
      kind: "answer",
      decision: expect.objectContaining({ action: "accept" }),
      previous,
    });
  });

  it.each([
    {
      why: "a CIDR no rule allows",
      cidrs: ["10.99.0.0/16"],
      first: "no approval rule matches it: the service would reject it without asking a person (rule: none)",
    },
    {
      why: "a CIDR that overlaps the accepter's",
      cidrs: ["10.0.128.0/20"],
      first: "no approval rule matches it: the service would reject it without asking a person (rule: none)",
    },
    {
      why: "no requester CIDR",
      cidrs: [],
      first: "no approval rule matches it: the service would reject it without asking a person (rule: none)",
    },
  ])("refuses $why, with the service's reasons", ({ cidrs, first }) => {
    for (const answer of ["approve", "deny"] as const) {
      const plan = planAnswer(facts(cidrs), policy, answer, BY);

      expect(plan.kind).toBe("refused");
      expect(plan.kind === "refused" && plan.reasons[0]).toBe(first);
      expect(plan.kind === "refused" && plan.reasons.length).toBeGreaterThan(1);
    }
  });

  it("refuses a request the rule approves without asking a person", () => {
    const partner = facts(["172.20.0.0/16"]);
    partner.connection.requester.account = "333333333333";

    const plan = planAnswer(partner, policy, "approve", BY);

    expect(plan).toEqual({
      kind: "refused",
      reasons: expect.arrayContaining([
        "no approval rule matches it: the service would accept it without asking a person (rule: partner-analytics)",
      ]),
    });
  });

  it("refuses an approval the service could not carry out: a route in the way", () => {
    const blocked = facts(["10.20.0.0/16"]);
    if (blocked.accepterRouteTables.readable) {
      blocked.accepterRouteTables.tables[0]?.routes.push({
        destination: "10.20.4.0/24",
        target: "tgw-0aaaabbbbccccdddd",
      });
    }

    const plan = planAnswer(blocked, policy, "approve", BY);

    expect(plan).toEqual({
      kind: "refused",
      reasons: [
        "it does not await approval: the service would reject it whatever the answer (rule: payments-to-shared)",
        expect.stringMatching(
          /10\.20\.0\.0\/16 conflicts with existing route 10\.20\.4\.0\/24 -> tgw-0aaaabbbbccccdddd$/,
        ),
      ],
    });
  });

  it("refuses a request left alone under unmatched: ignore", () => {
    const ignoring = parsePolicy(
      APPROVAL_POLICY.replace("unmatched: reject", "unmatched: ignore"),
      "policy.yml",
    );

    const plan = planAnswer(facts(["10.99.0.0/16"]), ignoring, "deny", BY);

    expect(plan.kind === "refused" && plan.reasons[0]).toBe(
      "no approval rule matches it: the service would leave it alone without asking a person (rule: none)",
    );
  });
});
