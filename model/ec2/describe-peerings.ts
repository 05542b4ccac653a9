import type {
  DescribeVpcPeeringConnectionsRequest,
  DescribeVpcPeeringConnectionsResult,
} from "@aws-sdk/client-ec2";
import { peeringNotFound } from "../errors";
import type { Caller, PeeringRecord } from "../state";
import type { World } from "../world";
import { matchesFilters, tagFilterValues } from "./filters";
import { paginate } from "./pagination";
import { findVisiblePeering, isVisibleTo } from "./peering-access";
import { peeringView } from "./peering-view";

export function describeVpcPeeringConnections(
  world: World,
  caller: Caller,
  input: DescribeVpcPeeringConnectionsRequest,
): DescribeVpcPeeringConnectionsResult {
  const ids = input.VpcPeeringConnectionIds ?? [];
  const shown =
    ids.length > 0
      ? ids.map((id) => {
          const peering = findVisiblePeering(world, caller, id);
          if (!observe(world, peering)) throw peeringNotFound(id);
          return peering;
        })
      : [...world.peerings.values()].filter(
          (peering) => isVisibleTo(peering, caller) && observe(world, peering),
        );
  const matching = shown.filter((peering) =>
    matchesFilters("DescribeVpcPeeringConnections", input.Filters, (name) =>
      filterValues(peering, caller.account, name),
    ),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 1000 });
  return {
    VpcPeeringConnections: page.map((peering) => peeringView(world, peering, caller.account)),
    NextToken: nextToken,
  };
}

/**
 * One describe seeing the connection: this is where the eventual-consistency options play out.
 * Returns false while a newly created connection is still invisible.
 */
function observe(world: World, peering: PeeringRecord): boolean {
  world.expireIfDue(peering);
  if (peering.hiddenForDescribes > 0) {
    peering.hiddenForDescribes -= 1;
    return false;
  }
  if (peering.visibleFrom && world.now() < peering.visibleFrom) return false;
  if (peering.status.code === "provisioning") {
    if (peering.describesUntilActive > 0) peering.describesUntilActive -= 1;
    else if (!peering.activeFrom || world.now() >= peering.activeFrom)
      world.setPeeringStatus(peering.id, "active");
  }
  return true;
}

function filterValues(peering: PeeringRecord, account: string, name: string): string[] | undefined {
  const { requester, accepter } = peering;
  switch (name) {
    case "status-code":
      return [peering.status.code];
    case "vpc-peering-connection-id":
      return [peering.id];
    case "requester-vpc-info.owner-id":
      return [requester.ownerId];
    case "requester-vpc-info.vpc-id":
      return [requester.vpcId];
    case "requester-vpc-info.cidr-block":
      return requester.cidrs;
    case "accepter-vpc-info.owner-id":
      return [accepter.ownerId];
    case "accepter-vpc-info.vpc-id":
      return [accepter.vpcId];
    case "accepter-vpc-info.cidr-block":
      return accepter.cidrs;
    default:
      return tagFilterValues(name, peering.tagsByAccount[account] ?? {});
  }
}
