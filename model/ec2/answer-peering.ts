import type {
  AcceptVpcPeeringConnectionRequest,
  AcceptVpcPeeringConnectionResult,
  DeleteVpcPeeringConnectionRequest,
  DeleteVpcPeeringConnectionResult,
  RejectVpcPeeringConnectionRequest,
  RejectVpcPeeringConnectionResult,
} from "@aws-sdk/client-ec2";
import { ec2Error, peeringNotFound } from "../errors";
import type { Caller, PeeringRecord, PeeringStatusCode } from "../state";
import type { World } from "../world";
import { findVisiblePeering, isVisibleTo, sidesOf } from "./peering-access";
import { peeringView } from "./peering-view";

/**
 * The response always says "provisioning"; describes make it active (see WorldOptions.describesUntilActive
 * and activationDelayMs).
 */
export function acceptVpcPeeringConnection(
  world: World,
  caller: Caller,
  input: AcceptVpcPeeringConnectionRequest,
): AcceptVpcPeeringConnectionResult {
  const peering = findAsAccepter(world, caller, input.VpcPeeringConnectionId, "accepted");
  requireStatus(peering, "pending-acceptance", "provisioning");
  world.setPeeringStatus(peering.id, "provisioning");
  peering.describesUntilActive = world.options.describesUntilActive;
  const delay = world.options.activationDelayMs;
  peering.activeFrom = delay > 0 ? new Date(world.now().getTime() + delay) : undefined;
  return { VpcPeeringConnection: peeringView(world, peering, caller.account) };
}

export function rejectVpcPeeringConnection(
  world: World,
  caller: Caller,
  input: RejectVpcPeeringConnectionRequest,
): RejectVpcPeeringConnectionResult {
  const peering = findAsAccepter(world, caller, input.VpcPeeringConnectionId, "rejected");
  requireStatus(peering, "pending-acceptance", "rejected");
  world.setPeeringStatus(peering.id, "rejected");
  return { Return: true };
}

/** Either owner, from its own side's region; a pending request only by its requester. */
export function deleteVpcPeeringConnection(
  world: World,
  caller: Caller,
  input: DeleteVpcPeeringConnectionRequest,
): DeleteVpcPeeringConnectionResult {
  const peering = findVisiblePeering(world, caller, input.VpcPeeringConnectionId);
  const code = peering.status.code;
  const deletable =
    code === "active" ||
    code === "provisioning" ||
    (code === "pending-acceptance" && sidesOf(peering, caller).includes("requester"));
  if (!deletable) throw invalidTransition(peering, "deleted");
  world.setPeeringStatus(peering.id, "deleted", `Deleted by ${caller.account}`);
  return { Return: true };
}

/** Only the accepter VPC's owner may answer a request, and only in the accepter VPC's region. */
function findAsAccepter(world: World, caller: Caller, id: string | undefined, verb: string): PeeringRecord {
  const peering = world.peerings.get(id ?? "");
  if (!peering) throw peeringNotFound(id ?? "");
  world.expireIfDue(peering);
  const { ownerId, region } = peering.accepter;
  if (ownerId !== caller.account) {
    if (!isVisibleTo(peering, caller)) throw peeringNotFound(peering.id);
    throw ec2Error("OperationNotPermitted", `Account ${caller.account} is not the accepter of ${peering.id}`);
  }
  if (region !== caller.region) {
    throw ec2Error(
      "OperationNotPermitted",
      `The VPC peering connection ${peering.id} must be ${verb} in region ${region}`,
    );
  }
  return peering;
}

function requireStatus(peering: PeeringRecord, expected: PeeringStatusCode, next: PeeringStatusCode): void {
  if (peering.status.code !== expected) throw invalidTransition(peering, next);
}

function invalidTransition(peering: PeeringRecord, next: PeeringStatusCode) {
  return ec2Error(
    "InvalidStateTransition",
    `Invalid state transition for ${peering.id}, attempted to transition from ${peering.status.code} to ${next}`,
  );
}
