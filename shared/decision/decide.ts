import { contains, overlaps } from "../cidr";
import type { DecisionFacts } from "../facts";
import { evaluateRule, findApprovingRule } from "../policy/match-rule";
import type { Policy, Rule } from "../policy/schema";
import { describePlannedRoute } from "../routes/plan-routes";
import type { Decision, Finding } from "./decision";
import { TAG_PREFIX } from "./decision-tags";
import { type PlannedChanges, planChanges } from "./plan-changes";

const DEAD = new Set(["deleted", "rejected", "expired", "failed"]);

/**
 * Decides one peering connection from facts read from EC2. Pure: the same facts and policy always
 * give the same decision.
 *
 * - `pending-acceptance`: guards first (no rule can switch them off), then the rules; accept, reject,
 *   or (with `unmatched: ignore`) leave it pending for a person.
 * - `active`: the rule that governs the pair decides which routes and DNS settings it should have
 *   (a replayed event, a manual accept, a CIDR added or removed, a retry after a crash all converge).
 * - dead (`deleted`, `rejected`, `expired`, `failed`): its leftover routes are removed.
 * - anything else is in transit and is left alone.
 */
export function decide(facts: DecisionFacts, policy: Policy): Decision {
  const { connection } = facts;
  const base: Decision = {
    connectionId: connection.id,
    status: connection.status,
    action: "ignore",
    reasons: [],
    accepter: { ...connection.accepter, cidrs: facts.accepterCidrs },
    requester: connection.requester,
    plan: [],
    removals: [],
    dns: [],
    findings: [],
    unmanaged: {},
  };
  if (connection.status === "pending-acceptance") return decidePending(facts, policy, base);
  if (connection.status === "active") return decideActive(facts, policy, base);
  if (DEAD.has(connection.status)) return decideDead(facts, base);
  return { ...base, reasons: [`connection is ${connection.status}; it is left alone until it settles`] };
}

function decidePending(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const { accepter, requester } = base;
  // A rejected connection can carry no traffic: routes its owners made to it in advance go too.
  const leftovers = planChanges(facts, undefined, []);
  const reject = (reasons: string[], extra: Partial<Decision> = {}): Decision => ({
    ...base,
    action: "reject",
    reasons,
    findings: ["rejected"],
    removals: leftovers.removals,
    unmanaged: leftovers.unmanaged,
    ...extra,
  });

  if (requester.cidrs.length === 0) {
    return reject([
      "no requester CIDR could be read from the connection, so the request cannot be validated",
    ]);
  }
  // Without the accepter's CIDRs neither the overlap guard nor the requester's routes can be worked out.
  if (accepter.cidrs.length === 0) {
    return reject(["no accepter CIDR could be read, so overlaps cannot be ruled out"]);
  }
  const overlapping = requester.cidrs.flatMap((r) =>
    accepter.cidrs
      .filter((a) => overlaps(r, a))
      .map((a) => `requester CIDR ${r} overlaps accepter CIDR ${a}`),
  );
  if (overlapping.length > 0) return reject(overlapping);

  const { rule, verdicts } = findApprovingRule(policy, { accepter, requester });
  if (!rule) {
    const why = verdicts.map((v) => `rule '${v.rule.name}': ${v.approves ? "approves" : v.reason}`);
    const reasons = ["no rule approves this request", ...why];
    if (policy.rules.length === 0) reasons.push("the policy has no rules");
    if (policy.unmatched === "reject") return reject(reasons);
    return { ...base, reasons, findings: ["outside-policy"] };
  }

  const changes = planChanges(facts, rule, requester.cidrs);
  const conflicts = changes.plan.filter((route) => route.status === "conflict").map(describePlannedRoute);
  if (conflicts.length > 0) {
    return reject(conflicts, {
      rule: rule.name,
      plan: changes.plan,
      findings: ["rejected", "route-conflict"],
    });
  }
  const reasons = [approval(rule, base), ...changes.notes];
  return { ...base, ...withoutNotes(changes), action: "accept", rule: rule.name, reasons };
}

function decideActive(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const rule = governingRule(facts, policy, base);
  if (!rule) {
    return {
      ...base,
      reasons: ["active connection outside policy: no rule governs this pair"],
      findings: ["outside-policy"],
    };
  }
  const { requester } = base;
  const allowed = requester.cidrs.filter((c) => rule.requester.cidrs.some((a) => contains(a, c)));
  const notAllowed = requester.cidrs.filter((c) => !allowed.includes(c));
  const changes = planChanges(facts, rule, allowed);
  const conflicts = changes.plan.filter((route) => route.status === "conflict").map(describePlannedRoute);
  const findings: Finding[] = [];
  if (notAllowed.length > 0) findings.push("cidr-not-allowed");
  if (conflicts.length > 0) findings.push("route-conflict");
  const reasons = [
    `rule '${rule.name}' governs this connection`,
    ...notAllowed.map(
      (c) => `requester CIDR ${c} is not inside ${rule.requester.cidrs.join(", ")}: not routed`,
    ),
    ...conflicts,
    ...changes.notes,
  ];
  return { ...base, ...withoutNotes(changes), action: "maintain", rule: rule.name, reasons, findings };
}

/**
 * The rule that governs an active connection: the one that would approve it today (so that accepting
 * and maintaining agree); failing that, the rule it was approved by, as its tag records, while that
 * rule still allows some of its CIDRs; failing that, the first rule allowing at least one of them (a
 * connection accepted by hand, or a CIDR added that no rule holds with the others).
 */
function governingRule(facts: DecisionFacts, policy: Policy, base: Decision): Rule | undefined {
  const { accepter, requester } = base;
  // No CIDR to hold means no rule can be said to allow the connection (every rule "holds" nothing).
  if (requester.cidrs.length === 0) return undefined;
  const approving = findApprovingRule(policy, { accepter, requester }).rule;
  if (approving) return approving;
  const allowsSome = (candidate: Rule) => {
    const allowed = requester.cidrs.filter((c) => candidate.requester.cidrs.some((a) => contains(a, c)));
    return (
      allowed.length > 0 &&
      evaluateRule(candidate, { accepter, requester: { ...requester, cidrs: allowed } }).approves
    );
  };
  const tagged = policy.rules.find((r) => r.name === facts.connection.tags[`${TAG_PREFIX}rule`]);
  if (tagged && allowsSome(tagged)) return tagged;
  return policy.rules.find(allowsSome);
}

function decideDead(facts: DecisionFacts, base: Decision): Decision {
  const changes = planChanges(facts, undefined, []);
  const count = changes.removals.length;
  return {
    ...base,
    action: count > 0 ? "cleanup" : "ignore",
    reasons: [`connection is ${base.status}; ${count} route(s) still target it`, ...changes.notes],
    removals: changes.removals,
    unmanaged: changes.unmanaged,
  };
}

function approval(rule: Rule, base: Decision): string {
  const { requester } = base;
  return `rule '${rule.name}' approves requester ${requester.account} ${requester.region} ${requester.vpcId} with CIDRs ${requester.cidrs.join(", ")}`;
}

function withoutNotes({ notes: _notes, ...changes }: PlannedChanges) {
  return changes;
}
