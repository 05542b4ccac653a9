import type {
  DescribeRouteTablesRequest,
  DescribeRouteTablesResult,
  Route,
  RouteTable,
  RouteTableAssociation,
} from "@aws-sdk/client-ec2";
import { isIpv6Cidr } from "../cidr";
import { ec2Error } from "../errors";
import type { Caller, RouteRecord, RouteTableRecord, RouteTarget } from "../state";
import type { World } from "../world";
import { matchesFilters, tagFilterValues } from "./filters";
import { paginate } from "./pagination";
import { toTagList } from "./tag-list";

export function describeRouteTables(
  world: World,
  caller: Caller,
  input: DescribeRouteTablesRequest,
): DescribeRouteTablesResult {
  const ids = input.RouteTableIds ?? [];
  const tables =
    ids.length > 0
      ? ids.map((id) => findOwnRouteTable(world, caller, id))
      : [...world.routeTables.values()].filter((table) => isOwnedBy(table, caller));
  const matching = tables.filter((table) =>
    matchesFilters("DescribeRouteTables", input.Filters, (name) => filterValues(table, name)),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 100 });
  return { RouteTables: page.map(routeTableView), NextToken: nextToken };
}

/** Route tables are only reachable from their owner's account and region. */
export function findOwnRouteTable(world: World, caller: Caller, id: string | undefined): RouteTableRecord {
  const table = world.routeTables.get(id ?? "");
  if (!table || !isOwnedBy(table, caller)) {
    throw ec2Error("InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`);
  }
  return table;
}

function isOwnedBy(table: RouteTableRecord, caller: Caller): boolean {
  return table.ownerId === caller.account && table.region === caller.region;
}

function routeTableView(table: RouteTableRecord): RouteTable {
  return {
    RouteTableId: table.id,
    VpcId: table.vpcId,
    OwnerId: table.ownerId,
    Associations: associations(table),
    Routes: table.routes.map(routeView),
    PropagatingVgws: [],
    Tags: toTagList(table.tags),
  };
}

function associations(table: RouteTableRecord): RouteTableAssociation[] {
  const associationId = (index: number) => `${table.id.replace("rtb-", "rtbassoc-")}${index}`;
  const state = { State: "associated" as const };
  const subnets = table.subnetIds.map((subnetId, index) => ({
    Main: false,
    RouteTableAssociationId: associationId(index + 1),
    RouteTableId: table.id,
    SubnetId: subnetId,
    AssociationState: state,
  }));
  if (!table.main) return subnets;
  return [
    {
      Main: true,
      RouteTableAssociationId: associationId(0),
      RouteTableId: table.id,
      AssociationState: state,
    },
    ...subnets,
  ];
}

function routeView(route: RouteRecord): Route {
  const destination = isIpv6Cidr(route.destination)
    ? { DestinationIpv6CidrBlock: route.destination }
    : { DestinationCidrBlock: route.destination };
  return { ...destination, ...targetView(route.target), State: route.state, Origin: route.origin };
}

function targetView(target: RouteTarget): Route {
  if ("gatewayId" in target) return { GatewayId: target.gatewayId };
  if ("natGatewayId" in target) return { NatGatewayId: target.natGatewayId };
  if ("transitGatewayId" in target) return { TransitGatewayId: target.transitGatewayId };
  return { VpcPeeringConnectionId: target.vpcPeeringConnectionId };
}

function filterValues(table: RouteTableRecord, name: string): string[] | undefined {
  switch (name) {
    case "route-table-id":
      return [table.id];
    case "vpc-id":
      return [table.vpcId];
    case "owner-id":
      return [table.ownerId];
    case "association.main":
      return associations(table).map((association) => String(association.Main));
    case "association.subnet-id":
      return table.subnetIds;
    case "route.vpc-peering-connection-id":
      return table.routes.flatMap(({ target }) =>
        "vpcPeeringConnectionId" in target ? [target.vpcPeeringConnectionId] : [],
      );
    case "route.destination-cidr-block":
      return table.routes.map((route) => route.destination).filter((cidr) => !isIpv6Cidr(cidr));
    case "route.destination-ipv6-cidr-block":
      return table.routes.map((route) => route.destination).filter(isIpv6Cidr);
    case "route.state":
      return table.routes.map((route) => route.state);
    default:
      return tagFilterValues(name, table.tags);
  }
}
