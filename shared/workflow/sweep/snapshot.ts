import type { Outcome } from "../../aws/carry-out/jobs";
import type { RemovalResult } from "../../aws/carry-out/remove-routes";
import { changesOf } from "../../decision/changes";
import type { Decision } from "../../decision/decision";
import { ruleQuotaKey } from "../../decision/quota";
import type {
  DecisionFacts,
  PeeringConnection,
  PlannedMeanwhile,
  Quotas,
  RouteTable,
  RouteTablesRead,
  SecurityGroup,
  SecurityGroupsRead,
  Subnet,
  SubnetsRead,
} from "../../facts";
import { ruleKey } from "../../security-groups/rule-key";
import { targetKey } from "./assign";

/** One bulk read of an account-region: what it gave, or why not: for good (`unreadable`) or for now. */
export type BulkRead<T> =
  | { kind: "read"; value: T }
  | { kind: "unreadable"; reason: string }
  | { kind: "failed"; error: Error };

/**
 * What a sweep read in bulk, keyed by account-region: every route table a decision may look at (by
 * VPC), and the accepter VPCs' CIDRs (by VPC). Kept up to date with the sweep's own changes, so that
 * a later phase decides on the routes an earlier one removed or made.
 */
export interface SweepSnapshot {
  tables: Map<string, BulkRead<Map<string, RouteTable[]>>>;
  accepterCidrs: Map<string, BulkRead<Map<string, string[]>>>;
  /** Both sides' subnets (by VPC), read only when a rule routes to subnets. */
  subnets?: Map<string, BulkRead<Map<string, Subnet[]>>>;
  /**
   * Active peering connections (by VPC) of the pending requests' accepter VPCs: counted from the full
   * pass's own listings, read for the pending pass.
   */
  activePeerings?: Map<string, BulkRead<Map<string, number>>>;
  /** Both sides' security groups (by VPC), read only when a rule opens security groups. */
  securityGroups?: Map<string, BulkRead<Map<string, SecurityGroup[]>>>;
  /** What the phase being decided will create, until it is carried out (see recordPlanned). */
  plannedMeanwhile?: PlannedMeanwhile;
}

/**
 * The facts for one connection, as readForDecision would read them (with the quotas given, and for a
 * pending request its accepter VPC's active connections); the error when a read failed for now.
 */
export function factsFromSnapshot(
  snapshot: SweepSnapshot,
  connection: PeeringConnection,
  readAt: Date,
  quotas?: Quotas,
): { facts: DecisionFacts } | { error: Error } {
  const { accepter, requester } = connection;
  const cidrs = bulkReadAt(snapshot.accepterCidrs, accepter);
  const accepterTables = bulkReadAt(snapshot.tables, accepter);
  const requesterTables = bulkReadAt(snapshot.tables, requester);
  if (cidrs.kind === "failed") return { error: cidrs.error };
  if (accepterTables.kind === "failed") return { error: accepterTables.error };
  if (requesterTables.kind === "failed") return { error: requesterTables.error };
  const subnets = snapshot.subnets && {
    accepter: bulkReadAt(snapshot.subnets, accepter),
    requester: bulkReadAt(snapshot.subnets, requester),
  };
  if (subnets?.accepter.kind === "failed") return { error: subnets.accepter.error };
  if (subnets?.requester.kind === "failed") return { error: subnets.requester.error };
  const peerings = quotas && activePeeringsAt(snapshot, connection);
  if (peerings?.kind === "failed") return { error: peerings.error };
  const groups = snapshot.securityGroups && {
    accepter: bulkReadAt(snapshot.securityGroups, accepter),
    requester: bulkReadAt(snapshot.securityGroups, requester),
  };
  if (groups?.accepter.kind === "failed") return { error: groups.accepter.error };
  if (groups?.requester.kind === "failed") return { error: groups.requester.error };
  return {
    facts: {
      connection,
      // DescribeVpcs is authoritative; the connection's copy serves when the accepter cannot be read.
      accepterCidrs: cidrs.kind === "read" ? (cidrs.value.get(accepter.vpcId) ?? []) : accepter.cidrs,
      accepterRouteTables: tablesOf(accepterTables, accepter.vpcId),
      requesterRouteTables: tablesOf(requesterTables, requester.vpcId),
      ...(subnets && {
        accepterSubnets: subnetsOf(subnets.accepter, accepter.vpcId),
        requesterSubnets: subnetsOf(subnets.requester, requester.vpcId),
      }),
      ...(groups && {
        accepterSecurityGroups: groupsOf(groups.accepter, accepter.vpcId),
        requesterSecurityGroups: groupsOf(groups.requester, requester.vpcId),
      }),
      readAt: readAt.toISOString(),
      ...(quotas && { quotas }),
      ...(peerings?.kind === "read" && { accepterActivePeerings: peerings.count }),
      ...(quotas && snapshot.plannedMeanwhile && { plannedMeanwhile: snapshot.plannedMeanwhile }),
    },
  };
}

/** Only a request is accepted, so only a request's accepter VPC has its active connections counted. */
function activePeeringsAt(
  snapshot: SweepSnapshot,
  connection: PeeringConnection,
): { kind: "read"; count: number } | Exclude<BulkRead<unknown>, { kind: "read" }> | undefined {
  if (connection.status !== "pending-acceptance" || !snapshot.activePeerings) return undefined;
  const { accepter } = connection;
  const read = bulkReadAt(snapshot.activePeerings, accepter);
  return read.kind === "read" ? { kind: "read", count: read.value.get(accepter.vpcId) ?? 0 } : read;
}

function subnetsOf(read: BulkRead<Map<string, Subnet[]>>, vpcId: string): SubnetsRead {
  if (read.kind === "read") return { readable: true, subnets: read.value.get(vpcId) ?? [] };
  return { readable: false, reason: read.kind === "unreadable" ? read.reason : read.error.message };
}

function groupsOf(read: BulkRead<Map<string, SecurityGroup[]>>, vpcId: string): SecurityGroupsRead {
  if (read.kind === "read") return { readable: true, groups: read.value.get(vpcId) ?? [] };
  return { readable: false, reason: read.kind === "unreadable" ? read.reason : read.error.message };
}

/** The read of one account-region; one the sweep did not make counts as failed. */
export function bulkReadAt<T>(
  reads: Map<string, BulkRead<T>>,
  where: { account: string; region: string },
): BulkRead<T> {
  return (
    reads.get(targetKey(where)) ?? {
      kind: "failed",
      error: new Error(`the sweep did not read ${targetKey(where)}`),
    }
  );
}

function tablesOf(read: Exclude<BulkRead<Map<string, RouteTable[]>>, { kind: "failed" }>, vpcId: string) {
  const tables: RouteTablesRead =
    read.kind === "read"
      ? { readable: true, tables: read.value.get(vpcId) ?? [] }
      : { readable: false, reason: read.reason };
  return tables;
}

/**
 * A snapshot of its own: what a pass changes in it (the routes of its tables, the rules of its
 * security groups, the peering counts) is copied.
 */
export function copySnapshot(snapshot: SweepSnapshot): SweepSnapshot {
  const tables = copyReads(snapshot.tables, (table) => ({ ...table, routes: [...table.routes] }));
  const securityGroups =
    snapshot.securityGroups &&
    copyReads(snapshot.securityGroups, (group) => ({
      ...group,
      ingress: [...group.ingress],
      tagged: [...group.tagged],
    }));
  const activePeerings =
    snapshot.activePeerings &&
    new Map(
      [...snapshot.activePeerings].map(([key, read]) => [
        key,
        read.kind === "read" ? { kind: "read" as const, value: new Map(read.value) } : read,
      ]),
    );
  return {
    ...snapshot,
    tables,
    ...(securityGroups && { securityGroups }),
    ...(activePeerings && { activePeerings }),
  };
}

function copyReads<T>(
  reads: Map<string, BulkRead<Map<string, T[]>>>,
  copy: (item: T) => T,
): Map<string, BulkRead<Map<string, T[]>>> {
  return new Map(
    [...reads].map(([key, read]) => [
      key,
      read.kind === "read"
        ? {
            kind: "read" as const,
            value: new Map([...read.value].map(([vpcId, list]) => [vpcId, list.map(copy)])),
          }
        : read,
    ]),
  );
}

/**
 * Records in the snapshot a request the pass accepts, as one more active connection of both its VPCs,
 * so that the next request to the same VPC is checked against the count the accept leaves.
 */
export function recordAccepted(snapshot: SweepSnapshot, connection: PeeringConnection): void {
  for (const side of [connection.accepter, connection.requester]) {
    const read = snapshot.activePeerings?.get(targetKey(side));
    if (read?.kind === "read") read.value.set(side.vpcId, (read.value.get(side.vpcId) ?? 0) + 1);
  }
}

/**
 * Records in the snapshot what an enforced decision will create, before the phase is carried out, so
 * that the next decision of the phase counts it against the same tables' and groups' quotas.
 * clearPlanned forgets it once the phase is carried out: recordChanges then records what was made.
 */
export function recordPlanned(snapshot: SweepSnapshot, decision: Decision): void {
  if (decision.mode !== "enforce") return;
  const { createRoutes, securityGroupRules } = changesOf(decision);
  const rules = securityGroupRules?.create ?? [];
  if (createRoutes.length === 0 && rules.length === 0) return;
  const planned = snapshot.plannedMeanwhile ?? { routes: {}, rules: {} };
  snapshot.plannedMeanwhile = planned;
  for (const { routeTableId } of createRoutes) {
    planned.routes[routeTableId] = (planned.routes[routeTableId] ?? 0) + 1;
  }
  for (const { groupId, cidr } of rules) {
    const key = ruleQuotaKey(groupId, cidr);
    planned.rules[key] = (planned.rules[key] ?? 0) + 1;
  }
}

export function clearPlanned(snapshot: SweepSnapshot): void {
  delete snapshot.plannedMeanwhile;
}

/** Records in the snapshot the routes one carried-out decision made and removed. */
export function recordChanges(snapshot: SweepSnapshot, connectionId: string, outcome: Outcome): void {
  for (const { route, result } of outcome.routes) {
    if (result === "created") {
      findTable(snapshot, route)?.routes.push({
        destination: route.destination,
        target: connectionId,
        state: "active",
      });
    }
  }
  recordRemovals(snapshot, outcome.removed);
  recordRuleChanges(snapshot, connectionId, outcome);
}

/** Records the security-group rules made and revoked, so that a later phase sees them (a re-peered VPC). */
function recordRuleChanges(snapshot: SweepSnapshot, connectionId: string, outcome: Outcome): void {
  const { securityGroups } = snapshot;
  if (!securityGroups || !outcome.securityGroupRules) return;
  const groupAt = (where: { account: string; region: string; groupId: string }) => {
    const read = securityGroups.get(targetKey(where));
    if (read?.kind !== "read") return undefined;
    return [...read.value.values()].flat().find((group) => group.id === where.groupId);
  };
  for (const done of outcome.securityGroupRules.authorized) {
    const group = done.result === "created" ? groupAt(done.rule) : undefined;
    if (!group || done.result !== "created") continue;
    const { protocol, fromPort, toPort, cidr } = done.rule;
    group.ingress.push({ protocol, fromPort, toPort, cidr });
    group.tagged.push({ id: done.ruleId, connectionId, protocol, fromPort, toPort, cidr });
  }
  for (const done of outcome.securityGroupRules.revoked) {
    const group = done.result === "failed" ? undefined : groupAt(done.rule);
    if (!group) continue;
    const key = ruleKey(done.rule);
    group.tagged = group.tagged.filter((rule) => rule.id !== done.rule.ruleId);
    group.ingress = group.ingress.filter((rule) => ruleKey(rule) !== key);
  }
}

/** Records in the snapshot the routes that are gone (removed now, or found already absent). */
export function recordRemovals(snapshot: SweepSnapshot, removals: RemovalResult[]): void {
  for (const { route, result } of removals) {
    const table = result === "failed" ? undefined : findTable(snapshot, route);
    if (table) table.routes = table.routes.filter((r) => r.destination !== route.destination);
  }
}

function findTable(
  snapshot: SweepSnapshot,
  where: { account: string; region: string; routeTableId: string },
): RouteTable | undefined {
  const read = snapshot.tables.get(targetKey(where));
  if (read?.kind !== "read") return undefined;
  return [...read.value.values()].flat().find((table) => table.id === where.routeTableId);
}
