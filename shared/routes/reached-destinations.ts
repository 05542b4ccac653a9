import { contains } from "../cidr";
import type { SubnetsRead } from "../facts";
import { reachesSubnets } from "../policy/reach";
import type { Reach } from "../policy/schema";
import { carriesTags, tagList } from "../tags";

/** The peer addresses one side's tables route to, and what was asked for but is not routed. */
export type Reached =
  | {
      kind: "reached";
      destinations: string[];
      /** Blocks the reach names that lie outside every CIDR the peer may be routed at: reported, not routed. */
      outside: string[];
      notes: string[];
    }
  /** The peer's subnets could not be read: nothing is known, so nothing may be changed. */
  | { kind: "unknown"; reason: string };

export interface Peer {
  /** Whose addresses these are, for the notes. */
  side: "accepter" | "requester";
  /** The peer VPC's CIDRs that may be routed (for the requester, those the rule allows). */
  cidrs: string[];
  subnets?: SubnetsRead;
}

/**
 * What `reach` routes of `peer`: every CIDR (`vpc`); the blocks of the subnets carrying every tag it
 * names; or the blocks it lists. Only blocks inside one of the peer's routable CIDRs are ever routed,
 * so that a subnet, or an explicit block, never widens what the rule allows.
 */
export function reachedDestinations(reach: Reach, peer: Peer): Reached {
  if (reach === "vpc") return { kind: "reached", destinations: peer.cidrs, outside: [], notes: [] };
  const inside = (block: string) => peer.cidrs.some((cidr) => contains(cidr, block));
  if (reachesSubnets(reach)) {
    if (!peer.subnets) return { kind: "unknown", reason: `the ${peer.side} subnets were not read` };
    if (!peer.subnets.readable) return { kind: "unknown", reason: peer.subnets.reason };
    const tagged = peer.subnets.subnets.filter((subnet) => carriesTags(subnet.tags, reach.subnets.tags));
    const blocks = tagged.flatMap((subnet) => subnet.cidrs.map((cidr) => ({ subnet: subnet.id, cidr })));
    const routed = blocks.filter(({ cidr }) => inside(cidr));
    const tags = tagList(reach.subnets.tags);
    return {
      kind: "reached",
      destinations: [...new Set(routed.map(({ cidr }) => cidr))],
      outside: [],
      notes: [
        ...(tagged.length === 0 ? [`no ${peer.side} subnet is tagged ${tags}: nothing of it is routed`] : []),
        ...blocks
          .filter(({ cidr }) => !inside(cidr))
          .map(
            ({ subnet, cidr }) =>
              `${peer.side} subnet ${subnet} block ${cidr} is not inside ${peer.cidrs.join(", ") || "any routable CIDR"}: not routed`,
          ),
      ],
    };
  }
  const outside = reach.cidrs.filter((block) => !inside(block));
  return {
    kind: "reached",
    destinations: [...new Set(reach.cidrs.filter(inside))],
    outside,
    notes: outside.map(
      (block) =>
        `${peer.side} block ${block} is not inside ${peer.cidrs.join(", ") || "any routable CIDR"}: not routed`,
    ),
  };
}
