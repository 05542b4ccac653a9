import type { GroupsRead } from "../facts";
import type { Policy, Rule } from "./schema";

/** Whether the rule opens security groups on either side. */
export function opensSecurityGroups({ securityGroups }: Rule): boolean {
  return securityGroups.accepter !== "none" || securityGroups.requester !== "none";
}

/** Whether any rule opens security groups: only then are they all read, so that other policies pay less. */
export function readsSecurityGroups(policy: Policy): boolean {
  return policy.rules.some(opensSecurityGroups);
}

/**
 * Which security groups a read needs: every group where a rule opens some; else, where rules the
 * service made may have to go (`revokes`: a full pass, a dead connection), only the groups holding
 * them, since a rule withdrawn from the policy leaves its connection's rules behind; else none.
 */
export function groupsToRead(policies: readonly Policy[], revokes: boolean): GroupsRead | undefined {
  if (policies.some(readsSecurityGroups)) return "all";
  return revokes ? "own" : undefined;
}
