import { describe, expect, it } from "vitest";
import type { Outcome } from "../../shared/aws/carry-out/jobs";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import type { DecisionFacts } from "../../shared/facts";
import { decisionMetrics } from "../../shared/metrics/decision-metrics";
import type { Policy } from "../../shared/policy/schema";
import { onPaper } from "../../shared/workflow/carry-out-strategy";
import { decidedResult, type HandleResult } from "../../shared/workflow/handle-connection";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  facts,
  group,
  named,
  OTHER_PCX,
  policy,
  requesterMain,
  route,
} from "../helpers/facts";
import { byMetric, madeSecondsAgo, NOW } from "./records";

const RULES = [
  {
    name: "partners",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
  },
];
const ENFORCE = policy(RULES);
const REPORT: Policy = { ...ENFORCE, mode: "report" };
// The same rule opening the accepter's payments group to the requester's routed addresses on 443.
const OPENING = policy([
  {
    ...RULES[0],
    securityGroups: {
      accepter: { tags: { Peering: "payments" } },
      ingress: [{ protocol: "tcp", ports: [443] }],
    },
  },
]);
const OPENING_REPORT: Policy = { ...OPENING, mode: "report" };
const PAYMENTS = "sg-000000000000000a1";
/** The payments group with rules made for the connection: `tcp 443 10.20.0.0/16 sgr-… pcx-…` lines. */
const payments = (...tagged: string[]) => group(PAYMENTS, { tags: { Peering: "payments" }, tagged });
const made = (port: number, ruleId: string) => `tcp ${port} 10.20.0.0/16 ${ruleId} ${CONNECTION_ID}`;

/** A decision carried out without a failure (on paper: the outcome AWS would give). */
async function carriedOut(f: DecisionFacts, p: Policy): Promise<HandleResult> {
  const decision = decide(f, p);
  const [done] = await onPaper.carryOutAll([{ decision, currentTags: {} }], {
    sessions: undefined as never,
    activeWait: { maxWaitSeconds: 1, minDelaySeconds: 0, maxDelaySeconds: 0 },
    now: NOW,
  });
  if (!done) throw new Error("no outcome");
  return decidedResult(decision, done);
}

/** Facts' security groups as read: the accepter's `accepter`, none on the requester's side. */
function groups(
  accepter: ReturnType<typeof group>[],
): Pick<DecisionFacts, "accepterSecurityGroups" | "requesterSecurityGroups"> {
  return {
    accepterSecurityGroups: { readable: true, groups: accepter },
    requesterSecurityGroups: { readable: true, groups: [] },
  };
}

/** A decision whose carrying out stopped before anything was done. */
function stopped(decision: Decision): HandleResult {
  const outcome: Outcome = { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
  return decidedResult(decision, { outcome, error: new Error("AcceptVpcPeeringConnection: throttled") });
}

const pending = facts({ expiresAt: madeSecondsAgo(42) });
// A route to a transit gateway, more specific than the requester's CIDR, in the accepter's main table.
const conflicted = facts({
  accepterTables: [accepterMain(route("10.20.4.0/24", "tgw-0a")), accepterPartners()],
});
const steady = facts({
  status: "active",
  accepterTables: [
    accepterMain(route("10.20.0.0/16", CONNECTION_ID)),
    accepterPartners(route("10.20.0.0/16", CONNECTION_ID)),
  ],
  requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
});
const dead = facts({
  status: "deleted",
  accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
  requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
});

describe("the metrics of one trigger's decisions", () => {
  it.each(
    named([
      {
        name: "an event's accepted request: one decision, its three routes, its time to route",
        results: () => carriedOut(pending, ENFORCE),
        onlyChanges: false,
        expected: {
          "Decisions{Action=accept} Count": [1],
          "RoutesCreated{} Count": [3],
          "TimeToRoute{} Seconds": [42],
        },
      },
      {
        name: "an event's request rejected for a route conflict: both findings, the conflict",
        results: () => carriedOut(conflicted, ENFORCE),
        onlyChanges: false,
        expected: {
          "Decisions{Action=reject} Count": [1],
          "Findings{Finding=rejected} Count": [1],
          "Findings{Finding=route-conflict} Count": [1],
          "RouteConflicts{} Count": [1],
        },
      },
      {
        name: "an event's steady connection: published, so counted, and nothing done",
        results: () => carriedOut(steady, ENFORCE),
        onlyChanges: false,
        expected: { "Decisions{Action=maintain} Count": [1] },
      },
      {
        name: "a sweep's steady connection: not published, so nothing at all",
        results: () => carriedOut(steady, ENFORCE),
        onlyChanges: true,
        expected: {},
      },
      {
        name: "a sweep's dead connection: its routes removed",
        results: () => carriedOut(dead, ENFORCE),
        onlyChanges: true,
        expected: { "Decisions{Action=cleanup} Count": [1], "RoutesRemoved{} Count": [2] },
      },
      {
        name: "an event's request in report mode: published with its finding, would-be action counted, nothing created",
        results: () => carriedOut(pending, REPORT),
        onlyChanges: false,
        expected: {
          "Decisions{Action=accept} Count": [1],
          "ReportOnlyDecisions{Action=accept} Count": [1],
          "Findings{Finding=report-only} Count": [1],
        },
      },
      {
        name: "a sweep's request in report mode: not published, counted as report-only",
        results: () => carriedOut(pending, REPORT),
        onlyChanges: true,
        expected: { "ReportOnlyDecisions{Action=accept} Count": [1] },
      },
      {
        name: "a steady connection in report mode: nothing it would change, so not report-only",
        results: () => carriedOut(steady, REPORT),
        onlyChanges: false,
        expected: { "Decisions{Action=maintain} Count": [1] },
      },
      {
        name: "an accept that stopped before accepting: the decision, no route, no time",
        results: async () => stopped(decide(pending, ENFORCE)),
        onlyChanges: false,
        expected: { "Decisions{Action=accept} Count": [1] },
      },
      {
        name: "an event's accepted request opening a group: its rule authorized with its routes",
        results: () => carriedOut({ ...pending, ...groups([payments()]) }, OPENING),
        onlyChanges: false,
        expected: {
          "Decisions{Action=accept} Count": [1],
          "RoutesCreated{} Count": [3],
          "SecurityGroupRulesAuthorized{} Count": [1],
          "TimeToRoute{} Seconds": [42],
        },
      },
      {
        name: "a sweep's steady connection with its rule present and a stale one: the stale one revoked",
        results: () =>
          carriedOut(
            { ...steady, ...groups([payments(made(443, "sgr-0a"), made(22, "sgr-0old"))]) },
            OPENING,
          ),
        onlyChanges: true,
        expected: { "Decisions{Action=maintain} Count": [1], "SecurityGroupRulesRevoked{} Count": [1] },
      },
      {
        name: "a sweep's steady connection with every rule present: nothing at all",
        results: () => carriedOut({ ...steady, ...groups([payments(made(443, "sgr-0a"))]) }, OPENING),
        onlyChanges: true,
        expected: {},
      },
      {
        name: "a sweep's dead connection: its routes removed and its rules revoked",
        results: () => carriedOut({ ...dead, ...groups([payments(made(443, "sgr-0a"))]) }, OPENING),
        onlyChanges: true,
        expected: {
          "Decisions{Action=cleanup} Count": [1],
          "RoutesRemoved{} Count": [2],
          "SecurityGroupRulesRevoked{} Count": [1],
        },
      },
      {
        name: "a sweep's request opening a group in report mode: counted as report-only, nothing authorized",
        results: () => carriedOut({ ...pending, ...groups([payments()]) }, OPENING_REPORT),
        onlyChanges: true,
        expected: { "ReportOnlyDecisions{Action=accept} Count": [1] },
      },
    ]),
  )("%s", async (_, { results, onlyChanges, expected }) => {
    const points = decisionMetrics([await results()], { onlyChanges, now: NOW });
    expect(byMetric(points)).toEqual(expected);
  });

  it("counts only the rules EC2 authorized or revoked: not failed ones, nor ones already there or gone", () => {
    const decision = decide(
      {
        ...steady,
        ...groups([payments(made(22, "sgr-0old"), made(23, "sgr-0gone"), made(24, "sgr-0kept"))]),
      },
      OPENING,
    );
    const [wanted] = decision.securityGroupRules?.plan ?? [];
    const [old, gone, kept] = decision.securityGroupRules?.revoke ?? [];
    if (!wanted || !old || !gone || !kept) throw new Error("expected one rule to open and three to revoke");
    const outcome: Outcome = {
      connection: "unchanged",
      routes: [],
      removed: [],
      dns: [],
      tagged: false,
      securityGroupRules: {
        authorized: [
          { rule: wanted, result: "created", ruleId: "sgr-0new" },
          { rule: { ...wanted, fromPort: 8443, toPort: 8443 }, result: "present" },
          {
            rule: { ...wanted, cidr: "10.20.8.0/22" },
            result: "failed",
            error: "RulesPerSecurityGroupLimitExceeded",
          },
        ],
        revoked: [
          { rule: old, result: "revoked" },
          { rule: gone, result: "already absent" },
          { rule: kept, result: "failed", error: "UnauthorizedOperation" },
        ],
      },
    };

    const points = decisionMetrics([decidedResult(decision, { outcome })], { onlyChanges: true, now: NOW });

    expect(byMetric(points)).toEqual({
      "Decisions{Action=maintain} Count": [1],
      "SecurityGroupRulesAuthorized{} Count": [1],
      "SecurityGroupRulesRevoked{} Count": [1],
    });
  });

  it("counts each published decision and sums routes over all of them", async () => {
    const other = facts({ expiresAt: madeSecondsAgo(7) });
    other.connection.id = OTHER_PCX;
    const results: HandleResult[] = [
      await carriedOut(pending, ENFORCE),
      await carriedOut(other, ENFORCE),
      await carriedOut(conflicted, ENFORCE),
      {
        kind: "skipped",
        ref: { connectionId: "pcx-0bbbbbbbbbbbbbbbb", account: "111111111111", region: "us-east-1" },
        reason: "not found",
      },
      {
        kind: "failed",
        ref: { connectionId: "pcx-0cccccccccccccccc", account: "111111111111", region: "us-east-1" },
        failure: new Error("throttled"),
      },
    ];

    expect(byMetric(decisionMetrics(results, { onlyChanges: false, now: NOW }))).toEqual({
      "Decisions{Action=accept} Count": [1, 1],
      "Decisions{Action=reject} Count": [1],
      "Findings{Finding=rejected} Count": [1],
      "Findings{Finding=route-conflict} Count": [1],
      "RouteConflicts{} Count": [1],
      "RoutesCreated{} Count": [6],
      "TimeToRoute{} Seconds": [42, 7],
    });
  });
});
