import { DeleteRouteCommand } from "@aws-sdk/client-ec2";
import { isIpv6 } from "../../cidr";
import type { PlannedRemoval } from "../../routes/plan-removals";
import { failureText, hasErrorCode } from "../error-code";
import type { AwsSessions } from "../sessions/sessions";

export type RemovalResult =
  | { route: PlannedRemoval; result: "removed" | "already absent" }
  | { route: PlannedRemoval; result: "failed"; error: string };

/** Deletes the planned routes, all sides in parallel, each in its own account and region. */
export function removeRoutes(sessions: AwsSessions, removals: PlannedRemoval[]): Promise<RemovalResult[]> {
  return Promise.all(
    removals.map(async (route): Promise<RemovalResult> => {
      const destination = isIpv6(route.destination)
        ? { DestinationIpv6CidrBlock: route.destination }
        : { DestinationCidrBlock: route.destination };
      try {
        await sessions
          .ec2(route.account, route.region)
          .send(new DeleteRouteCommand({ RouteTableId: route.routeTableId, ...destination }));
        return { route, result: "removed" };
      } catch (error) {
        // Someone, an earlier attempt or the first send of this call (its answer lost, the SDK re-sent it)
        // removed it already: the wanted state holds.
        if (hasErrorCode(error, "InvalidRoute.NotFound")) return { route, result: "already absent" };
        return {
          route,
          result: "failed",
          error: failureText(error),
        };
      }
    }),
  );
}
