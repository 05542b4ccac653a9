import type {
  DeleteSubnetRequest,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  Subnet,
} from "@aws-sdk/client-ec2";
import { prefixLength } from "../cidr";
import { ec2Error } from "../errors";
import type { Caller, SubnetRecord } from "../state";
import type { World } from "../world";
import { matchesFilters, tagFilterValues } from "./filters";
import { paginate } from "./pagination";
import { toTagList } from "./tag-list";

// EC2 keeps the first four addresses and the last of every IPv4 block for itself.
const RESERVED_ADDRESSES = 5;

export function describeSubnets(
  world: World,
  caller: Caller,
  input: DescribeSubnetsRequest,
): DescribeSubnetsResult {
  const ids = input.SubnetIds ?? [];
  const subnets =
    ids.length > 0
      ? ids.map((id) => findOwnSubnet(world, caller, id))
      : [...world.subnets.values()].filter((subnet) => isOwnedBy(subnet, caller));
  const matching = subnets.filter((subnet) =>
    matchesFilters("DescribeSubnets", input.Filters, (name) => filterValues(subnet, name)),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 1000 });
  return { Subnets: page.map(subnetView), NextToken: nextToken };
}

/**
 * Owner only. EC2 refuses (DependencyViolation) while network interfaces are in the subnet; the model
 * has no interfaces, so it always deletes.
 */
export function deleteSubnet(
  world: World,
  caller: Caller,
  input: DeleteSubnetRequest,
): Record<string, never> {
  world.removeSubnet(findOwnSubnet(world, caller, input.SubnetId).id);
  return {};
}

/** Subnets are only reachable from their owner's account and region (subnets shared through RAM are not modelled). */
export function findOwnSubnet(world: World, caller: Caller, id: string | undefined): SubnetRecord {
  const subnet = world.subnets.get(id ?? "");
  if (!subnet || !isOwnedBy(subnet, caller)) {
    throw ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);
  }
  return subnet;
}

function isOwnedBy(subnet: SubnetRecord, caller: Caller): boolean {
  return subnet.ownerId === caller.account && subnet.region === caller.region;
}

function subnetView(subnet: SubnetRecord): Subnet {
  return {
    SubnetId: subnet.id,
    SubnetArn: arnOf(subnet),
    VpcId: subnet.vpcId,
    OwnerId: subnet.ownerId,
    AvailabilityZone: subnet.availabilityZone,
    State: "available",
    CidrBlock: subnet.cidr,
    AvailableIpAddressCount: 2 ** (32 - prefixLength(subnet.cidr)) - RESERVED_ADDRESSES,
    Ipv6CidrBlockAssociationSet: subnet.ipv6Cidr
      ? [
          {
            AssociationId: subnet.ipv6Cidr.associationId,
            Ipv6CidrBlock: subnet.ipv6Cidr.cidr,
            Ipv6CidrBlockState: { State: "associated" },
          },
        ]
      : [],
    Ipv6Native: false,
    DefaultForAz: false,
    MapPublicIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Tags: toTagList(subnet.tags),
  };
}

function arnOf(subnet: SubnetRecord): string {
  return `arn:aws:ec2:${subnet.region}:${subnet.ownerId}:subnet/${subnet.id}`;
}

/** The filter names EC2 documents for DescribeSubnets that the model can answer, aliases included. */
function filterValues(subnet: SubnetRecord, name: string): string[] | undefined {
  switch (name) {
    case "subnet-id":
      return [subnet.id];
    case "subnet-arn":
      return [arnOf(subnet)];
    case "vpc-id":
      return [subnet.vpcId];
    case "owner-id":
      return [subnet.ownerId];
    case "state":
      return ["available"];
    case "availability-zone":
    case "availabilityZone":
      return [subnet.availabilityZone];
    case "cidr-block":
    case "cidr":
    case "cidrBlock":
      return [subnet.cidr];
    case "default-for-az":
    case "defaultForAz":
      return ["false"];
    case "ipv6-cidr-block-association.ipv6-cidr-block":
      return subnet.ipv6Cidr ? [subnet.ipv6Cidr.cidr] : [];
    case "ipv6-cidr-block-association.association-id":
      return subnet.ipv6Cidr ? [subnet.ipv6Cidr.associationId] : [];
    case "ipv6-cidr-block-association.state":
      return subnet.ipv6Cidr ? ["associated"] : [];
    default:
      return tagFilterValues(name, subnet.tags);
  }
}
