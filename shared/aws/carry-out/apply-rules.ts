import {
  AuthorizeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { isIpv6 } from "../../cidr";
import { groupBy, type NonEmpty } from "../../collections";
import type { PlannedRevoke, PlannedRule } from "../../security-groups/plan-rules";
import { CONNECTION_TAG, ruleKey } from "../../security-groups/rule-key";
import { failureText, hasErrorCode } from "../error-code";
import { toIngressRule } from "../read/to-facts";
import type { AwsSessions } from "../sessions/sessions";

export type RuleResult =
  | { rule: PlannedRule; result: "created"; ruleId: string }
  | { rule: PlannedRule; result: "present" }
  | { rule: PlannedRule; result: "failed"; error: string };

export type RevokeResult =
  | { rule: PlannedRevoke; result: "revoked" | "already absent" }
  | { rule: PlannedRevoke; result: "failed"; error: string };

/**
 * Creates the plan's missing rules, one AuthorizeSecurityGroupIngress per group (each group in its own
 * account and region, all in parallel), every rule tagged with the connection in the same call. A call
 * is all or nothing: when one of its rules exists already (someone made it, or the first send of this
 * call did, its answer lost), each rule is sent on its own, and the one that exists counts as present.
 */
export async function authorizeRules(
  sessions: AwsSessions,
  connectionId: string,
  plan: PlannedRule[],
): Promise<RuleResult[]> {
  const present = plan
    .filter((rule) => rule.status === "present")
    .map((rule) => ({ rule, result: "present" as const }));
  const missing = plan.filter((rule) => rule.status === "create");
  const byGroup = [...groupBy(missing, groupKey).values()];
  const created = await Promise.all(
    byGroup.map(async (rules) => {
      const ec2 = sessions.ec2(rules[0].account, rules[0].region);
      const all = await authorize(ec2, connectionId, rules);
      if (all !== "duplicate") return all;
      const each =
        rules.length === 1
          ? ["duplicate" as const]
          : await Promise.all(rules.map((rule) => authorize(ec2, connectionId, [rule])));
      return each.flatMap((results, i): RuleResult[] =>
        results === "duplicate" ? [{ rule: rules[i] as PlannedRule, result: "present" }] : results,
      );
    }),
  );
  return [...present, ...created.flat()];
}

async function authorize(
  ec2: EC2Client,
  connectionId: string,
  rules: NonEmpty<PlannedRule>,
): Promise<RuleResult[] | "duplicate"> {
  try {
    const answer = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: rules[0].groupId,
        IpPermissions: rules.map((rule) => permission(rule, connectionId)),
        TagSpecifications: [
          { ResourceType: "security-group-rule", Tags: [{ Key: CONNECTION_TAG, Value: connectionId }] },
        ],
      }),
    );
    const ids = new Map(
      (answer.SecurityGroupRules ?? []).map((made) => [
        ruleKey(toIngressRule(made)),
        made.SecurityGroupRuleId ?? "",
      ]),
    );
    return rules.map((rule) => ({ rule, result: "created", ruleId: ids.get(ruleKey(rule)) ?? "" }));
  } catch (error) {
    if (hasErrorCode(error, "InvalidPermission.Duplicate")) return "duplicate";
    return rules.map((rule) => ({ rule, result: "failed", error: failureText(error) }));
  }
}

function permission(rule: PlannedRule, connectionId: string): IpPermission {
  // A description tells whoever reads the group by hand whose rule this is.
  const Description = `peering-autopilot ${connectionId}`;
  return {
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...(isIpv6(rule.cidr)
      ? { Ipv6Ranges: [{ CidrIpv6: rule.cidr, Description }] }
      : { IpRanges: [{ CidrIp: rule.cidr, Description }] }),
  };
}

/**
 * Revokes the service's unwanted rules by id, one RevokeSecurityGroupIngress per group. A call naming
 * a rule that is gone revokes nothing: each rule is then sent on its own, and one already gone (or its
 * group) counts as done.
 */
export async function revokeRules(sessions: AwsSessions, revokes: PlannedRevoke[]): Promise<RevokeResult[]> {
  const byGroup = [...groupBy(revokes, groupKey).values()];
  const results = await Promise.all(
    byGroup.map(async (rules) => {
      const ec2 = sessions.ec2(rules[0].account, rules[0].region);
      const all = await revoke(ec2, rules);
      if (all !== "gone") return all;
      const each =
        rules.length === 1 ? ["gone" as const] : await Promise.all(rules.map((rule) => revoke(ec2, [rule])));
      return each.flatMap((results, i): RevokeResult[] =>
        results === "gone" ? [{ rule: rules[i] as PlannedRevoke, result: "already absent" }] : results,
      );
    }),
  );
  return results.flat();
}

async function revoke(ec2: EC2Client, rules: NonEmpty<PlannedRevoke>): Promise<RevokeResult[] | "gone"> {
  try {
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: rules[0].groupId,
        SecurityGroupRuleIds: rules.map((rule) => rule.ruleId),
      }),
    );
    return rules.map((rule) => ({ rule, result: "revoked" }));
  } catch (error) {
    if (hasErrorCode(error, "InvalidSecurityGroupRuleId.NotFound", "InvalidPermission.NotFound"))
      return "gone";
    // The group is gone, and its rules with it.
    if (hasErrorCode(error, "InvalidGroup.NotFound")) {
      return rules.map((rule) => ({ rule, result: "already absent" }));
    }
    return rules.map((rule) => ({ rule, result: "failed", error: failureText(error) }));
  }
}

const groupKey = (rule: { account: string; region: string; groupId: string }) =>
  `${rule.account}/${rule.region}/${rule.groupId}`;
