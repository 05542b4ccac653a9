import { createPeeringEvent, type EventOptions } from "./cloudtrail-events";
import type { PeeringSpec, World } from "./world";

/**
 * A requester asks to peer: the connection appears in the world, and the CloudTrail event that AWS
 * would put on the requester's bus is returned for the handler.
 */
export function requestPeering(world: World, spec: PeeringSpec, options: EventOptions = {}) {
  const connectionId = world.addPeering(spec);
  const { requester, accepter } = world.peering(connectionId);
  const event = createPeeringEvent(
    {
      connectionId,
      requester: {
        account: requester.ownerId,
        region: requester.region,
        vpcId: requester.vpcId,
        cidrs: [...requester.cidrs, ...requester.ipv6Cidrs],
      },
      accepter: { account: accepter.ownerId, region: accepter.region, vpcId: accepter.vpcId },
    },
    { time: world.now(), ...options },
  );
  return { connectionId, event };
}
