import type { EC2Client } from "@aws-sdk/client-ec2";
import type {
  DecisionFacts,
  GroupsRead,
  PeeringConnection,
  RouteTable,
  RouteTablesRead,
  SecurityGroup,
  SecurityGroupsRead,
  Subnet,
  SubnetsRead,
} from "../../facts";
import { errorCode, hasErrorCode } from "../error-code";
import { AccountNotNamedError, RoleAssumptionError } from "../sessions/session-errors";
import type { AwsSessions } from "../sessions/sessions";
import { ConnectionNotFoundError } from "./read-errors";
import {
  readRouteTablesByVpc,
  readSecurityGroupsByVpc,
  readSubnetsByVpc,
  readVpcCidrsById,
} from "./read-in-bulk";
import { toPeeringConnection } from "./to-facts";
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

/**
 * Everything `decide` needs beyond the connection, both sides read in parallel, each in its own
 * account; each side's subnets too when a rule routes to subnets (`subnets`), and its security groups
 * when a rule opens some or the service's own rules may have to go (`securityGroups`, see GroupsRead).
 */
export async function readDecisionFacts(
  sessions: AwsSessions,
  connection: PeeringConnection,
  options: { subnets: boolean; securityGroups: GroupsRead | undefined },
): Promise<DecisionFacts> {
  const { accepter, requester } = connection;
  const [accepterCidrs, accepterRouteTables, requesterRouteTables, subnets, groups] = await Promise.all([
    readAccepterCidrs(sessions, connection),
    readSideRouteTables(sessions, accepter),
    readSideRouteTables(sessions, requester),
    options.subnets
      ? Promise.all([readSideSubnets(sessions, accepter), readSideSubnets(sessions, requester)])
      : undefined,
    options.securityGroups
      ? Promise.all([
          readSideGroups(sessions, accepter, options.securityGroups),
          readSideGroups(sessions, requester, options.securityGroups),
        ])
      : undefined,
  ]);
  return {
    connection,
    accepterCidrs,
    accepterRouteTables,
    requesterRouteTables,
    ...(subnets && { accepterSubnets: subnets[0], requesterSubnets: subnets[1] }),
    ...(groups && { accepterSecurityGroups: groups[0], requesterSecurityGroups: groups[1] }),
  };
}

async function readSideGroups(
  sessions: AwsSessions,
  side: { account: string; region: string; vpcId: string },
  which: GroupsRead,
): Promise<SecurityGroupsRead> {
  const read = await readSecurityGroupsWhereReachable(sessions, side, [side.vpcId], which);
  return read.readable ? { readable: true, groups: read.byVpc.get(side.vpcId) ?? [] } : read;
}

async function readSideSubnets(
  sessions: AwsSessions,
  side: { account: string; region: string; vpcId: string },
): Promise<SubnetsRead> {
  const read = await readSubnetsWhereReachable(sessions, side, [side.vpcId]);
  return read.readable ? { readable: true, subnets: read.byVpc.get(side.vpcId) ?? [] } : read;
}

/** DescribeVpcs in the accepter account is authoritative; the connection's copy serves when it cannot be read. */
async function readAccepterCidrs(sessions: AwsSessions, connection: PeeringConnection): Promise<string[]> {
  const { accepter } = connection;
  const read = await readCidrsWhereReachable(sessions, accepter, [accepter.vpcId]);
  // A dead connection may outlive its VPC; there is nothing to route to then.
  return read.readable ? (read.byVpc.get(accepter.vpcId) ?? []) : accepter.cidrs;
}

/** A side in another account is readable only through its role; without one, say why instead of failing. */
async function readSideRouteTables(
  sessions: AwsSessions,
  side: { account: string; region: string; vpcId: string },
): Promise<RouteTablesRead> {
  const read = await readTablesWhereReachable(sessions, side, [side.vpcId]);
  return read.readable ? { readable: true, tables: read.byVpc.get(side.vpcId) ?? [] } : read;
}

/** What an account-region gave, by VPC, or why it cannot be read for good. */
export type ReadByVpc<T> = { readable: true; byVpc: Map<string, T> } | { readable: false; reason: string };

/**
 * Route tables of an account-region by VPC (every table, or those of `vpcIds`). A missing role or
 * permission will not change on a retry and is answered with its reason; throttling and outages
 * propagate, since a retry will do.
 */
export function readTablesWhereReachable(
  sessions: AwsSessions,
  place: { account: string; region: string },
  vpcIds?: string[],
): Promise<ReadByVpc<RouteTable[]>> {
  return readWhereReachable(sessions, place, "route tables", (ec2) => readRouteTablesByVpc(ec2, vpcIds));
}

/** The subnets of these VPCs of an account-region, or why they cannot be read for good (as route tables). */
export function readSubnetsWhereReachable(
  sessions: AwsSessions,
  place: { account: string; region: string },
  vpcIds: string[],
): Promise<ReadByVpc<Subnet[]>> {
  return readWhereReachable(sessions, place, "subnets", (ec2) => readSubnetsByVpc(ec2, vpcIds));
}

/** The security groups of these VPCs of an account-region, or why they cannot be read for good (as route tables). */
export function readSecurityGroupsWhereReachable(
  sessions: AwsSessions,
  place: { account: string; region: string },
  vpcIds: string[],
  which: GroupsRead,
): Promise<ReadByVpc<SecurityGroup[]>> {
  return readWhereReachable(sessions, place, "security groups", (ec2) =>
    readSecurityGroupsByVpc(ec2, vpcIds, which),
  );
}

/** One bulk read by VPC in an account-region, answered with why not when a role or permission is missing. */
async function readWhereReachable<T>(
  sessions: AwsSessions,
  place: { account: string; region: string },
  what: string,
  read: (ec2: EC2Client) => Promise<Map<string, T>>,
): Promise<ReadByVpc<T>> {
  const access = await reachable(sessions, place.account);
  if (!access.ok) return { readable: false, reason: access.reason };
  try {
    return { readable: true, byVpc: await read(sessions.ec2(place.account, place.region)) };
  } catch (error) {
    if (!hasErrorCode(error, ...PERMISSION_ERRORS)) throw error;
    return {
      readable: false,
      reason: `cannot read ${what} in ${place.account} ${place.region}: ${errorCode(error)}`,
    };
  }
}

/** The CIDRs of these VPCs of an account-region (a VPC gone is absent), or why the account cannot be read. */
export async function readCidrsWhereReachable(
  sessions: AwsSessions,
  place: { account: string; region: string },
  vpcIds: string[],
): Promise<ReadByVpc<string[]>> {
  const access = await reachable(sessions, place.account);
  if (!access.ok) return { readable: false, reason: access.reason };
  return { readable: true, byVpc: await readVpcCidrsById(sessions.ec2(place.account, place.region), vpcIds) };
}

/** Whether the account can be read at all: its role is missing or refuses us (for good), or it answers. */
async function reachable(
  sessions: AwsSessions,
  account: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await sessions.ensureAccess(account);
    return { ok: true };
  } catch (error) {
    // A role that is missing or refuses us will not change on a retry; a throttle or an outage will.
    if (error instanceof AccountNotNamedError) return { ok: false, reason: error.message };
    if (error instanceof RoleAssumptionError && error.refused) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

const PERMISSION_ERRORS = ["UnauthorizedOperation", "AccessDenied", "AuthFailure"];
