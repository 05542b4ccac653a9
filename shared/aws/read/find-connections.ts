import {
  DescribeVpcPeeringConnectionsCommand,
  type EC2Client,
  paginateDescribeVpcPeeringConnections,
  type VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import type { VpcRef } from "../../events/lifecycle-event";

/**
 * Connections of one account and region in the given statuses, through the SDK's paginator. The
 * status filter narrows the listing; callers still check each status themselves.
 */
export async function listConnections(
  ec2: EC2Client,
  statuses: string[],
  extraFilters: { Name: string; Values: string[] }[] = [],
): Promise<VpcPeeringConnection[]> {
  const found: VpcPeeringConnection[] = [];
  const pages = paginateDescribeVpcPeeringConnections(
    { client: ec2 },
    { Filters: [{ Name: "status-code", Values: statuses }, ...extraFilters] },
  );
  for await (const page of pages) found.push(...(page.VpcPeeringConnections ?? []));
  return found.filter((c) => statuses.includes(c.Status?.Code ?? ""));
}

/** Active connections in which the VPC is either side (EC2 filters are ANDed, so one listing per side). */
export async function activeConnectionsOfVpc(ec2: EC2Client, vpc: VpcRef): Promise<string[]> {
  const [asRequester, asAccepter] = await Promise.all([
    listConnections(ec2, ["active"], [{ Name: "requester-vpc-info.vpc-id", Values: [vpc.vpcId] }]),
    listConnections(ec2, ["active"], [{ Name: "accepter-vpc-info.vpc-id", Values: [vpc.vpcId] }]),
  ]);
  return [...new Set([...asRequester, ...asAccepter].map((c) => c.VpcPeeringConnectionId ?? ""))].filter(
    Boolean,
  );
}

/** Which of these connections EC2 still shows, in any status (a filter, so unknown ids are no error). */
export async function existingConnectionIds(ec2: EC2Client, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const pages = paginateDescribeVpcPeeringConnections(
    { client: ec2 },
    { Filters: [{ Name: "vpc-peering-connection-id", Values: ids }] },
  );
  for await (const page of pages) {
    for (const c of page.VpcPeeringConnections ?? [])
      if (c.VpcPeeringConnectionId) found.add(c.VpcPeeringConnectionId);
  }
  return found;
}

/** The status EC2 shows for one connection now; undefined if it shows none (a filter: no NotFound). */
export async function connectionStatus(ec2: EC2Client, connectionId: string): Promise<string | undefined> {
  const { VpcPeeringConnections } = await ec2.send(
    new DescribeVpcPeeringConnectionsCommand({
      Filters: [{ Name: "vpc-peering-connection-id", Values: [connectionId] }],
    }),
  );
  return VpcPeeringConnections?.find((c) => c.VpcPeeringConnectionId === connectionId)?.Status?.Code;
}
