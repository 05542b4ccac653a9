import type { World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, routesOf } from "./harness";
import { mainTable, sharedServices } from "./worlds";

/** The routes of a table that target peering connections, as `destination -> pcx-…` lines. */
export function pcxRoutes(world: World, routeTableId: string): string[] {
  return routesOf(world, routeTableId).filter((line) => line.includes("-> pcx-"));
}

/**
 * A route to a peering connection, as its table's owner made it (with CreateRoute, or by hand): EC2
 * shows it `active` while the connection is active and `blackhole` otherwise, unless `state` says
 * what EC2 shows instead.
 */
export function addPcxRoute(
  world: World,
  routeTableId: string,
  destination: string,
  connectionId: string,
  state?: "active" | "blackhole",
): void {
  const target = { vpcPeeringConnectionId: connectionId };
  world.routeTable(routeTableId).routes.push({
    destination,
    target,
    state: state ?? world.routeStateFor(target),
    origin: "CreateRoute",
  });
}

/** A connection EC2 no longer knows: it was deleted a while ago and has vanished from every describe. */
export function vanish(world: World, connectionId: string): void {
  world.setPeeringStatus(connectionId, "deleted");
  world.peerings.delete(connectionId);
}

/**
 * Keeps an accepted connection `provisioning` (the model otherwise makes it active on the next
 * describe): AWS takes a while, and a sweep can run meanwhile.
 */
export function stuckProvisioning(world: World, connectionId: string): void {
  world.setPeeringStatus(connectionId, "provisioning");
  world.peering(connectionId).activeFrom = new Date(world.now().getTime() + 60 * 60 * 1000);
}

/** Two accepter account-regions (us-east-1 and eu-west-1 of the accepter account) and one unreachable. */
export const TWO_REGIONS_POLICY = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1", "eu-west-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
  - name: no-role
    accepter: { accounts: ["444444444444"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`;

/**
 * The shared-services world (see sharedServices) plus an accepter hub VPC in eu-west-1, a requester VPC
 * there for it to accept, a partner VPC in eu-west-1 that a hub asks to peer with, and an account whose
 * role the service cannot assume.
 */
export function twoRegions(world: World) {
  const ids = sharedServices(world);
  world.addAccount("444444444444", { role: false });
  const hub = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
  const partnerEu = world.addVpc({ ownerId: PARTNER, region: "eu-west-1", cidrs: ["172.30.0.0/16"] });
  const appEu2 = world.addVpc({ ownerId: REQUESTER, region: "eu-west-1", cidrs: ["10.26.0.0/16"] });
  return { ...ids, hub, hubMain: mainTable(world, hub), partnerEu, appEu2 };
}
