import type {
  AssociateVpcCidrBlockRequest,
  AssociateVpcCidrBlockResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  DisassociateVpcCidrBlockRequest,
  DisassociateVpcCidrBlockResult,
  Vpc,
} from "@aws-sdk/client-ec2";
import { isNetworkCidr } from "../cidr";
import { ec2Error, vpcNotFound } from "../errors";
import type { Caller, VpcRecord } from "../state";
import type { World } from "../world";
import { matchesFilters } from "./filters";
import { paginate } from "./pagination";

export function describeVpcs(world: World, caller: Caller, input: DescribeVpcsRequest): DescribeVpcsResult {
  const ids = input.VpcIds ?? [];
  const vpcs =
    ids.length > 0
      ? ids.map((id) => findOwnVpc(world, caller, id))
      : [...world.vpcs.values()].filter((vpc) => isOwnedBy(vpc, caller));
  const matching = vpcs.filter((vpc) =>
    matchesFilters("DescribeVpcs", input.Filters, (name) => filterValues(vpc, name)),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 1000 });
  return { Vpcs: page.map(vpcView), NextToken: nextToken };
}

export function associateVpcCidrBlock(
  world: World,
  caller: Caller,
  input: AssociateVpcCidrBlockRequest,
): AssociateVpcCidrBlockResult {
  const vpc = findOwnVpc(world, caller, input.VpcId);
  if (input.AmazonProvidedIpv6CidrBlock || input.Ipv6Pool || input.Ipv4IpamPoolId || input.Ipv6IpamPoolId) {
    throw new Error("the model only associates explicit CidrBlock / Ipv6CidrBlock values");
  }
  const cidr = input.CidrBlock ?? input.Ipv6CidrBlock ?? "";
  const family = input.CidrBlock === undefined ? "ipv6" : "ipv4";
  if (!isNetworkCidr(cidr, family))
    throw ec2Error("InvalidParameterValue", `${cidr} is not a valid CIDR block`);
  if ([...vpc.cidrs, ...vpc.ipv6Cidrs].some((entry) => entry.cidr === cidr)) {
    throw ec2Error("InvalidVpc.Range", `The CIDR '${cidr}' is already associated with ${vpc.id}`);
  }
  const associationId = world.associateVpcCidr(vpc.id, cidr);
  // AWS reports the association in progress; the model completes it at once.
  return family === "ipv4"
    ? {
        VpcId: vpc.id,
        CidrBlockAssociation: {
          AssociationId: associationId,
          CidrBlock: cidr,
          CidrBlockState: { State: "associating" },
        },
      }
    : {
        VpcId: vpc.id,
        Ipv6CidrBlockAssociation: {
          AssociationId: associationId,
          Ipv6CidrBlock: cidr,
          Ipv6CidrBlockState: { State: "associating" },
        },
      };
}

export function disassociateVpcCidrBlock(
  world: World,
  caller: Caller,
  input: DisassociateVpcCidrBlockRequest,
): DisassociateVpcCidrBlockResult {
  const id = input.AssociationId;
  const vpc = [...world.vpcs.values()].find(
    (candidate) =>
      isOwnedBy(candidate, caller) &&
      [...candidate.cidrs, ...candidate.ipv6Cidrs].some((entry) => entry.associationId === id),
  );
  if (!vpc)
    throw ec2Error("InvalidVpcCidrBlockAssociationID.NotFound", `The association ID '${id}' does not exist`);
  if (vpc.cidrs[0]?.associationId === id) {
    throw ec2Error(
      "OperationNotPermitted",
      `${id} is the primary IPv4 CIDR block of ${vpc.id} and cannot be disassociated`,
    );
  }
  const ipv4 = vpc.cidrs.find((entry) => entry.associationId === id);
  const ipv6 = vpc.ipv6Cidrs.find((entry) => entry.associationId === id);
  world.disassociateVpcCidr(vpc.id, (ipv4 ?? ipv6)?.cidr ?? "");
  return ipv4
    ? {
        VpcId: vpc.id,
        CidrBlockAssociation: {
          AssociationId: id,
          CidrBlock: ipv4.cidr,
          CidrBlockState: { State: "disassociating" },
        },
      }
    : {
        VpcId: vpc.id,
        Ipv6CidrBlockAssociation: {
          AssociationId: id,
          Ipv6CidrBlock: ipv6?.cidr,
          Ipv6CidrBlockState: { State: "disassociating" },
        },
      };
}

/** VPCs are only reachable from their owner's account and region. */
function findOwnVpc(world: World, caller: Caller, id: string | undefined): VpcRecord {
  const vpc = world.vpcs.get(id ?? "");
  if (!vpc || !isOwnedBy(vpc, caller)) throw vpcNotFound(id);
  return vpc;
}

function isOwnedBy(vpc: VpcRecord, caller: Caller): boolean {
  return vpc.ownerId === caller.account && vpc.region === caller.region;
}

function vpcView(vpc: VpcRecord): Vpc {
  return {
    VpcId: vpc.id,
    OwnerId: vpc.ownerId,
    State: "available",
    IsDefault: false,
    CidrBlock: vpc.cidrs[0]?.cidr,
    CidrBlockAssociationSet: vpc.cidrs.map(({ cidr, associationId }) => ({
      AssociationId: associationId,
      CidrBlock: cidr,
      CidrBlockState: { State: "associated" },
    })),
    Ipv6CidrBlockAssociationSet: vpc.ipv6Cidrs.map(({ cidr, associationId }) => ({
      AssociationId: associationId,
      Ipv6CidrBlock: cidr,
      Ipv6CidrBlockState: { State: "associated" },
    })),
    Tags: [],
  };
}

function filterValues(vpc: VpcRecord, name: string): string[] | undefined {
  switch (name) {
    case "vpc-id":
      return [vpc.id];
    case "owner-id":
      return [vpc.ownerId];
    case "state":
      return ["available"];
    case "cidr":
      return vpc.cidrs.slice(0, 1).map((entry) => entry.cidr);
    case "cidr-block-association.cidr-block":
      return vpc.cidrs.map((entry) => entry.cidr);
    case "ipv6-cidr-block-association.ipv6-cidr-block":
      return vpc.ipv6Cidrs.map((entry) => entry.cidr);
    default:
      return undefined;
  }
}
