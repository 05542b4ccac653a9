import {
  DescribeVpcsCommand,
  type EC2Client,
  type Filter,
  paginateDescribeRouteTables,
} from "@aws-sdk/client-ec2";
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

/** Everything `decide` needs beyond the connection, both sides read in parallel, each in its own account. */
export async function readDecisionFacts(
  sessions: AwsSessions,
  connection: PeeringConnection,
): Promise<DecisionFacts> {
  const { accepter, requester } = connection;
  const [accepterCidrs, accepterRouteTables, requesterRouteTables] = await Promise.all([
    readAccepterCidrs(sessions, connection),
    readSideRouteTables(sessions, accepter),
    readSideRouteTables(sessions, requester),
  ]);
  return { connection, accepterCidrs, accepterRouteTables, requesterRouteTables };
}

/** DescribeVpcs in the accepter account is authoritative; the connection's copy serves when it cannot be read. */
async function readAccepterCidrs(sessions: AwsSessions, connection: PeeringConnection): Promise<string[]> {
  const { accepter } = connection;
  const access = await reachable(sessions, accepter.account);
  if (!access.ok) return accepter.cidrs;
  return readVpcCidrs(sessions.ec2(accepter.account, accepter.region), accepter.vpcId);
}

export async function readVpcCidrs(ec2: EC2Client, vpcId: string): Promise<string[]> {
  try {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    return Vpcs?.[0] ? toVpcCidrs(Vpcs[0]) : [];
  } catch (error) {
    // A dead connection may outlive its VPC; there is nothing to route to then.
    if (hasErrorCode(error, "InvalidVpcID.NotFound")) return [];
    throw error;
  }
}

/** Route tables of one account and region that match the filters (a VPC's, or those routing to peers). */
export async function readRouteTables(ec2: EC2Client, filters: Filter[]): Promise<RouteTable[]> {
  const tables: RouteTable[] = [];
  const pages = paginateDescribeRouteTables({ client: ec2 }, { Filters: filters });
  for await (const page of pages) tables.push(...(page.RouteTables ?? []).map(toRouteTable));
  return tables;
}

/** A side in another account is readable only through its role; without one, say why instead of failing. */
async function readSideRouteTables(
  sessions: AwsSessions,
  side: { account: string; region: string; vpcId: string },
): Promise<RouteTablesRead> {
  const access = await reachable(sessions, side.account);
  if (!access.ok) return { readable: false, reason: access.reason };
  try {
    const filters = [{ Name: "vpc-id", Values: [side.vpcId] }];
    return {
      readable: true,
      tables: await readRouteTables(sessions.ec2(side.account, side.region), filters),
    };
  } catch (error) {
    // Throttling and outages propagate (a retry will do); a missing permission will not change.
    if (!isPermissionError(error)) throw error;
    return {
      readable: false,
      reason: `cannot read route tables in ${side.account} ${side.region}: ${errorCode(error)}`,
    };
  }
}

/** Whether the account can be read at all: its role is missing or refuses us (for good), or it answers. */
export async function reachable(
  sessions: AwsSessions,
  account: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await sessions.ensureAccess(account);
    return { ok: true };
  } catch (error) {
    // A role that is missing or refuses us will not change on a retry; a throttle or an outage will.
    if (error instanceof AccountNotNamedError) return { ok: false, reason: error.message };
    if (error instanceof RoleAssumptionError && hasErrorCode(error.cause, ...DENIALS)) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

const PERMISSION_ERRORS = ["UnauthorizedOperation", "AccessDenied", "AuthFailure"];

/** A missing permission will not change on a retry (throttling and outages will). */
export function isPermissionError(error: unknown): boolean {
  return hasErrorCode(error, ...PERMISSION_ERRORS);
}
const DENIALS = ["AccessDenied", "AccessDeniedException", "RegionDisabledException", "InvalidIdentityToken"];
