import { overlaps } from "../cidr";
import type { DecisionFacts } from "../facts";
import { findApprovingRule } from "../policy/match-rule";
import type { Policy, Rule } from "../policy/schema";
import { describePlannedRoute, type PlannedRoute, planSideRoutes } from "../routes/plan-routes";
import type { Decision } from "./decision";

/**
 * Decides one peering connection from facts read from EC2. Pure: the same facts and policy always
 * give the same decision. Guards come first and no rule can switch them off.
 *
 * A `pending-acceptance` request is accepted, rejected, or (with `unmatched: ignore`) left pending.
 * An `active` connection that the policy approves is "accepted" again, which the AWS layer treats as
 * "make sure the routes are there"; this makes a replayed event or a retry after a crash converge.
 * Any other status cannot be accepted or rejected, so it is ignored.
 */
export function decide(facts: DecisionFacts, policy: Policy): Decision {
  const { connection } = facts;
  const accepter = { ...connection.accepter, cidrs: facts.accepterCidrs };
  const requester = connection.requester;
  const base = {
    connectionId: connection.id,
    status: connection.status,
    accepter,
    requester,
    plan: [],
    unmanaged: {},
  };
  const pending = connection.status === "pending-acceptance";
  const refuse = (reasons: string[]): Decision => ({
    ...base,
    action: pending ? "reject" : "ignore",
    reasons,
  });

  if (!pending && connection.status !== "active") {
    return {
      ...base,
      action: "ignore",
      reasons: [`connection is ${connection.status}, not pending-acceptance`],
    };
  }
  if (requester.cidrs.length === 0) {
    return refuse([
      "no requester CIDR could be read from the connection, so the request cannot be validated",
    ]);
  }
  const overlapping = requester.cidrs.flatMap((r) =>
    accepter.cidrs
      .filter((a) => overlaps(r, a))
      .map((a) => `requester CIDR ${r} overlaps accepter CIDR ${a}`),
  );
  if (overlapping.length > 0) return refuse(overlapping);

  const { rule, verdicts } = findApprovingRule(policy, { accepter, requester });
  if (!rule) {
    const why = verdicts.map((v) => `rule '${v.rule.name}': ${v.approves ? "approves" : v.reason}`);
    const reasons = [pending ? "no rule approves this request" : "active connection outside policy", ...why];
    if (policy.rules.length === 0) reasons.push("the policy has no rules");
    return { ...base, action: pending ? policy.unmatched : "ignore", reasons };
  }

  const { plan, unmanaged, notes } = planRoutes(facts, rule);
  const conflicts = plan.filter((route) => route.status === "conflict").map(describePlannedRoute);
  if (conflicts.length > 0 && pending) {
    return { ...base, action: "reject", rule: rule.name, reasons: conflicts, plan, unmanaged };
  }
  const approval = `rule '${rule.name}' approves requester ${requester.account} ${requester.region} ${requester.vpcId} with CIDRs ${requester.cidrs.join(", ")}`;
  return {
    ...base,
    action: "accept",
    rule: rule.name,
    reasons: [approval, ...conflicts, ...notes],
    plan,
    unmanaged,
  };
}

function planRoutes(facts: DecisionFacts, rule: Rule) {
  const { connection } = facts;
  const notes: string[] = [];
  const unmanaged: Decision["unmanaged"] = {};
  const accepterPlan = planSideRoutes({
    side: "accepter",
    ...connection.accepter,
    tables: facts.accepterRouteTables,
    selector: rule.routes.accepter,
    destinations: connection.requester.cidrs,
    connectionId: connection.id,
  });
  let requesterPlan: PlannedRoute[] = [];
  if (facts.requesterRouteTables.readable) {
    requesterPlan = planSideRoutes({
      side: "requester",
      ...connection.requester,
      tables: facts.requesterRouteTables.tables,
      selector: rule.routes.requester,
      destinations: facts.accepterCidrs,
      connectionId: connection.id,
    });
  } else {
    unmanaged.requester = facts.requesterRouteTables.reason;
    notes.push(`requester side not managed: ${facts.requesterRouteTables.reason}`);
  }
  for (const [side, selector, plan] of [
    ["accepter", rule.routes.accepter, accepterPlan],
    ["requester", rule.routes.requester, requesterPlan],
  ] as const) {
    if (selector !== "none" && plan.length === 0 && !unmanaged[side]) {
      notes.push(`no ${side} route table matches the rule's selection ${JSON.stringify(selector)}`);
    }
  }
  return { plan: [...accepterPlan, ...requesterPlan], unmanaged, notes };
}
