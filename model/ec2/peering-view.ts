import type { VpcPeeringConnection, VpcPeeringConnectionVpcInfo } from "@aws-sdk/client-ec2";
import type { PeeringRecord, PeeringSide, PeeringStatusCode } from "../state";
import type { World } from "../world";
import { toTagList } from "./tag-list";

// The accepter's CIDRs are only shown once it has accepted (see the CreateVpcPeeringConnection sample event).
const ACCEPTED: PeeringStatusCode[] = ["provisioning", "active", "deleting", "deleted"];
const EXPIRING: PeeringStatusCode[] = ["initiating-request", "pending-acceptance"];

/** The connection as `account` sees it: its own tags only. */
export function peeringView(world: World, peering: PeeringRecord, account: string): VpcPeeringConnection {
  const code = peering.status.code;
  return {
    VpcPeeringConnectionId: peering.id,
    RequesterVpcInfo: sideView(world, peering.requester, code, {
      withCidrs: true,
      withCidrSets: !world.options.omitCidrBlockSet,
    }),
    AccepterVpcInfo: sideView(world, peering.accepter, code, {
      withCidrs: ACCEPTED.includes(code),
      withCidrSets: true,
    }),
    Status: { Code: code, Message: peering.status.message },
    ExpirationTime: EXPIRING.includes(code) ? peering.expirationTime : undefined,
    Tags: toTagList(peering.tagsByAccount[account] ?? {}),
  };
}

function sideView(
  world: World,
  side: PeeringSide,
  code: PeeringStatusCode,
  show: { withCidrs: boolean; withCidrSets: boolean },
): VpcPeeringConnectionVpcInfo {
  const info: VpcPeeringConnectionVpcInfo = {
    OwnerId: side.ownerId,
    VpcId: side.vpcId,
    Region: side.region,
    PeeringOptions: {
      AllowDnsResolutionFromRemoteVpc: side.allowDnsResolutionFromRemoteVpc,
      AllowEgressFromLocalClassicLinkToRemoteVpc: false,
      AllowEgressFromLocalVpcToRemoteClassicLink: false,
    },
  };
  if (!show.withCidrs) return info;
  const { cidrs, ipv6Cidrs } = currentCidrs(world, side, code);
  info.CidrBlock = cidrs[0];
  if (!show.withCidrSets) return info;
  info.CidrBlockSet = cidrs.map((cidr) => ({ CidrBlock: cidr }));
  if (ipv6Cidrs.length > 0) info.Ipv6CidrBlockSet = ipv6Cidrs.map((cidr) => ({ Ipv6CidrBlock: cidr }));
  return info;
}

/** An active connection follows its VPCs' CIDR associations; others keep what they were made with. */
function currentCidrs(world: World, side: PeeringSide, code: PeeringStatusCode) {
  const vpc = world.vpcs.get(side.vpcId);
  if (code !== "active" || !vpc) return { cidrs: side.cidrs, ipv6Cidrs: side.ipv6Cidrs };
  return { cidrs: vpc.cidrs.map((entry) => entry.cidr), ipv6Cidrs: vpc.ipv6Cidrs.map((entry) => entry.cidr) };
}
