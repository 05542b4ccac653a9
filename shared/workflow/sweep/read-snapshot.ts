import {
  type ReadByVpc,
  readCidrsWhereReachable,
  readSecurityGroupsWhereReachable,
  readSubnetsWhereReachable,
  readTablesWhereReachable,
} from "../../aws/read/read-facts";
import type { AwsSessions } from "../../aws/sessions/sessions";
import { settleWithConcurrency } from "../../concurrency";
import type { GroupsRead, PeeringConnection, RouteTable, SecurityGroup, Subnet } from "../../facts";
import type { SweepTarget } from "../sweep-targets";
import { targetKey } from "./assign";
import type { BulkRead, SweepSnapshot } from "./snapshot";

interface Place extends SweepTarget {
  /** The VPCs whose tables or CIDRs are wanted. */
  vpcIds: Set<string>;
}

/** Where route tables are read: none named means every table of the account-region. */
type TablePlace = SweepTarget & Partial<Pick<Place, "vpcIds">>;

/**
 * Reads in bulk what the sweep's decisions need: one paginated route-table read per account-region
 * (every table of one searched for orphan routes, `everyTableOf`; the connected VPCs' tables
 * elsewhere), one DescribeVpcs per accepter account-region, and, when a rule routes to subnets, one
 * DescribeSubnets per account-region of either side; per account-region of either side, when asked
 * (`securityGroups`), one DescribeSecurityGroupRules of the service's tagged rules and one
 * DescribeSecurityGroups (of every group, or of the groups holding those rules: GroupsRead).
 * Reads that fail are kept as values:
 * only the connections that depend on them fail. With no connections and no account-region to search,
 * nothing is read.
 */
export async function readSnapshot(
  sessions: AwsSessions,
  everyTableOf: readonly SweepTarget[],
  connections: readonly PeeringConnection[],
  options: { concurrency: number; subnets: boolean; securityGroups: GroupsRead | undefined },
): Promise<SweepSnapshot> {
  const { securityGroups: groupsRead } = options;
  const { concurrency } = options;
  const tablePlaces = new Map<string, TablePlace>(
    everyTableOf.map((target) => [targetKey(target), { ...target }]),
  );
  const cidrPlaces = new Map<string, Place>();
  const subnetPlaces = new Map<string, Place>();
  const groupPlaces = new Map<string, Place>();
  for (const { accepter, requester } of connections) {
    for (const side of [accepter, requester]) {
      wantVpc(tablePlaces, side);
      if (options.subnets) wantVpc(subnetPlaces, side);
      if (options.securityGroups) wantVpc(groupPlaces, side);
    }
    wantVpc(cidrPlaces, accepter);
  }
  const [tables, accepterCidrs, subnets, securityGroups] = await Promise.all([
    readEach(tablePlaces, concurrency, (place) => readTables(sessions, place)),
    readEach(cidrPlaces, concurrency, (place) => readCidrs(sessions, place)),
    options.subnets
      ? readEach(subnetPlaces, concurrency, (place) => readSubnets(sessions, place))
      : undefined,
    groupsRead
      ? readEach(groupPlaces, concurrency, (place) => readGroups(sessions, place, groupsRead))
      : undefined,
  ]);
  return { tables, accepterCidrs, ...(subnets && { subnets }), ...(securityGroups && { securityGroups }) };
}

async function readEach<P, T>(
  places: Map<string, P>,
  concurrency: number,
  read: (place: P) => Promise<BulkRead<T>>,
): Promise<Map<string, BulkRead<T>>> {
  const list = [...places];
  const settled = await settleWithConcurrency(list, concurrency, ([, place]) => read(place));
  return new Map(
    settled.map((result) => [
      result.item[0],
      result.status === "fulfilled" ? result.value : failed(result.reason),
    ]),
  );
}

function wantVpc(places: Map<string, TablePlace>, side: { account: string; region: string; vpcId: string }) {
  const key = targetKey(side);
  const place = places.get(key);
  if (!place) places.set(key, { account: side.account, region: side.region, vpcIds: new Set([side.vpcId]) });
  else place.vpcIds?.add(side.vpcId);
}

async function readTables(
  sessions: AwsSessions,
  place: TablePlace,
): Promise<BulkRead<Map<string, RouteTable[]>>> {
  return asBulkRead(await readTablesWhereReachable(sessions, place, place.vpcIds && [...place.vpcIds]));
}

async function readSubnets(sessions: AwsSessions, place: Place): Promise<BulkRead<Map<string, Subnet[]>>> {
  return asBulkRead(await readSubnetsWhereReachable(sessions, place, [...place.vpcIds]));
}

async function readGroups(
  sessions: AwsSessions,
  place: Place,
  which: GroupsRead,
): Promise<BulkRead<Map<string, SecurityGroup[]>>> {
  return asBulkRead(await readSecurityGroupsWhereReachable(sessions, place, [...place.vpcIds], which));
}

async function readCidrs(sessions: AwsSessions, place: Place): Promise<BulkRead<Map<string, string[]>>> {
  return asBulkRead(await readCidrsWhereReachable(sessions, place, [...place.vpcIds]));
}

function asBulkRead<T>(read: ReadByVpc<T>): BulkRead<Map<string, T>> {
  return read.readable ? { kind: "read", value: read.byVpc } : { kind: "unreadable", reason: read.reason };
}

function failed(reason: unknown): { kind: "failed"; error: Error } {
  return { kind: "failed", error: reason instanceof Error ? reason : new Error(String(reason)) };
}
