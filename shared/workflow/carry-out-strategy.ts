import type { RuleResult } from "../aws/carry-out/apply-rules";
import { carryOutAll } from "../aws/carry-out/carry-out";
import type { CarriedOut, CarryOutOptions, DecisionToCarryOut, Outcome } from "../aws/carry-out/jobs";
import { type RemovalResult, removeRoutes } from "../aws/carry-out/remove-routes";
import type { AwsSessions } from "../aws/sessions/sessions";
import { changesOf } from "../decision/changes";
import type { Decision } from "../decision/decision";
import type { PlannedRemoval } from "../routes/plan-removals";
import type { PlannedRule } from "../security-groups/plan-rules";
import { ruleKey } from "../security-groups/rule-key";

/** How a pass carries its decisions out: in AWS, or on paper only, for a plan of what a pass would do. */
export interface CarryOutStrategy {
  carryOutAll(items: DecisionToCarryOut[], options: CarryOutOptions): Promise<CarriedOut[]>;
  removeRoutes(sessions: AwsSessions, removals: PlannedRemoval[]): Promise<RemovalResult[]>;
}

export const inAws: CarryOutStrategy = { carryOutAll, removeRoutes };

/**
 * Every decision as if carried out without a failure, and no call made: the pass's later phases then
 * decide on the routes its earlier ones would have removed or made, as they do in a real pass. A
 * decision in report mode changes nothing, on paper as in AWS.
 */
export const onPaper: CarryOutStrategy = {
  carryOutAll: async (items) => items.map(({ decision }) => ({ outcome: outcomeOnPaper(decision) })),
  removeRoutes: async (_sessions, removals) => removals.map((route) => ({ route, result: "removed" })),
};

const ROUTE_RESULT = { create: "created", present: "present", conflict: "conflicting" } as const;
const CONNECTION_RESULT = { accept: "accepted", reject: "rejected" } as const;

/** A rule made on paper has no id from EC2: it is named by what it is, which is unique in its group. */
function ruleOnPaper(rule: PlannedRule): RuleResult {
  return rule.status === "present"
    ? { rule, result: "present" }
    : { rule, result: "created", ruleId: `on-paper ${ruleKey(rule)}` };
}

function outcomeOnPaper(decision: Decision): Outcome {
  const empty: Outcome = { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
  if (decision.mode === "report") return empty;
  const changes = changesOf(decision);
  const routed = decision.action === "accept" || decision.action === "maintain";
  return {
    ...empty,
    ...(changes.connection && { connection: CONNECTION_RESULT[changes.connection] }),
    routes: routed ? decision.plan.map((route) => ({ route, result: ROUTE_RESULT[route.status] })) : [],
    removed: changes.removeRoutes.map((route) => ({ route, result: "removed" })),
    dns: routed
      ? decision.dns.map((change) => ({ change, result: change.status === "enable" ? "enabled" : "present" }))
      : [],
    ...(decision.securityGroupRules && {
      securityGroupRules: {
        authorized: routed ? decision.securityGroupRules.plan.map(ruleOnPaper) : [],
        revoked: (changes.securityGroupRules?.revoke ?? []).map((rule) => ({ rule, result: "revoked" })),
      },
    }),
  };
}
