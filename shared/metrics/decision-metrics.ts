import { changesOf, hasChanges } from "../decision/changes";
import type { HandleResult } from "../workflow/handle-connection";
import { publishedRecords } from "../workflow/report-results";
import { DIMENSION, METRIC } from "./metric-names";
import type { MetricPoint } from "./metric-point";
import { secondsToRoute } from "./time-to-route";

/**
 * The metrics of one trigger's decisions. `onlyChanges` is how the trigger publishes (see
 * reportResults): an event publishes every decision, a sweep only those that changed something, and
 * Decisions, Findings and RouteConflicts count what was published, so that a steady state is quiet.
 * What was done counts whether published or not: routes created and removed, security-group rules
 * authorized and revoked, time to route, and decisions in report mode that would have changed
 * something (a sweep does not publish those).
 * `now` is when the decisions were carried out, for time to route.
 */
export function decisionMetrics(
  results: HandleResult[],
  options: { onlyChanges: boolean; now: Date },
): MetricPoint[] {
  const decided = results.flatMap((r) => (r.kind === "decided" ? [r] : []));
  const published = publishedRecords(results, options).map((record) => ({ record }));
  const count = (name: MetricPoint["name"], value: number, dimensions: Record<string, string> = {}) =>
    value > 0 ? [{ name, unit: "Count" as const, value, dimensions }] : [];
  return [
    ...published.flatMap(({ record }) => count(METRIC.decisions, 1, { [DIMENSION.action]: record.action })),
    ...decided.flatMap(({ decision }) =>
      decision.mode === "report" && hasChanges(changesOf(decision))
        ? count(METRIC.reportOnlyDecisions, 1, { [DIMENSION.action]: decision.action })
        : [],
    ),
    ...published.flatMap(({ record }) =>
      record.findings.flatMap((finding) => count(METRIC.findings, 1, { [DIMENSION.finding]: finding })),
    ),
    ...count(
      METRIC.routeConflicts,
      published.reduce((n, { record }) => n + record.routes.conflicting.length, 0),
    ),
    ...count(
      METRIC.routesCreated,
      decided.reduce((n, { record }) => n + record.routes.created.length, 0),
    ),
    ...count(
      METRIC.routesRemoved,
      decided.reduce((n, { record }) => n + record.routes.removed.length, 0),
    ),
    ...count(
      METRIC.securityGroupRulesAuthorized,
      decided.reduce((n, { record }) => n + (record.securityGroupRules?.created.length ?? 0), 0),
    ),
    ...count(
      METRIC.securityGroupRulesRevoked,
      decided.reduce((n, { record }) => n + (record.securityGroupRules?.revoked.length ?? 0), 0),
    ),
    ...decided.flatMap(({ record }) => {
      const seconds = secondsToRoute(record, options.now);
      return seconds === undefined
        ? []
        : [{ name: METRIC.timeToRoute, unit: "Seconds" as const, value: seconds, dimensions: {} }];
    }),
  ];
}
