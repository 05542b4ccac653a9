import type { NotifiedDecision, NotifiedRoute, NotifiedRule } from "./decision-event";
import { inReportMode, wouldChangeOf } from "./report-mode";

export interface RouteList {
  label: string;
  routes: NotifiedRoute[];
}

/**
 * The route lists worth telling, non-empty ones only. Planned routes are told where nothing was carried
 * out (a request awaiting approval, a rejected one); once carried out, what was created says more.
 * Routes already present are not news. In report mode nothing was carried out: the routes enforcing the
 * decision would create and remove are told instead.
 */
export function routeLists(record: NotifiedDecision): RouteList[] {
  const { routes } = record;
  const carriedOut = record.action === "accept" || record.action === "maintain";
  const planned: RouteList = {
    label: plannedLabel(record),
    routes: routes.planned,
  };
  const would = wouldChangeOf(record);
  const lists: RouteList[] = [
    ...(carriedOut ? [] : [planned]),
    { label: "Would create routes (report mode: not created)", routes: would.createRoutes },
    { label: "Would remove routes (report mode: not removed)", routes: would.removeRoutes },
    { label: "Created routes", routes: routes.created },
    { label: "Conflicting routes", routes: routes.conflicting },
    { label: "Removed routes", routes: routes.removed },
    { label: "Failed routes", routes: routes.failed },
  ];
  return lists.filter((list) => list.routes.length > 0);
}

function plannedLabel(record: NotifiedDecision): string {
  if (record.action !== "await-approval") return "Planned routes (not created)";
  return inReportMode(record)
    ? "Planned routes (report mode: approval creates none)"
    : "Planned routes (created when approved)";
}

/** `accepter 111111111111 us-east-1 rtb-… 10.20.0.0/16`, with what is in the way or what failed. */
export function describeRoute(route: NotifiedRoute): string {
  const where = `${route.side} ${route.account} ${route.region} ${route.routeTableId} ${route.destination}`;
  const conflict = route.conflictsWith ? ` (in the way: ${route.conflictsWith})` : "";
  const error = route.error ? ` (${route.error})` : "";
  return `${where}${conflict}${error}`;
}

/** The first `max` items, and a line saying how many more there are. */
export function firstOf<T>(items: T[], max: number, show: (item: T) => string): string[] {
  const shown = items.slice(0, max).map(show);
  const more = items.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more`] : shown;
}

export interface RuleList {
  label: string;
  rules: NotifiedRule[];
}

/** The security-group rule lists worth telling, as routeLists tells routes: non-empty ones only. */
export function ruleLists(record: NotifiedDecision): RuleList[] {
  const would = wouldChangeOf(record).securityGroupRules;
  const done = record.securityGroupRules;
  const lists: RuleList[] = [
    { label: "Would open security-group rules (report mode: not opened)", rules: would?.create ?? [] },
    { label: "Would revoke security-group rules (report mode: not revoked)", rules: would?.revoke ?? [] },
    { label: "Opened security-group rules", rules: done?.created ?? [] },
    { label: "Revoked security-group rules", rules: done?.revoked ?? [] },
    { label: "Failed security-group rules", rules: done?.failed ?? [] },
  ];
  return lists.filter((list) => list.rules.length > 0);
}

/** `accepter 111111111111 us-east-1 sg-… tcp 443 from 10.20.0.0/16`, with what failed. */
export function describeRule(rule: NotifiedRule): string {
  const where = `${rule.side} ${rule.account} ${rule.region} ${rule.groupId} ${rule.protocol} ${rule.ports} from ${rule.source}`;
  return `${where}${rule.ruleId ? ` (${rule.ruleId})` : ""}${rule.error ? ` (${rule.error})` : ""}`;
}
