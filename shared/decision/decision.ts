import type { PeeringSide } from "../facts";
import type { PlannedRoute, Side } from "../routes/plan-routes";

/**
 * - accept: accept a pending request, wait for it to be active, then do what `maintain` does;
 * - reject: reject a pending request;
 * - maintain: an active connection the policy governs: make its routes and DNS settings what the plan says;
 * - cleanup: a dead connection (deleted, rejected, expired, failed): remove the routes that target it;
 * - ignore: change nothing.
 */
export type Action = "accept" | "reject" | "maintain" | "cleanup" | "ignore";

/** What people should hear about: these go to the notification topic. */
export type Finding = "rejected" | "route-conflict" | "outside-policy" | "cidr-not-allowed";

/** A route that targets this connection but that the plan does not want (stale CIDR, dead connection). */
export interface PlannedRemoval {
  side: Side;
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
}

/** Remote DNS resolution for one side, set by that side's owner in its own region. */
export interface DnsChange {
  side: Side;
  account: string;
  region: string;
  status: "enable" | "present";
}

/**
 * What the service decided about one peering connection, and why. A plain value: it is logged,
 * published, tagged onto the connection, printed by the demo and the CLI, and carried out by the AWS layer.
 */
export interface Decision {
  connectionId: string;
  /** The connection's status when it was decided. */
  status: string;
  action: Action;
  /** The rule that approved the request or governs the connection, when one does. */
  rule?: string;
  reasons: string[];
  /** Accepter CIDRs are those DescribeVpcs reports; requester CIDRs those the connection reports. */
  accepter: PeeringSide;
  requester: PeeringSide;
  plan: PlannedRoute[];
  removals: PlannedRemoval[];
  dns: DnsChange[];
  findings: Finding[];
  /** Sides whose routes the service cannot manage, and why (e.g. no role in the requester account). */
  unmanaged: Partial<Record<Side, string>>;
}
