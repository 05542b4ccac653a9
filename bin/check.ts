import { loadPolicy } from "../shared/policy/load-policy";
import { describeProblem, PolicyError } from "../shared/policy/policy-error";
import type { Policy, RouteTableSelector, Rule } from "../shared/policy/schema";
import { opensSecurityGroups } from "../shared/policy/security-groups";
import { tagList } from "../shared/tags";
import { EXIT, type Io } from "./io";
import { formatPolicyAccess, policyAccess, policyIsLeastAccess } from "./least-access-policy";
import { groupsText, ingressText, reachText } from "./rule-text";

/**
 * `check`: loads each policy file as the service would and summarises what it allows, so that a
 * policy repository's CI fails on the same errors that would stop the service. Every file is checked,
 * even after an invalid one, so that one run reports them all. With `leastAccess`, each valid file's
 * rules are reported as least access or not instead, and a rule routing a whole peer VPC fails the
 * check as an invalid file does: it is a compliance check.
 */
export function checkPolicies(files: string[], io: Io, options: { leastAccess?: boolean } = {}): number {
  let exitCode: number = EXIT.ok;
  for (const file of files) {
    try {
      const policy = loadPolicy(file);
      if (options.leastAccess) {
        const access = policyAccess(policy);
        for (const line of formatPolicyAccess(file, access)) io.out(line);
        if (!policyIsLeastAccess(access)) exitCode = EXIT.failed;
      } else {
        for (const line of summarisePolicy(file, policy)) io.out(line);
      }
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      for (const line of formatPolicyError(error)) io.err(line);
      exitCode = EXIT.failed;
    }
  }
  return exitCode;
}

/** One line per problem, each naming the rule and the field, as the service's own error does. */
export function formatPolicyError(error: PolicyError): string[] {
  const count = error.problems.length === 1 ? "1 problem" : `${error.problems.length} problems`;
  return [
    `${error.file}: invalid policy (${count})`,
    ...error.problems.map((p) => `  - ${describeProblem(p)}`),
  ];
}

export function summarisePolicy(file: string, policy: Policy): string[] {
  const count = policy.rules.length === 1 ? "1 rule" : `${policy.rules.length} rules`;
  const lines = [`${file}: valid, ${count}, mode: ${policy.mode}, unmatched: ${policy.unmatched}`];
  if (policy.rules.length === 0) {
    lines.push(`  no rules: every request is handled by unmatched (${policy.unmatched})`);
  }
  for (const rule of policy.rules) lines.push(...summariseRule(rule, policy));
  return lines;
}

function summariseRule(rule: Rule, policy: Policy): string[] {
  const { accepter, requester, routes, securityGroups } = rule;
  const requesterAccounts = requester.accounts.map((a) => (a === "*" ? "* (any account)" : a));
  const lines = [
    `  rule '${rule.name}'`,
    `    accepter:  accounts ${accepter.accounts.join(", ")}; regions ${any(accepter.regions)}; vpcs ${any(accepter.vpcs)}`,
    `    requester: accounts ${requesterAccounts.join(", ")}; regions ${any(requester.regions)}; cidrs ${requester.cidrs.join(", ")}`,
    `    routes:    accepter ${selector(routes.accepter)}; requester ${selector(routes.requester)}`,
    `    reach:     requester tables route accepter ${reachText(routes.reach.accepter)}; accepter tables route requester ${reachText(routes.reach.requester)}`,
    `    groups:    ${
      opensSecurityGroups(rule)
        ? `accepter ${groupsText(securityGroups.accepter)}; requester ${groupsText(securityGroups.requester)}; admit the peer's routed addresses on ${ingressText(securityGroups.ingress)}`
        : "none opened"
    }`,
    `    mode:      ${describeMode(rule, policy)}`,
    `    approval:  ${rule.approval === "required" ? "required: each request waits for a person's peering-approval tag" : "none: approved requests are accepted at once"}`,
  ];
  // Printed from the rule itself, so that fields added to the schema show up without a change here.
  for (const [key, value] of Object.entries(rule)) {
    if (!["name", "accepter", "requester", "routes", "approval", "mode", "securityGroups"].includes(key)) {
      lines.push(`    ${key}: ${JSON.stringify(value)}`);
    }
  }
  return lines;
}

function describeMode(rule: Rule, policy: Policy): string {
  const mode = rule.mode ?? policy.mode;
  const whose = rule.mode ? "the rule's own" : "the policy's";
  return mode === "report"
    ? `report (${whose}): decided and reported, nothing carried out`
    : `enforce (${whose}): decisions are carried out`;
}

function any(list: string[] | undefined): string {
  return list ? list.join(", ") : "any";
}

function selector(value: RouteTableSelector): string {
  if (typeof value === "string") return value;
  return `tables tagged ${tagList(value.tags)}`;
}
