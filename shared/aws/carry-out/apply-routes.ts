import { CreateRouteCommand, DescribeRouteTablesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { isIpv6 } from "../../cidr";
import type { PlannedRoute } from "../../routes/plan-routes";
import { findOwnRoute } from "../../routes/route-conflict";
import { failureText, hasErrorCode } from "../error-code";
import { toRouteTable } from "../read/to-facts";
import type { AwsSessions } from "../sessions/sessions";

export type RouteResult =
  | { route: PlannedRoute; result: "created" | "present" | "conflicting" }
  | { route: PlannedRoute; result: "failed"; error: string };

/**
 * Creates the plan's missing routes, all sides in parallel, each in its own account and region.
 * Idempotent: present routes are left alone, and a route that appeared since planning is re-read,
 * never overwritten.
 */
export function applyRoutes(
  sessions: AwsSessions,
  connectionId: string,
  plan: PlannedRoute[],
): Promise<RouteResult[]> {
  return Promise.all(
    plan.map(async (route): Promise<RouteResult> => {
      if (route.status === "present") return { route, result: "present" };
      if (route.status === "conflict") return { route, result: "conflicting" };
      return createRoute(sessions.ec2(route.account, route.region), connectionId, route);
    }),
  );
}

async function createRoute(ec2: EC2Client, connectionId: string, route: PlannedRoute): Promise<RouteResult> {
  const destination = isIpv6(route.destination)
    ? { DestinationIpv6CidrBlock: route.destination }
    : { DestinationCidrBlock: route.destination };
  try {
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: route.routeTableId,
        VpcPeeringConnectionId: connectionId,
        ...destination,
      }),
    );
    return { route, result: "created" };
  } catch (error) {
    if (hasErrorCode(error, "RouteAlreadyExists")) return whoseRoute(ec2, connectionId, route);
    return { route, result: "failed", error: failureText(error) };
  }
}

/**
 * Another invocation may have created the same route a moment ago, or this call did: the SDK re-sends a
 * call whose answer was lost, and the re-send finds the route the first send made. Ours is present;
 * anything else is a conflict.
 */
async function whoseRoute(ec2: EC2Client, connectionId: string, route: PlannedRoute): Promise<RouteResult> {
  const { RouteTables } = await ec2.send(
    new DescribeRouteTablesCommand({ RouteTableIds: [route.routeTableId] }),
  );
  const table = RouteTables?.[0] && toRouteTable(RouteTables[0]);
  const ours = table && findOwnRoute(table.routes, route.destination, connectionId);
  return { route, result: ours ? "present" : "conflicting" };
}
