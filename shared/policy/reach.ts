import type { Policy, Reach } from "./schema";

/** Whether a reach names subnets, whose CIDRs must then be read. */
export function reachesSubnets(reach: Reach): reach is Extract<Reach, { subnets: unknown }> {
  return typeof reach === "object" && "subnets" in reach;
}

/** Whether any rule routes to subnets: only then are subnets read, so that other policies pay nothing. */
export function readsSubnets(policy: Policy): boolean {
  return policy.rules.some(
    ({ routes }) => reachesSubnets(routes.reach.accepter) || reachesSubnets(routes.reach.requester),
  );
}
