import type { EC2Client } from "@aws-sdk/client-ec2";
import { chunks } from "../../collections";
import type { PeeringConnection } from "../../facts";
import { listConnections } from "./find-connections";
import { toPeeringConnection } from "./to-facts";

// EC2 takes at most 200 values in one filter.
const FILTER_VALUES = 200;

/**
 * How many active peering connections each of these VPCs of one account-region has, as AWS's quota
 * counts them: on either side. EC2 ANDs its filters, so one listing per side, side by side; a VPC has
 * at most a few hundred, so each is one page.
 */
export async function countActivePeerings(ec2: EC2Client, vpcIds: string[]): Promise<Map<string, number>> {
  const found = new Map<string, PeeringConnection>();
  for (const Values of chunks(vpcIds, FILTER_VALUES)) {
    const sides = await Promise.all(
      ["accepter-vpc-info.vpc-id", "requester-vpc-info.vpc-id"].map((Name) =>
        listConnections(ec2, ["active"], [{ Name, Values }]),
      ),
    );
    for (const listed of sides.flat()) {
      const connection = toPeeringConnection(listed);
      found.set(connection.id, connection);
    }
  }
  const counts = activePeeringsByVpc([...found.values()]);
  return new Map(vpcIds.map((id) => [id, counts.get(id) ?? 0]));
}

/**
 * The active connections of each VPC they join, from connections listed anywhere: a listing of one
 * account-region shows every connection of its VPCs, whichever side they are on.
 */
export function activePeeringsByVpc(connections: readonly PeeringConnection[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { status, accepter, requester } of connections) {
    if (status !== "active") continue;
    for (const { vpcId } of [accepter, requester]) counts.set(vpcId, (counts.get(vpcId) ?? 0) + 1);
  }
  return counts;
}
