import type { World } from "../../model";
import { ACCEPTER, PARTNER, REQUESTER, SHARED_VPC } from "./harness";

/**
 * The shared-services VPC of the accepter account (us-east-1) and requester VPCs in another
 * account, in the accepter's region and in another one. Ids are those of the sample events.
 */
export function sharedServices(world: World) {
  const shared = world.addVpc({
    ownerId: ACCEPTER,
    region: "us-east-1",
    vpcId: SHARED_VPC,
    cidrs: ["10.0.0.0/16"],
  });
  const sharedMain = world.routeTablesOfVpc(shared)[0]?.id ?? "";
  const sharedPrivate = world.addRouteTable({
    vpcId: shared,
    tags: { tier: "private" },
    routes: [{ destination: "0.0.0.0/0", target: { natGatewayId: "nat-0aaaabbbbccccdddd" } }],
  });
  const app = world.addVpc({
    ownerId: REQUESTER,
    region: "us-east-1",
    vpcId: "vpc-0a1b2c3d4e5f60001",
    cidrs: ["10.20.0.0/16"],
  });
  const appEu = world.addVpc({
    ownerId: REQUESTER,
    region: "eu-west-1",
    vpcId: "vpc-0a1b2c3d4e5f60002",
    cidrs: ["10.24.0.0/16", "10.25.0.0/16"],
    ipv6Cidrs: ["fd00:16:24::/48"],
  });
  const partner = world.addVpc({ ownerId: PARTNER, region: "us-east-1", cidrs: ["172.20.0.0/16"] });
  return {
    shared,
    sharedMain,
    sharedPrivate,
    app,
    appMain: mainTable(world, app),
    appEu,
    appEuMain: mainTable(world, appEu),
    partner,
  };
}

export function mainTable(world: World, vpcId: string): string {
  const table = world.routeTablesOfVpc(vpcId).find((t) => t.main);
  if (!table) throw new Error(`${vpcId} has no main route table`);
  return table.id;
}

/**
 * A backlog in one account-region: the shared-services VPC has pending requests from `approved` VPCs of
 * the requester account in 10.0.0.0/8 and from `outside` VPCs in 172.16.0.0/12, which BACKLOG_POLICY
 * does not allow.
 */
export function backlog(world: World, counts: { approved: number; outside?: number }) {
  const shared = world.addVpc({
    ownerId: ACCEPTER,
    region: "us-east-1",
    vpcId: SHARED_VPC,
    cidrs: ["10.0.0.0/16"],
  });
  const requests = Array.from({ length: counts.approved + (counts.outside ?? 0) }, (_, i) => {
    const cidr = i < counts.approved ? `10.${16 + i}.0.0/16` : `172.${16 + i - counts.approved}.0.0/16`;
    const vpc = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: [cidr] });
    return { vpc, cidr, connectionId: world.addPeering({ requesterVpcId: vpc, accepterVpcId: shared }) };
  });
  return { shared, sharedMain: mainTable(world, shared), requests };
}

export const BACKLOG_POLICY = `
version: 1
rules:
  - name: apps
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.0.0.0/8"] }
`;

/**
 * A more specific route to a transit gateway in `routeTableId`: it would shadow part of a peer's
 * 10.20.0.0/16, so a request from that peer conflicts with it.
 */
export function addShadowingRoute(world: World, routeTableId: string): void {
  world.routeTable(routeTableId).routes.push({
    destination: "10.20.4.0/24",
    target: { transitGatewayId: "tgw-0123456789abcdef0" },
    state: "active",
    origin: "CreateRoute",
  });
}

/** A policy that approves only requesters in eu-west-1 and leaves every other request pending for a person. */
export const ONLY_EU_OR_PENDING = `
version: 1
unmatched: ignore
rules:
  - name: only-eu
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${REQUESTER}"], regions: ["eu-west-1"], cidrs: ["10.0.0.0/8"] }
`;
