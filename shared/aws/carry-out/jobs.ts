import type { Decision } from "../../decision/decision";
import type { WaitBounds } from "../read/waiters";
import type { AwsSessions } from "../sessions/sessions";
import type { RouteResult } from "./apply-routes";
import type { RevokeResult, RuleResult } from "./apply-rules";
import type { DnsResult } from "./enable-dns";
import type { RemovalResult } from "./remove-routes";

export interface Outcome {
  /** What was done to the connection itself. */
  connection: "accepted" | "rejected" | "unchanged";
  routes: RouteResult[];
  removed: RemovalResult[];
  dns: DnsResult[];
  /** Present when the decision plans security-group rules. */
  securityGroupRules?: { authorized: RuleResult[]; revoked: RevokeResult[] };
  tagged: boolean;
}

export interface CarryOutOptions {
  sessions: AwsSessions;
  activeWait: WaitBounds;
  now: Date;
}

/** One decision to carry out, with the tags its connection carries in the accepter account. */
export interface DecisionToCarryOut {
  decision: Decision;
  currentTags: Record<string, string>;
}

/** What was done for one decision; `error` is why it stopped part way, if it did. */
export interface CarriedOut {
  outcome: Outcome;
  error?: unknown;
}

/** A decision on its way through carryOutAll. */
export interface Job extends DecisionToCarryOut {
  outcome: Outcome;
  error?: unknown;
}
