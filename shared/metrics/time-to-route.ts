import type { DecisionRecord, RouteRef } from "../workflow/decision-record";

/** EC2 expires a request this long after it was made, so its expiration time tells when it was made. */
export const REQUEST_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Seconds from the request's creation to `now`, when carrying this decision out created the last of
 * its missing routes: routes were created, and every route the plan wants is there on every managed
 * side (none failed, none blocked by a conflicting route). A retry or a later pass finds them present
 * and creates none, so a request is measured once. Undefined otherwise, in report mode (nothing was
 * created), for a request a person approved, and when the record shows no expiration time (EC2 documents it for unaccepted requests
 * only, so a connection accepted by hand and routed later cannot be measured).
 */
export function secondsToRoute(record: DecisionRecord, now: Date): number | undefined {
  // A request that waited for a person measures the person: the alarm on this metric is about the service.
  if (record.mode !== "enforce" || record.expiresAt === undefined || record.approval) return undefined;
  const { planned, created, present, conflicting } = record.routes;
  if (created.length === 0 || conflicting.length > 0) return undefined;
  const there = new Set([...created, ...present].map(routeKey));
  if (!planned.every((route) => there.has(routeKey(route)))) return undefined;
  const createdAt = Date.parse(record.expiresAt) - REQUEST_LIFETIME_MS;
  if (Number.isNaN(createdAt)) return undefined;
  // Clocks differ a little between EC2 and Lambda; a route cannot come before its request.
  return Math.max(0, (now.getTime() - createdAt) / 1000);
}

function routeKey(route: RouteRef): string {
  return `${route.side}|${route.account}|${route.region}|${route.routeTableId}|${route.destination}`;
}
