import { DescribeVpcsCommand, type EC2Client, paginateDescribeRouteTables } from "@aws-sdk/client-ec2";
import type { DecisionFacts, PeeringConnection, RouteTable, RouteTablesRead } from "../facts";
import { AccountNotNamedError, ConnectionNotFoundError, RoleAssumptionError } from "./aws-errors";
import { errorCode, hasErrorCode } from "./error-code";
import type { AwsSessions } from "./sessions";
import { toPeeringConnection, toRouteTable, toVpcCidrs } from "./to-facts";
import { type WaitBounds, waitForConnectionVisible } from "./waiters";

/** Re-reads a connection where it is accepted: the event's own copy of it is never trusted. */
export async function readConnection(
  sessions: AwsSessions,
  where: { connectionId: string; account: string; region: string },
  bounds: WaitBounds,
): Promise<PeeringConnection> {
  const { connection } = await waitForConnectionVisible(
    sessions.ec2(where.account, where.region),
    where.connectionId,
    bounds,
  );
  if (!connection) throw new ConnectionNotFoundError(where.connectionId, where.account, where.region);
  return toPeeringConnection(connection);
}

/** Everything `decide` needs beyond the connection, read in parallel on both sides. */
export async function readDecisionFacts(
  sessions: AwsSessions,
  connection: PeeringConnection,
): Promise<DecisionFacts> {
  const { accepter, requester } = connection;
  const accepterEc2 = sessions.ec2(accepter.account, accepter.region);
  const [accepterCidrs, accepterRouteTables, requesterRouteTables] = await Promise.all([
    readVpcCidrs(accepterEc2, accepter.vpcId),
    readRouteTables(accepterEc2, accepter.vpcId),
    readRemoteRouteTables(sessions, requester),
  ]);
  return { connection, accepterCidrs, accepterRouteTables, requesterRouteTables };
}

export async function readVpcCidrs(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  return Vpcs?.[0] ? toVpcCidrs(Vpcs[0]) : [];
}

export async function readRouteTables(ec2: EC2Client, vpcId: string): Promise<RouteTable[]> {
  const tables: RouteTable[] = [];
  const pages = paginateDescribeRouteTables(
    { client: ec2 },
    { Filters: [{ Name: "vpc-id", Values: [vpcId] }] },
  );
  for await (const page of pages) tables.push(...(page.RouteTables ?? []).map(toRouteTable));
  return tables;
}

/** A side in another account is readable only through its role; without one, say why instead of failing. */
async function readRemoteRouteTables(
  sessions: AwsSessions,
  side: { account: string; region: string; vpcId: string },
): Promise<RouteTablesRead> {
  try {
    await sessions.ensureAccess(side.account);
    return {
      readable: true,
      tables: await readRouteTables(sessions.ec2(side.account, side.region), side.vpcId),
    };
  } catch (error) {
    // Throttling and outages propagate (a retry will do); a missing role or permission will not change.
    if (error instanceof RoleAssumptionError || error instanceof AccountNotNamedError) {
      return { readable: false, reason: error.message };
    }
    if (hasErrorCode(error, ...PERMISSION_ERRORS)) {
      const reason = `cannot read route tables in ${side.account} ${side.region}: ${errorCode(error)}`;
      return { readable: false, reason };
    }
    throw error;
  }
}

const PERMISSION_ERRORS = ["UnauthorizedOperation", "AccessDenied", "AuthFailure"];
