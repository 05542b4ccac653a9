import type { ConnectionRef } from "../../events/connection-ref";
import type { PeeringConnection } from "../../facts";
import { isInRemit } from "../../policy/match-rule";
import type { Policy } from "../../policy/schema";
import { accepterNotNamed } from "../read-for-decision";
import type { SweepTarget } from "../sweep-targets";

/** One account-region's listing of its connections. */
export interface Listing {
  target: SweepTarget;
  connections: PeeringConnection[];
}

/** Who decides each listed connection, and from which view of it. */
export interface Assignment {
  /** Decided from the listing that showed them: the accepter's own, whenever the accepter is swept. */
  listed: { target: SweepTarget; connection: PeeringConnection }[];
  /** Seen only from the requester's side although the policy names the accepter: re-read there, one by one. */
  reread: { target: SweepTarget; ref: ConnectionRef }[];
  skipped: { target: SweepTarget; ref: ConnectionRef; reason: string }[];
}

export const targetKey = (where: { account: string; region: string }) => `${where.account}/${where.region}`;

/**
 * A connection between two swept account-regions is listed by both; it is decided once, on what the
 * accepter sees (its tags live there, and accepting, rejecting and tagging happen there). The
 * accepter's listing thus wins; a requester's listing only decides connections whose accepter the
 * policy does not name, as an event would.
 */
export function assignConnections(
  policy: Policy,
  swept: readonly SweepTarget[],
  listings: Listing[],
): Assignment {
  const sweptKeys = new Set(swept.map(targetKey));
  const taken = new Set<string>();
  const assignment: Assignment = { listed: [], reread: [], skipped: [] };
  for (const { target, connections } of listings) {
    for (const connection of connections) {
      if (taken.has(connection.id)) continue;
      const { accepter } = connection;
      const ref = { connectionId: connection.id, ...target };
      if (isInRemit(policy, accepter.account, accepter.region)) {
        if (!sweptKeys.has(targetKey(accepter))) assignment.reread.push({ target, ref });
        else if (targetKey(accepter) === targetKey(target)) assignment.listed.push({ target, connection });
        else continue;
      } else if (connection.status === "pending-acceptance") {
        assignment.skipped.push({ target, ref, reason: accepterNotNamed(accepter) });
      } else {
        assignment.listed.push({ target, connection });
      }
      taken.add(connection.id);
    }
  }
  return assignment;
}
