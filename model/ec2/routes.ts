import type { CreateRouteRequest, CreateRouteResult, DeleteRouteRequest } from "@aws-sdk/client-ec2";
import { isNetworkCidr } from "../cidr";
import { ec2Error, peeringNotFound } from "../errors";
import type { Caller, PeeringStatusCode, RouteTarget } from "../state";
import { isLocal, type World } from "../world";
import { findOwnRouteTable } from "./route-tables";

// A route may point at a connection that is not active yet (it is then a blackhole), but not at a dead one.
const ROUTABLE: PeeringStatusCode[] = ["pending-acceptance", "provisioning", "active"];

export function createRoute(world: World, caller: Caller, input: CreateRouteRequest): CreateRouteResult {
  const table = findOwnRouteTable(world, caller, input.RouteTableId);
  const destination = destinationOf(input);
  const target = targetOf(input);
  if (table.routes.some((route) => route.destination === destination)) {
    throw ec2Error("RouteAlreadyExists", `The route identified by ${destination} already exists.`);
  }
  if (table.routes.filter((route) => !isLocal(route)).length >= world.options.routeLimit) {
    throw ec2Error("RouteLimitExceeded", "The maximum number of routes has been reached.");
  }
  if ("vpcPeeringConnectionId" in target) {
    const peering = world.peerings.get(target.vpcPeeringConnectionId);
    const involvesTable = peering?.requester.vpcId === table.vpcId || peering?.accepter.vpcId === table.vpcId;
    if (!peering || !involvesTable || !ROUTABLE.includes(peering.status.code)) {
      throw peeringNotFound(target.vpcPeeringConnectionId);
    }
  }
  table.routes.push({ destination, target, state: world.routeStateFor(target), origin: "CreateRoute" });
  return { Return: true };
}

export function deleteRoute(world: World, caller: Caller, input: DeleteRouteRequest): Record<string, never> {
  const table = findOwnRouteTable(world, caller, input.RouteTableId);
  const destination = destinationOf(input);
  const route = table.routes.find((candidate) => candidate.destination === destination);
  if (!route) {
    throw ec2Error(
      "InvalidRoute.NotFound",
      `no route with destination ${destination} in route table ${table.id}`,
    );
  }
  if (isLocal(route)) throw ec2Error("InvalidParameterValue", `cannot remove local route ${destination}`);
  table.routes = table.routes.filter((candidate) => candidate !== route);
  return {};
}

function destinationOf(input: CreateRouteRequest | DeleteRouteRequest): string {
  if (input.DestinationPrefixListId) throw new Error("the model does not implement prefix-list routes");
  const ipv4 = input.DestinationCidrBlock;
  const ipv6 = input.DestinationIpv6CidrBlock?.toLowerCase();
  if ((ipv4 === undefined) === (ipv6 === undefined)) {
    throw ec2Error(
      "InvalidParameterCombination",
      "Give exactly one of DestinationCidrBlock, DestinationIpv6CidrBlock",
    );
  }
  const destination = ipv4 ?? ipv6 ?? "";
  if (!isNetworkCidr(destination, ipv4 === undefined ? "ipv6" : "ipv4")) {
    throw ec2Error(
      "InvalidParameterValue",
      `Value (${destination}) for destination is not a valid CIDR block`,
    );
  }
  return destination;
}

function targetOf(input: CreateRouteRequest): RouteTarget {
  const unsupported = [
    input.InstanceId,
    input.NetworkInterfaceId,
    input.EgressOnlyInternetGatewayId,
    input.LocalGatewayId,
    input.CarrierGatewayId,
    input.CoreNetworkArn,
  ];
  if (unsupported.some((value) => value !== undefined))
    throw new Error("the model does not implement this route target");
  const targets: RouteTarget[] = [
    ...(input.GatewayId ? [{ gatewayId: input.GatewayId }] : []),
    ...(input.NatGatewayId ? [{ natGatewayId: input.NatGatewayId }] : []),
    ...(input.TransitGatewayId ? [{ transitGatewayId: input.TransitGatewayId }] : []),
    ...(input.VpcPeeringConnectionId ? [{ vpcPeeringConnectionId: input.VpcPeeringConnectionId }] : []),
  ];
  const [target] = targets;
  if (!target || targets.length > 1) {
    throw ec2Error("InvalidParameterCombination", "Give exactly one route target");
  }
  return target;
}
