import { groupBy, type NonEmpty } from "../collections";
import type { DecisionFacts } from "../facts";
import type { PlannedRoute } from "../routes/plan-routes";

/**
 * Why accepting this request would go over a quota: each route table the plan writes that has no room
 * for the routes it creates there, then the accepter VPC if it has no room for one more active peering
 * connection. Empty when everything fits, or when the facts carry no quotas.
 */
export function requestOverQuota(facts: DecisionFacts, plan: PlannedRoute[]): string[] {
  const { quotas } = facts;
  if (!quotas) return [];
  const tables = tablesWritten(facts, plan)
    .filter(({ holds, creates }) => holds + creates.length > quotas.routesPerTable)
    .map(
      ({ where, holds, creates }) =>
        `route table ${where} holds ${count(holds, "route")}; this request adds ${creates.length}, over the quota of ${quotas.routesPerTable}`,
    );
  const active = facts.accepterActivePeerings;
  if (active === undefined || active + 1 <= quotas.activePeeringsPerVpc) return tables;
  const { accepter } = facts.connection;
  return [
    ...tables,
    `accepter VPC ${accepter.vpcId} (${accepter.account} ${accepter.region}) has ${count(active, "active peering connection")}; accepting this request makes ${active + 1}, over the quota of ${quotas.activePeeringsPerVpc}`,
  ];
}

/**
 * The plan of an active connection cut to what its route tables have room for: in a table that cannot
 * take every route the plan creates there, the first ones that fit are kept and the others are left
 * out, with a reason naming the table, the numbers and the destinations not routed. Creating them
 * would only fail with RouteLimitExceeded, part way through the connection's routes.
 */
export function fitToRouteQuota(
  facts: DecisionFacts,
  plan: PlannedRoute[],
): { plan: PlannedRoute[]; reasons: string[] } {
  const quota = facts.quotas?.routesPerTable;
  if (quota === undefined) return { plan, reasons: [] };
  const left = new Set<PlannedRoute>();
  const reasons: string[] = [];
  for (const { where, holds, creates } of tablesWritten(facts, plan)) {
    const room = Math.max(0, quota - holds);
    if (creates.length <= room) continue;
    const notCreated = creates.slice(room);
    for (const route of notCreated) left.add(route);
    reasons.push(
      `route table ${where} holds ${count(holds, "route")} and has room for ${room} of the ${creates.length} this connection needs (quota ${quota}): not created: ${notCreated.map((r) => r.destination).join(", ")}`,
    );
  }
  return { plan: plan.filter((route) => !left.has(route)), reasons };
}

interface TableWritten {
  /** `rtb-… (account region)`. */
  where: string;
  /** Routes the table holds now, local routes aside (AWS does not count them). */
  holds: number;
  /** The routes the plan creates in it, in plan order. */
  creates: NonEmpty<PlannedRoute>;
}

function tablesWritten(facts: DecisionFacts, plan: PlannedRoute[]): TableWritten[] {
  const creates = plan.filter((route) => route.status === "create");
  const byTable = groupBy(creates, (route) => `${route.side} ${route.routeTableId}`);
  return [...byTable.values()].map((routes) => {
    const [{ side, routeTableId, account, region }] = routes;
    const read = side === "accepter" ? facts.accepterRouteTables : facts.requesterRouteTables;
    const table = read.readable ? read.tables.find((t) => t.id === routeTableId) : undefined;
    const holds = table?.routes.filter((route) => route.target !== "local").length ?? 0;
    return { where: `${routeTableId} (${account} ${region})`, holds, creates: routes };
  });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
