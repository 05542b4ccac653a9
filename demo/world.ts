import { World } from "../model";

export const ACCEPTER = "111111111111";
export const REQUESTER = "222222222222";
/** A vendor's account outside the organisation: no execution role there. */
export const VENDOR = "777777777777";

/**
 * The demo's organisation: a shared-services VPC in the accepter account (where the function runs)
 * with a route table for partners, five VPCs of an application account asking to peer with it, and
 * two VPCs of a vendor whose requests a person must answer.
 */
export function demoWorld() {
  const world = new World({ homeAccount: ACCEPTER });
  world.addAccount(ACCEPTER).addAccount(REQUESTER).addAccount(VENDOR, { role: false });
  const shared = world.addVpc({
    ownerId: ACCEPTER,
    region: "us-east-1",
    vpcId: "vpc-0f9e8d7c6b5a40001",
    cidrs: ["10.0.0.0/16"],
  });
  world.addRouteTable({
    vpcId: shared,
    tags: { Name: "shared-private" },
    routes: [{ destination: "0.0.0.0/0", target: { natGatewayId: "nat-0aaaabbbbccccdddd" } }],
  });
  world.addRouteTable({ vpcId: shared, tags: { Name: "shared-partners", peering: "partners" } });
  const payments = world.addVpc({
    ownerId: REQUESTER,
    region: "eu-west-1",
    vpcId: "vpc-0a1b2c3d4e5f60002",
    cidrs: ["10.24.0.0/16"],
    ipv6Cidrs: ["fd00:16:24::/48"],
  });
  const analytics = world.addVpc({
    ownerId: REQUESTER,
    region: "us-east-1",
    cidrs: ["10.20.0.0/16", "100.64.8.0/22"],
  });
  const legacy = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.0.128.0/20"] });
  const reporting = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.28.0.0/16"] });
  const dataLake = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.32.0.0/16"] });
  const vendorEtl = world.addVpc({ ownerId: VENDOR, region: "us-east-1", cidrs: ["10.77.0.0/20"] });
  const vendorSandbox = world.addVpc({ ownerId: VENDOR, region: "us-east-1", cidrs: ["10.77.16.0/20"] });
  const names: Record<string, string> = {
    [shared]: "shared-services",
    [payments]: "payments",
    [analytics]: "analytics",
    [legacy]: "legacy",
    [reporting]: "reporting",
    [dataLake]: "data-lake",
    [vendorEtl]: "vendor-etl",
    [vendorSandbox]: "vendor-sandbox",
  };
  return { world, shared, payments, analytics, legacy, reporting, dataLake, vendorEtl, vendorSandbox, names };
}
