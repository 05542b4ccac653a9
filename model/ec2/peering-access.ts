import { peeringNotFound } from "../errors";
import type { Caller, PeeringRecord } from "../state";
import type { World } from "../world";

export type PeeringSideName = "requester" | "accepter";

/** The sides the caller owns in its region: a connection is only seen from there. */
export function sidesOf(peering: PeeringRecord, caller: Caller): PeeringSideName[] {
  const names: PeeringSideName[] = ["requester", "accepter"];
  return names.filter((name) => {
    const side = peering[name];
    return side.ownerId === caller.account && side.region === caller.region;
  });
}

export function isVisibleTo(peering: PeeringRecord, caller: Caller): boolean {
  return sidesOf(peering, caller).length > 0;
}

/** The connection as the caller can see it; NotFound otherwise, as AWS answers. */
export function findVisiblePeering(world: World, caller: Caller, id: string | undefined): PeeringRecord {
  const peering = world.peerings.get(id ?? "");
  if (!peering || !isVisibleTo(peering, caller)) throw peeringNotFound(id ?? "");
  world.expireIfDue(peering);
  return peering;
}
