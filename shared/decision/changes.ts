import type { PlannedRemoval } from "../routes/plan-removals";
import type { PlannedRoute } from "../routes/plan-routes";
import type { PlannedRevoke, PlannedRule } from "../security-groups/plan-rules";
import type { Decision, DnsChange } from "./decision";

/**
 * What carrying a decision out changes in AWS: the connection accepted or rejected, routes created and
 * removed, remote DNS resolution enabled, security-group rules created and revoked (listed only when
 * the policy opens security groups). The service's own decision tags are bookkeeping and not listed.
 * A decision in report mode changes nothing; these are the changes it reports instead.
 */
export interface Changes {
  connection?: "accept" | "reject";
  createRoutes: PlannedRoute[];
  removeRoutes: PlannedRemoval[];
  enableDns: DnsChange[];
  securityGroupRules?: { create: PlannedRule[]; revoke: PlannedRevoke[] };
}

/** The changes `decision` calls for, whatever its mode. */
export function changesOf(decision: Decision): Changes {
  const { action } = decision;
  const routed = action === "accept" || action === "maintain";
  const removes = routed || action === "reject" || action === "cleanup";
  return {
    ...((action === "accept" || action === "reject") && { connection: action }),
    createRoutes: routed ? decision.plan.filter((route) => route.status === "create") : [],
    removeRoutes: removes ? decision.removals : [],
    enableDns: routed ? decision.dns.filter((change) => change.status === "enable") : [],
    ...(decision.securityGroupRules && {
      securityGroupRules: {
        create: routed ? decision.securityGroupRules.plan.filter((rule) => rule.status === "create") : [],
        revoke: removes ? decision.securityGroupRules.revoke : [],
      },
    }),
  };
}

export function hasChanges(changes: Changes): boolean {
  return (
    changes.connection !== undefined ||
    changes.createRoutes.length > 0 ||
    changes.removeRoutes.length > 0 ||
    changes.enableDns.length > 0 ||
    (changes.securityGroupRules?.create.length ?? 0) > 0 ||
    (changes.securityGroupRules?.revoke.length ?? 0) > 0
  );
}
