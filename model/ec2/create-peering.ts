import type {
  CreateVpcPeeringConnectionRequest,
  CreateVpcPeeringConnectionResult,
  TagSpecification,
} from "@aws-sdk/client-ec2";
import { cidrsOverlap } from "../cidr";
import { vpcNotFound } from "../errors";
import type { Caller, VpcRecord } from "../state";
import type { World } from "../world";
import { peeringView } from "./peering-view";

/** The caller is the requester. Overlapping CIDRs do not fail the call: the connection ends up "failed". */
export function createVpcPeeringConnection(
  world: World,
  caller: Caller,
  input: CreateVpcPeeringConnectionRequest,
): CreateVpcPeeringConnectionResult {
  const requester = findVpc(world, input.VpcId, caller.account, caller.region);
  const accepterOwner = input.PeerOwnerId ?? caller.account;
  const accepter = findVpc(world, input.PeerVpcId, accepterOwner, input.PeerRegion ?? caller.region);
  const overlapping = overlaps(requester, accepter);
  const id = world.addPeering({
    requesterVpcId: requester.id,
    accepterVpcId: accepter.id,
    hiddenForDescribes: world.options.visibilityDelay,
    hiddenForMs: world.options.visibilityDelayMs,
  });
  if (overlapping) world.setPeeringStatus(id, "failed", "Overlapping CIDR range");
  const peering = world.peering(id);
  peering.tagsByAccount[caller.account] = tagsFrom(input.TagSpecifications);
  // AWS answers before the request has reached the accepter, whatever comes of it.
  return {
    VpcPeeringConnection: {
      ...peeringView(world, peering, caller.account),
      Status: { Code: "initiating-request", Message: `Initiating Request to ${accepterOwner}` },
      ExpirationTime: peering.expirationTime,
    },
  };
}

function findVpc(world: World, vpcId: string | undefined, account: string, region: string): VpcRecord {
  const vpc = world.vpcs.get(vpcId ?? "");
  if (!vpc || vpc.ownerId !== account || vpc.region !== region) throw vpcNotFound(vpcId);
  return vpc;
}

function overlaps(a: VpcRecord, b: VpcRecord): boolean {
  const cidrsOf = (vpc: VpcRecord) => [...vpc.cidrs, ...vpc.ipv6Cidrs].map((entry) => entry.cidr);
  return cidrsOf(a).some((left) => cidrsOf(b).some((right) => cidrsOverlap(left, right)));
}

function tagsFrom(specifications: TagSpecification[] | undefined): Record<string, string> {
  const tags = (specifications ?? []).flatMap((specification) => specification.Tags ?? []);
  return Object.fromEntries(tags.map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
}
