import { contains, overlaps } from "../cidr";
import type { DecisionFacts } from "../facts";
import { evaluateRule, findApprovingRule } from "../policy/match-rule";
import type { Mode, Policy, Rule } from "../policy/schema";
import { describePlannedRoute } from "../routes/plan-routes";
import { APPROVAL_TAG, type ApprovalAnswer, readApprovalTag } from "./approval-tag";
import { changesOf, hasChanges } from "./changes";
import { isDead } from "./dead";
import type { Decision, Finding } from "./decision";
import {
  APPROVED_BY_TAG,
  DECISION_TAG,
  DENIED_BY_TAG,
  EXPIRY_ANNOUNCED_TAG,
  RULE_TAG,
} from "./decision-tags";
import { expiringSoon } from "./expiry";
import { type PlannedChanges, planChanges } from "./plan-changes";
import { fitToRouteQuota, fitToRuleQuota, requestOverQuota } from "./quota";

/**
 * Decides one peering connection from facts read from EC2. Pure: the same facts and policy always
 * give the same decision.
 *
 * - `pending-acceptance`: guards first (no rule can switch them off), then the rules; accept, reject,
 *   or leave it pending for a person: when the approving rule says `approval: required` (until the
 *   `peering-approval` tag answers it), or with `unmatched: ignore`.
 * - `active`: the rule that governs the pair decides which routes and DNS settings it should have
 *   (a replayed event, a manual accept, a CIDR added or removed, a retry after a crash all converge).
 * - dead (`deleted`, `rejected`, `expired`, `failed`): its leftover routes are removed.
 * - anything else is in transit and is left alone.
 *
 * The decision's mode is its rule's, else the policy's: in `report` it is decided all the same, and
 * says that it is carried out nowhere.
 */
export function decide(facts: DecisionFacts, policy: Policy): Decision {
  const decided = decideConnection(facts, policy);
  return inMode(decided, modeOf(decided, policy));
}

/**
 * The mode of the rule that decided (for a dead connection, the rule that approved it, as its tag
 * records), since switching a rule to `report` must leave every connection it governs alone; else the
 * policy's.
 */
function modeOf(decision: Decision, policy: Policy): Mode {
  return policy.rules.find((rule) => rule.name === decision.rule)?.mode ?? policy.mode;
}

function inMode(decision: Decision, mode: Mode): Decision {
  if (mode === "enforce") return decision;
  const wouldChange = hasChanges(changesOf(decision));
  const source = decision.rule ? `rule '${decision.rule}' is` : "the policy is";
  return {
    ...decision,
    mode,
    reasons: [
      ...decision.reasons,
      wouldChange
        ? `${source} in report mode: this is what the service would do; nothing in AWS is changed`
        : `${source} in report mode: nothing in AWS is changed`,
    ],
    ...(wouldChange && { findings: [...decision.findings, "report-only"] }),
  };
}

function decideConnection(facts: DecisionFacts, policy: Policy): Decision {
  const { connection } = facts;
  const base: Decision = {
    connectionId: connection.id,
    status: connection.status,
    action: "ignore",
    mode: "enforce",
    reasons: [],
    accepter: { ...connection.accepter, cidrs: facts.accepterCidrs },
    requester: connection.requester,
    plan: [],
    removals: [],
    dns: [],
    findings: [],
    unmanaged: {},
    ...(connection.expiresAt && { expiresAt: connection.expiresAt }),
  };
  if (connection.status === "pending-acceptance") return decidePending(facts, policy, base);
  const decided = decideSettled(facts, policy, base);
  if (facts.answeredBy === undefined || answerCarriedOut(connection.tags)) return decided;
  return withAnswerIgnored(decided, `the connection is ${connection.status}`);
}

/** A tag event that came after its answer was carried out (the pending pass was first): nothing to report. */
function answerCarriedOut(tags: Record<string, string>): boolean {
  const { kind } = readApprovalTag(tags);
  return (
    (kind === "approve" && tags[APPROVED_BY_TAG] !== undefined) ||
    (kind === "deny" && tags[DENIED_BY_TAG] !== undefined)
  );
}

function decideSettled(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const { status } = facts.connection;
  if (status === "active") return decideActive(facts, policy, base);
  if (isDead(status)) return decideDead(facts, policy, base);
  return { ...base, reasons: [`connection is ${status}; it is left alone until it settles`] };
}

function decidePending(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const decided = decideRequest(facts, policy, base);
  const stillPending = decided.action === "await-approval" || decided.action === "ignore";
  const expiring = stillPending ? expiringSoon(facts) : undefined;
  if (!expiring) return decided;
  return {
    ...decided,
    reasons: [...decided.reasons, expiring.reason],
    findings: [...decided.findings, "expiring-soon"],
  };
}

function decideRequest(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const { accepter, requester } = base;
  const answer = readApprovalTag(facts.connection.tags);
  const by = facts.answeredBy ?? "tag";
  // A rejected connection can carry no traffic: routes its owners made to it in advance go too.
  const leftovers = planChanges(facts, undefined, []);
  const reject = (reasons: string[], extra: Partial<Decision> = {}): Decision => ({
    ...base,
    action: "reject",
    reasons: [...reasons, ...approvalNotCarriedOut(answer)],
    findings: ["rejected"],
    removals: leftovers.removals,
    unmanaged: leftovers.unmanaged,
    ...(leftovers.securityGroupRules && { securityGroupRules: leftovers.securityGroupRules }),
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
    return withAnswerIgnored(
      { ...base, reasons, findings: ["outside-policy"] },
      answer.kind === "none" ? undefined : "no rule that asks for approval matches the request",
    );
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
  // Over a quota, accepting would fail (the VPC's) or stop half way through the routes (a table's).
  const overQuota = requestOverQuota(facts, changes.plan, changes.securityGroupRules?.plan);
  if (overQuota.length > 0) {
    return reject(overQuota, { rule: rule.name, plan: changes.plan, findings: ["rejected", "quota"] });
  }
  const accept = (reasons: string[], extra: Partial<Decision> = {}): Decision => ({
    ...base,
    ...withoutNotes(changes),
    action: "accept",
    rule: rule.name,
    reasons: [...reasons, approval(rule, base), ...changes.notes],
    ...extra,
    findings: [...(extra.findings ?? []), ...reachFindings(changes)],
  });
  if (rule.approval !== "required") {
    const decided = accept([]);
    return answer.kind === "none"
      ? decided
      : withAnswerIgnored(decided, `rule '${rule.name}' approves the request without asking a person`);
  }
  if (answer.kind === "approve") {
    return accept([`approved by ${by}`], { findings: ["approved"], approval: { answer: "approve", by } });
  }
  if (answer.kind === "deny") {
    return {
      ...reject([`denied by ${by}`, `rule '${rule.name}' asks a person to approve this request`]),
      rule: rule.name,
      findings: ["rejected", "denied"],
      approval: { answer: "deny", by },
    };
  }
  return awaitApproval(facts, rule, base, changes, answer);
}

/** A request the rule approves but a person must answer: it stays pending, and says how to answer. */
function awaitApproval(
  facts: DecisionFacts,
  rule: Rule,
  base: Decision,
  changes: PlannedChanges,
  answer: Exclude<ApprovalAnswer, { kind: "approve" | "deny" }>,
): Decision {
  const { tags } = facts.connection;
  const { accepter } = base;
  const alreadyAnnounced = tags[DECISION_TAG] === "await-approval" && tags[RULE_TAG] === rule.name;
  const findings: Finding[] = [
    ...(alreadyAnnounced ? [] : ["awaiting-approval" as const]),
    ...reachFindings(changes),
  ];
  const reasons = [
    `${approval(rule, base)}; the rule asks a person to approve it`,
    `to answer, tag ${base.connectionId} in account ${accepter.account} region ${accepter.region} with ${APPROVAL_TAG}=approve or ${APPROVAL_TAG}=deny`,
  ];
  if (answer.kind === "unclear") {
    findings.push("approval-not-understood");
    reasons.push(`${APPROVAL_TAG} is '${answer.value}', which is neither approve nor deny: nothing changes`);
  }
  return {
    ...base,
    ...withoutNotes(changes),
    action: "await-approval",
    rule: rule.name,
    reasons: [...reasons, ...changes.notes],
    findings,
  };
}

/** A `peering-approval` tag the decision did not act on; reported so that the person who set it knows. */
function withAnswerIgnored(decision: Decision, why: string | undefined): Decision {
  if (why === undefined) return decision;
  return {
    ...decision,
    reasons: [...decision.reasons, `the ${APPROVAL_TAG} tag changes nothing: ${why}`],
    findings: [...decision.findings, "approval-not-applicable"],
  };
}

/** Why a person's answer was not what decided a rejected request. */
function approvalNotCarriedOut(answer: ApprovalAnswer): string[] {
  return answer.kind === "approve" ? ["the approval is not carried out: the request is rejected"] : [];
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
  const fitted = fitToRouteQuota(facts, changes.plan);
  const fittedRules = fitToRuleQuota(facts, changes.securityGroupRules);
  const findings: Finding[] = [];
  if (notAllowed.length > 0) findings.push("cidr-not-allowed");
  if (conflicts.length > 0) findings.push("route-conflict");
  if (fitted.reasons.length > 0 || fittedRules.reasons.length > 0) findings.push("quota");
  findings.push(...reachFindings(changes));
  const reasons = [
    `rule '${rule.name}' governs this connection`,
    ...notAllowed.map(
      (c) => `requester CIDR ${c} is not inside ${rule.requester.cidrs.join(", ")}: not routed`,
    ),
    ...conflicts,
    ...fitted.reasons,
    ...fittedRules.reasons,
    ...changes.notes,
  ];
  return {
    ...base,
    ...withoutNotes(changes),
    plan: fitted.plan,
    ...(fittedRules.rules && { securityGroupRules: fittedRules.rules }),
    action: "maintain",
    rule: rule.name,
    reasons,
    findings,
  };
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
  const tagged = policy.rules.find((r) => r.name === facts.connection.tags[RULE_TAG]);
  if (tagged && allowsSome(tagged)) return tagged;
  return policy.rules.find(allowsSome);
}

function decideDead(facts: DecisionFacts, policy: Policy, base: Decision): Decision {
  const changes = planChanges(facts, undefined, []);
  // The rule that approved it, as its tag records, while the policy still has it: the cleanup is its.
  const tagged = policy.rules.find((rule) => rule.name === facts.connection.tags[RULE_TAG]);
  const count = changes.removals.length;
  const rules = changes.securityGroupRules;
  const unanswered = expiredUnanswered(facts);
  return {
    ...base,
    action: count > 0 || (rules?.revoke.length ?? 0) > 0 ? "cleanup" : "ignore",
    ...(tagged && { rule: tagged.name }),
    reasons: [
      `connection is ${base.status}; ${count} route(s) still target it`,
      ...(rules ? [`${rules.revoke.length} security-group rule(s) made for it remain`] : []),
      ...(unanswered ? ["the request expired while it was waiting for a person"] : []),
      ...changes.notes,
    ],
    removals: changes.removals,
    unmanaged: changes.unmanaged,
    ...(rules && { securityGroupRules: rules }),
    ...(unanswered && { findings: ["expired"] }),
  };
}

/**
 * A request that expired while the service was waiting for a person: parked for approval, or
 * announced as expiring. Recorded once (the tags then say `expired`).
 */
function expiredUnanswered(facts: DecisionFacts): boolean {
  const { status, tags } = facts.connection;
  if (status !== "expired" || tags[DECISION_TAG] === "expired") return false;
  return tags[DECISION_TAG] === "await-approval" || tags[EXPIRY_ANNOUNCED_TAG] !== undefined;
}

function approval(rule: Rule, base: Decision): string {
  const { requester } = base;
  return `rule '${rule.name}' approves requester ${requester.account} ${requester.region} ${requester.vpcId} with CIDRs ${requester.cidrs.join(", ")}`;
}

function withoutNotes({ notes: _notes, outsideReach: _outside, ...changes }: PlannedChanges) {
  return changes;
}

/** Blocks a rule names that are outside the peer VPC are not routed, and someone should know. */
function reachFindings(changes: PlannedChanges): Finding[] {
  return changes.outsideReach.length > 0 ? ["reach-outside-vpc"] : [];
}
