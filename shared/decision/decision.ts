import type { PeeringSide } from "../facts";
import type { Mode } from "../policy/mode";
import type { PlannedRemoval } from "../routes/plan-removals";
import type { PlannedRoute, Side } from "../routes/plan-routes";
import type { PlannedRevoke, PlannedRule } from "../security-groups/plan-rules";

/**
 * - accept: accept a pending request, wait for it to be active, then do what `maintain` does;
 * - reject: reject a pending request;
 * - maintain: an active connection the policy governs: make its routes and DNS settings what the plan says;
 * - cleanup: a dead connection (deleted, rejected, expired, failed): remove the routes that target it;
 * - await-approval: a pending request that a rule with `approval: required` approves: leave it pending,
 *   tagged so, until a person answers with the `peering-approval` tag;
 * - ignore: change nothing.
 */
export const ACTIONS = ["accept", "reject", "maintain", "cleanup", "await-approval", "ignore"] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What people should hear about: a decision with findings goes to the notification topic.
 * - `awaiting-approval`: a request parked for a person (announced once, when first parked);
 * - `approved` / `denied`: a person's answer, carried out;
 * - `approval-not-understood`: a `peering-approval` tag that is neither approve nor deny;
 * - `approval-not-applicable`: a `peering-approval` tag on a connection no approval rule matches, or
 *   one already decided: it changes nothing;
 * - `expiring-soon`: a request still pending with less than a day left (announced once);
 * - `expired`: a request that was waiting for a person expired unanswered (announced once);
 * - `report-only`: a decision in report mode that would have changed something: nothing was changed;
 * - `reach-outside-vpc`: a block the rule's `reach` lists lies outside the peer VPC: it is not routed;
 * - `quota`: a request rejected because a route table it writes, or the accepter VPC, has no room left
 *   under its quota; or an active connection's routes that do not fit a route table's quota: not created.
 */
export const FINDINGS = [
  "rejected",
  "route-conflict",
  "outside-policy",
  "cidr-not-allowed",
  "awaiting-approval",
  "approved",
  "denied",
  "approval-not-understood",
  "approval-not-applicable",
  "expiring-soon",
  "expired",
  "report-only",
  "reach-outside-vpc",
  "quota",
] as const;
export type Finding = (typeof FINDINGS)[number];

/** A person's answer to a request parked for approval, read from the connection's `peering-approval` tag. */
export interface Approval {
  answer: "approve" | "deny";
  /** The principal ARN the tag event names, or "tag" when no event said who (the reconciler found it). */
  by: string;
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
  /**
   * `report`: decided as in `enforce`, but carried out nowhere; `plan`, `removals` and `dns` are what
   * enforcing it would do. The governing rule's mode, else the policy's.
   */
  mode: Mode;
  /** The rule that approved the request or governs the connection, when one does. */
  rule?: string;
  reasons: string[];
  /** Accepter CIDRs are those DescribeVpcs reports; requester CIDRs those the connection reports. */
  accepter: PeeringSide;
  requester: PeeringSide;
  plan: PlannedRoute[];
  removals: PlannedRemoval[];
  dns: DnsChange[];
  /**
   * The security-group rules this connection should have (`plan`) and the service's own rules for it
   * that it should not (`revoke`); absent when the policy opens no security groups (they are not read).
   */
  securityGroupRules?: SecurityGroupRules;
  findings: Finding[];
  /** Sides whose routes the service cannot manage, and why (e.g. no role in the requester account). */
  unmanaged: Partial<Record<Side, string>>;
  /** The answer carried out, when a person approved or denied the request. */
  approval?: Approval;
  /** When a pending request expires (ISO 8601), as EC2 reports it. */
  expiresAt?: string;
}

export interface SecurityGroupRules {
  plan: PlannedRule[];
  revoke: PlannedRevoke[];
}
