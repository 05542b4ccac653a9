import type { RouteResult } from "../aws/apply-routes";
import type { Outcome } from "../aws/carry-out";
import type { Decision } from "../decision/decision";
import type { PlannedRoute } from "../routes/plan-routes";

/** Where a route is, in a form that reads well in a log line. */
export interface RouteRef {
  side: PlannedRoute["side"];
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
  conflictsWith?: string;
  error?: string;
}

/** The one structured record logged per decision: what was seen, decided and done. */
export interface DecisionRecord {
  connectionId: string;
  action: Decision["action"];
  rule?: string;
  reasons: string[];
  status: string;
  accepter: Decision["accepter"];
  requester: Decision["requester"];
  connection?: Outcome["connection"];
  routes: { created: RouteRef[]; present: RouteRef[]; conflicting: RouteRef[]; failed: RouteRef[] };
  unmanaged: Decision["unmanaged"];
  tagged: boolean;
  /** Set when carrying the decision out failed part way; the invocation fails so that it is retried. */
  error?: { name: string; message: string };
}

export function toDecisionRecord(decision: Decision, outcome?: Outcome, error?: Error): DecisionRecord {
  const results: RouteResult[] = outcome?.routes ?? [];
  const pick = (kind: RouteResult["result"]) => results.filter((r) => r.result === kind).map(toRouteRef);
  return {
    connectionId: decision.connectionId,
    action: decision.action,
    ...(decision.rule && { rule: decision.rule }),
    reasons: decision.reasons,
    status: decision.status,
    accepter: decision.accepter,
    requester: decision.requester,
    ...(outcome && { connection: outcome.connection }),
    routes: {
      created: pick("created"),
      present: pick("present"),
      // A rejected request's conflicts are in its plan; an accepted one's in its results.
      conflicting: outcome?.routes.length ? pick("conflicting") : plannedConflicts(decision),
      failed: pick("failed"),
    },
    unmanaged: decision.unmanaged,
    tagged: outcome?.tagged ?? false,
    ...(error && { error: { name: error.name, message: error.message } }),
  };
}

function plannedConflicts(decision: Decision): RouteRef[] {
  return decision.plan
    .filter((route) => route.status === "conflict")
    .map((route) => toRouteRef({ route, result: "conflicting" }));
}

function toRouteRef(result: RouteResult): RouteRef {
  const { side, account, region, routeTableId, destination, conflictsWith } = result.route;
  return {
    side,
    account,
    region,
    routeTableId,
    destination,
    ...(conflictsWith && { conflictsWith: `${conflictsWith.destination} -> ${conflictsWith.target}` }),
    ...(result.result === "failed" && { error: result.error }),
  };
}
