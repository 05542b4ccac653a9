import { overlaps, prefixLength, sameCidr } from "../cidr";
import type { Route } from "../facts";

/**
 * A route already in a table that would steal or contest traffic meant for the peer:
 * it targets something other than this connection, overlaps the destination, and is either at least
 * as specific (part of the peer's traffic would go elsewhere) or another peering connection's route
 * (two peers claiming the same addresses). A broader route to a gateway, such as a default route,
 * is no conflict: the new, more specific route wins.
 */
export function isConflictingRoute(route: Route, destination: string, connectionId: string): boolean {
  if (route.target === connectionId) return false;
  if (!overlaps(route.destination, destination)) return false;
  return prefixLength(route.destination) >= prefixLength(destination) || route.target.startsWith("pcx-");
}

/** The route that already sends `destination` to this connection, if any. */
export function findOwnRoute(routes: Route[], destination: string, connectionId: string): Route | undefined {
  return routes.find((route) => route.target === connectionId && sameCidr(route.destination, destination));
}
