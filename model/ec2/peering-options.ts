import type {
  ModifyVpcPeeringConnectionOptionsRequest,
  ModifyVpcPeeringConnectionOptionsResult,
  PeeringConnectionOptions,
  PeeringConnectionOptionsRequest,
} from "@aws-sdk/client-ec2";
import { ec2Error } from "../errors";
import type { Caller, PeeringSide } from "../state";
import type { World } from "../world";
import { findVisiblePeering, type PeeringSideName, sidesOf } from "./peering-access";

/** Only on an active connection; each side's options only by its owner, in its region. */
export function modifyVpcPeeringConnectionOptions(
  world: World,
  caller: Caller,
  input: ModifyVpcPeeringConnectionOptionsRequest,
): ModifyVpcPeeringConnectionOptionsResult {
  const peering = findVisiblePeering(world, caller, input.VpcPeeringConnectionId);
  if (peering.status.code !== "active") {
    throw ec2Error("OperationNotPermitted", `Peering connection ${peering.id} is not active`);
  }
  const requests: Record<PeeringSideName, PeeringConnectionOptionsRequest | undefined> = {
    requester: input.RequesterPeeringConnectionOptions,
    accepter: input.AccepterPeeringConnectionOptions,
  };
  const ownSides = sidesOf(peering, caller);
  for (const name of ["requester", "accepter"] as const) {
    if (requests[name] && !ownSides.includes(name)) {
      throw ec2Error(
        "OperationNotPermitted",
        `Account ${caller.account} cannot modify the ${name} options of ${peering.id}`,
      );
    }
  }
  return {
    RequesterPeeringConnectionOptions: apply(peering.requester, requests.requester),
    AccepterPeeringConnectionOptions: apply(peering.accepter, requests.accepter),
  };
}

function apply(
  side: PeeringSide,
  request: PeeringConnectionOptionsRequest | undefined,
): PeeringConnectionOptions | undefined {
  if (!request) return undefined;
  if (request.AllowDnsResolutionFromRemoteVpc !== undefined) {
    side.allowDnsResolutionFromRemoteVpc = request.AllowDnsResolutionFromRemoteVpc;
  }
  return { AllowDnsResolutionFromRemoteVpc: side.allowDnsResolutionFromRemoteVpc };
}
