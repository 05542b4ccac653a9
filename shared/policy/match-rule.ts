import { contains } from "../cidr";
import type { PeeringSide } from "../facts";
import type { Policy, Rule } from "./schema";

/** What a rule is matched against: where each VPC lives and the requester's CIDRs. */
export interface PeeringRequest {
  accepter: Omit<PeeringSide, "cidrs">;
  requester: PeeringSide;
}

export type RuleVerdict = { rule: Rule; approves: true } | { rule: Rule; approves: false; reason: string };

/** Why `rule` does or does not approve `request`: the first selector that fails is the reason. */
export function evaluateRule(rule: Rule, request: PeeringRequest): RuleVerdict {
  const { accepter, requester } = request;
  const refuse = (reason: string): RuleVerdict => ({ rule, approves: false, reason });

  if (!rule.accepter.accounts.includes(accepter.account)) {
    return refuse(`accepter account ${accepter.account} is not listed`);
  }
  if (rule.accepter.regions && !rule.accepter.regions.includes(accepter.region)) {
    return refuse(`accepter region ${accepter.region} is not listed`);
  }
  if (rule.accepter.vpcs && !rule.accepter.vpcs.includes(accepter.vpcId)) {
    return refuse(`accepter VPC ${accepter.vpcId} is not listed`);
  }
  if (!rule.requester.accounts.includes("*") && !rule.requester.accounts.includes(requester.account)) {
    return refuse(`requester account ${requester.account} is not listed`);
  }
  if (rule.requester.regions && !rule.requester.regions.includes(requester.region)) {
    return refuse(`requester region ${requester.region} is not listed`);
  }
  const outside = requester.cidrs.filter(
    (cidr) => !rule.requester.cidrs.some((allowed) => contains(allowed, cidr)),
  );
  if (outside.length > 0) {
    return refuse(`requester CIDR ${outside.join(", ")} is not inside ${rule.requester.cidrs.join(", ")}`);
  }
  return { rule, approves: true };
}

/** Rules are tried in order; the first that approves wins. All verdicts are returned to explain a refusal. */
export function findApprovingRule(
  policy: Policy,
  request: PeeringRequest,
): { rule?: Rule; verdicts: RuleVerdict[] } {
  const verdicts: RuleVerdict[] = [];
  for (const rule of policy.rules) {
    const verdict = evaluateRule(rule, request);
    verdicts.push(verdict);
    if (verdict.approves) return { rule, verdicts };
  }
  return { verdicts };
}

/**
 * Whether an accepter account and region are this service's business at all. Outside its remit
 * the service neither decides nor assumes a role: it only logs.
 */
export function isInRemit(policy: Policy, account: string, region: string): boolean {
  return policy.rules.some(
    (rule) =>
      rule.accepter.accounts.includes(account) &&
      (!rule.accepter.regions || rule.accepter.regions.includes(region)),
  );
}

/** Accounts the policy names explicitly; the service assumes roles only into these. */
export function accountsNamed(policy: Policy): Set<string> {
  return new Set(
    policy.rules.flatMap((rule) => [
      ...rule.accepter.accounts,
      ...rule.requester.accounts.filter((a) => a !== "*"),
    ]),
  );
}

/**
 * Whether the service looks at anything in this account and region at all: as an accepter in its
 * remit, or as a requester that a rule names explicitly (in one of that rule's requester regions).
 */
export function isWatched(policy: Policy, account: string, region: string): boolean {
  return policy.rules.some(
    (rule) =>
      (rule.accepter.accounts.includes(account) &&
        (!rule.accepter.regions || rule.accepter.regions.includes(region))) ||
      (rule.requester.accounts.includes(account) &&
        (!rule.requester.regions || rule.requester.regions.includes(region))),
  );
}
