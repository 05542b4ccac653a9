import type { RouteTable } from "../facts";
import type { PlannedRemoval } from "./plan-removals";

/** A route to remove, with the connection it still names. */
export interface OrphanRoute extends PlannedRemoval {
  connectionId: string;
}

/**
 * Blackhole routes to peering connections that the status listing did not show (deleted connections
 * vanish after a while). Only blackhole routes qualify: a route to a connection that still exists, in any
 * state, is the business of that connection's own decision.
 */
export function planOrphanRemovals(
  where: { account: string; region: string },
  tables: RouteTable[],
  visibleConnectionIds: ReadonlySet<string>,
): OrphanRoute[] {
  return tables.flatMap((table) =>
    table.routes
      .filter(
        (r) => r.target.startsWith("pcx-") && r.state === "blackhole" && !visibleConnectionIds.has(r.target),
      )
      .map((r) => ({
        side: "accepter" as const,
        ...where,
        routeTableId: table.id,
        destination: r.destination,
        connectionId: r.target,
      })),
  );
}
