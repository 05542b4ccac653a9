import type { PeeringSide } from "../facts";
import type { PlannedRoute, Side } from "../routes/plan-routes";

export type Action = "accept" | "reject" | "ignore";

/**
 * What the service decided about one peering connection, and why. A plain value: it is logged,
 * tagged onto the connection, printed by the demo, and carried out by the AWS layer.
 */
export interface Decision {
  connectionId: string;
  /** The connection's status when it was decided. */
  status: string;
  action: Action;
  /** The rule that approved the request, when one did. */
  rule?: string;
  reasons: string[];
  /** Accepter CIDRs are those DescribeVpcs reports; requester CIDRs those the connection reports. */
  accepter: PeeringSide;
  requester: PeeringSide;
  plan: PlannedRoute[];
  /** Sides whose routes the service cannot manage, and why (e.g. no role in the requester account). */
  unmanaged: Partial<Record<Side, string>>;
}
