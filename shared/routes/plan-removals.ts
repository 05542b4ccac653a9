import { sameCidr } from "../cidr";
import type { RouteTable } from "../facts";
import type { PlannedRoute, Side } from "./plan-routes";

/** A route that targets this connection but that the plan does not want (stale CIDR, dead connection). */
export interface PlannedRemoval {
  side: Side;
  account: string;
  region: string;
  routeTableId: string;
  destination: string;
}

export interface RemovalInput {
  side: Side;
  account: string;
  region: string;
  tables: RouteTable[];
  connectionId: string;
  /** Routes the plan wants; everything else that targets the connection goes. */
  keep: PlannedRoute[];
}

/**
 * Routes in any of the VPC's tables that target this connection and that the plan does not want:
 * a CIDR the peer no longer has or the rule no longer allows, a table the rule no longer selects, or
 * every route of a dead connection. Routes to anything else are never touched.
 */
export function planRemovals(input: RemovalInput): PlannedRemoval[] {
  const { side, account, region, connectionId, keep } = input;
  return input.tables.flatMap((table) =>
    table.routes
      .filter((route) => route.target === connectionId)
      .filter(
        (route) =>
          !keep.some((k) => k.routeTableId === table.id && sameCidr(k.destination, route.destination)),
      )
      .map((route) => ({ side, account, region, routeTableId: table.id, destination: route.destination })),
  );
}
