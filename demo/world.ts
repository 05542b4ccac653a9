import { World } from "../model";

export const ACCEPTER = "111111111111";
export const REQUESTER = "222222222222";
/** A vendor's account outside the organisation: no execution role there. */
export const VENDOR = "777777777777";

/**
 * The demo's organisation: a shared-services VPC in the accepter account (where the function runs)
 * with a route table for partners, six VPCs of an application account asking to peer with it, and
 * two VPCs of a vendor whose requests a person must answer. The shared-services databases and the
 * orders application tier live in subnets tagged for the rule that routes only them.
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
  // Last, so that its ids follow those the earlier sections print.
  const orders = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.40.0.0/16"] });
  const subnet = (vpcId: string, cidr: string, tags: Record<string, string>, availabilityZone?: string) =>
    world.addSubnet({ vpcId, cidr, tags, ...(availabilityZone && { availabilityZone }) });
  subnet(shared, "10.0.0.0/20", { Name: "shared-web", Tier: "web" });
  subnet(shared, "10.0.16.0/24", { Name: "shared-data-a", Tier: "data" });
  subnet(shared, "10.0.17.0/24", { Name: "shared-data-b", Tier: "data" }, "us-east-1b");
  subnet(orders, "10.40.0.0/20", { Name: "orders-app-a", Tier: "app" });
  subnet(orders, "10.40.16.0/20", { Name: "orders-app-b", Tier: "app" }, "us-east-1b");
  subnet(orders, "10.40.64.0/20", { Name: "orders-batch", Tier: "batch" });
  // The databases' group already admits the shared-services VPC itself: a rule made by hand, which
  // the service must leave alone. The web group is not tagged for the peering at all.
  world.addSecurityGroup({
    vpcId: shared,
    name: "orders-db",
    tags: { Peering: "orders" },
    ingress: [
      { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16", description: "by hand" },
    ],
  });
  world.addSecurityGroup({
    vpcId: shared,
    name: "shared-web",
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" }],
  });
  const names: Record<string, string> = {
    [shared]: "shared-services",
    [payments]: "payments",
    [analytics]: "analytics",
    [legacy]: "legacy",
    [reporting]: "reporting",
    [dataLake]: "data-lake",
    [orders]: "orders",
    [vendorEtl]: "vendor-etl",
    [vendorSandbox]: "vendor-sandbox",
  };
  return {
    world,
    shared,
    payments,
    analytics,
    legacy,
    reporting,
    dataLake,
    orders,
    vendorEtl,
    vendorSandbox,
    names,
  };
}
