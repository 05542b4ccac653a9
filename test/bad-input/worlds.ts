import type { World } from "../../model";
import { ACCEPTER, REQUESTER } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";

/** Named nowhere in the shipped policy, as accepter or requester. */
export const STRANGER = "444444444444";

/**
 * A world in which nothing is left to do under the shipped policy, so that any event about it
 * warrants no change at all:
 * - `steady`: app (10.20.0.0/16) <-> shared, active, routed on both sides and tagged, as the service
 *   leaves an approved request (payments-to-shared: all tables on both sides);
 * - `outside`: wide (192.168.0.0/16) <-> shared, accepted by hand: active, no rule governs it, no routes;
 * - `probe`: a request from shared to a stranger's VPC, pending: its accepter is outside the policy.
 * Each valid event about it is decided without any mutating call (checked by a control test).
 */
export function steadyWorld(world: World) {
  const ids = sharedServices(world);
  world.addAccount(STRANGER);
  const wide = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
  const strangerVpc = world.addVpc({ ownerId: STRANGER, region: "us-east-1", cidrs: ["10.30.0.0/16"] });

  const steady = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared, status: "active" });
  const route = (destination: string) => ({
    destination,
    target: { vpcPeeringConnectionId: steady },
    state: "active" as const,
    origin: "CreateRoute" as const,
  });
  world.routeTable(ids.sharedMain).routes.push(route("10.20.0.0/16"));
  world.routeTable(ids.sharedPrivate).routes.push(route("10.20.0.0/16"));
  world.routeTable(ids.appMain).routes.push(route("10.0.0.0/16"));
  world.peering(steady).tagsByAccount[ACCEPTER] = {
    "peering-autopilot:decision": "accept",
    "peering-autopilot:rule": "payments-to-shared",
    "peering-autopilot:decided-at": "2026-11-20T09:14:05.000Z",
  };

  const outside = world.addPeering({ requesterVpcId: wide, accepterVpcId: ids.shared, status: "active" });
  const probe = world.addPeering({ requesterVpcId: ids.shared, accepterVpcId: strangerVpc });
  return { ...ids, wide, strangerVpc, steady, outside, probe };
}

export type SteadyIds = ReturnType<typeof steadyWorld>;

/**
 * The fuzz worlds: one pending request whose warranted decision under the shipped policy is known.
 * REJECT: from wide (192.168.0.0/16, outside every rule's CIDRs); ACCEPT: from app (10.20.0.0/16).
 */
export function pendingWorld(kind: "reject" | "accept") {
  return (world: World) => {
    const ids = sharedServices(world);
    const wide = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
    const requesterVpcId = kind === "reject" ? wide : ids.app;
    return { ...ids, wide, requesterVpcId };
  };
}
