import type { Route, RouteTable } from "../facts";
import type { RouteTableSelector } from "../policy/schema";
import { findOwnRoute, isConflictingRoute } from "./route-conflict";
import { selectRouteTables } from "./select-route-tables";

export type Side = "accepter" | "requester";

/**
 * One route the plan wants: `create` it, it is already `present`, or a `conflict` stops it
 * (`conflictsWith` names the route in the way).
 */
export interface PlannedRoute {
  side: Side;
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
  status: "create" | "present" | "conflict";
  conflictsWith?: Route;
}

export interface SidePlanInput {
  side: Side;
  account: string;
  region: string;
  tables: RouteTable[];
  selector: RouteTableSelector;
  /** The peer VPC's own CIDRs: peering is not transitive, so nothing else is ever routed. */
  destinations: string[];
  connectionId: string;
}

/** The routes one side needs: every peer CIDR in every selected table. */
export function planSideRoutes(input: SidePlanInput): PlannedRoute[] {
  const { side, account, region, connectionId } = input;
  return selectRouteTables(input.tables, input.selector).flatMap((table) =>
    input.destinations.map((destination): PlannedRoute => {
      const base = { side, account, region, routeTableId: table.id, destination };
      // Conflicts first: our own route being there does not make a more specific foreign one harmless.
      const conflict = table.routes.find((route) => isConflictingRoute(route, destination, connectionId));
      if (conflict) return { ...base, status: "conflict", conflictsWith: conflict };
      return {
        ...base,
        status: findOwnRoute(table.routes, destination, connectionId) ? "present" : "create",
      };
    }),
  );
}

export function describePlannedRoute(route: PlannedRoute): string {
  const where = `${route.side} ${route.routeTableId} (${route.account} ${route.region})`;
  const conflict = route.conflictsWith;
  return conflict
    ? `${where}: ${route.destination} conflicts with existing route ${conflict.destination} -> ${conflict.target}`
    : `${where}: ${route.destination} ${route.status}`;
}
