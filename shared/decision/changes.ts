import type { PlannedRoute } from "../routes/plan-routes";
import type { Decision, DnsChange, PlannedRemoval } from "./decision";

/**
 * What carrying a decision out changes in AWS: the connection accepted or rejected, routes created and
 * removed, remote DNS resolution enabled. The service's own decision tags are bookkeeping and not listed.
 * A decision in report mode changes nothing; these are the changes it reports instead.
 */
export interface Changes {
  connection?: "accept" | "reject";
  createRoutes: PlannedRoute[];
  removeRoutes: PlannedRemoval[];
  enableDns: DnsChange[];
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
  };
}

export function hasChanges(changes: Changes): boolean {
  return (
    changes.connection !== undefined ||
    changes.createRoutes.length > 0 ||
    changes.removeRoutes.length > 0 ||
    changes.enableDns.length > 0
  );
}
