/**
 * The names the service's metrics are published under: the code that emits them, the dashboard and the
 * alarms in serverless.yml all read them from here, so that a rename cannot leave a graph empty.
 */

export const NAMESPACE = "PeeringAutopilot";

/** The value of the `Service` dimension, on every metric (one deployment per account-region). */
export const SERVICE = "peering-autopilot";

export const DIMENSION = {
  service: "Service",
  /** A decision's action: accept, reject, maintain, cleanup, await-approval, ignore. */
  action: "Action",
  /** A finding's kind, e.g. route-conflict. */
  finding: "Finding",
  /** A reconciler pass: full or pending. */
  pass: "Pass",
} as const;

export const METRIC = {
  /** Count, {Service, Action}: decision records published. */
  decisions: "Decisions",
  /** Count, {Service, Action}: decisions in report mode that would have changed something. */
  reportOnlyDecisions: "ReportOnlyDecisions",
  /** Count, {Service, Finding}: findings of the published decisions. */
  findings: "Findings",
  /** Count, {Service}: routes the service created. */
  routesCreated: "RoutesCreated",
  /** Count, {Service}: routes the service removed, orphan blackhole routes included. */
  routesRemoved: "RoutesRemoved",
  /** Count, {Service}: security-group rules the service authorized (opened to a peer). */
  securityGroupRulesAuthorized: "SecurityGroupRulesAuthorized",
  /** Count, {Service}: security-group rules the service revoked (made for a connection, no longer wanted). */
  securityGroupRulesRevoked: "SecurityGroupRulesRevoked",
  /** Count, {Service}: conflicting routes in published decisions. */
  routeConflicts: "RouteConflicts",
  /** Count, {Service}: AWS answers that were throttling errors, each attempt. */
  throttledCalls: "ThrottledCalls",
  /** Count, {Service, Pass}: EC2 calls a pass did not send because its time was nearly up. */
  callsNotSent: "CallsNotSent",
  /** Milliseconds, {Service, Pass}: how long a reconciler pass took. */
  reconcileDuration: "ReconcileDuration",
  /** Seconds, {Service}: from a request's creation to its routes on every managed side. */
  timeToRoute: "TimeToRoute",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The units the service's metrics use, spelled as CloudWatch spells them. */
export type MetricUnit = "Count" | "Milliseconds" | "Seconds";
