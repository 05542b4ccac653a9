import type { Policy } from "./schema";

/** Whether any rule opens security groups: only then are they read, so that other policies pay nothing. */
export function readsSecurityGroups(policy: Policy): boolean {
  return policy.rules.some(
    ({ securityGroups }) => securityGroups.accepter !== "none" || securityGroups.requester !== "none",
  );
}
