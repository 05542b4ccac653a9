import ipaddr from "ipaddr.js";
import { parse } from "yaml";
import type { PeeringRecord, RouteTableRecord, World } from "../../model";

/**
 * The world a scenario must end in, worked out from the README's promises, the policy text and the
 * world's VPCs, route tables and roles, and nothing of the service's code. Only what the scenarios need
 * is modelled; anything else (a route conflict, a table partly full) makes the oracle throw rather than
 * guess.
 */

/** A connection as the scenario made it, and what people outside the service did to it. */
export interface ScenarioConnection {
  id: string;
  /** A person accepted it by hand, or the requester deleted it, before or while the service ran. */
  outside?: "accepted" | "deleted";
  /** It was deleted after the service had decided it: the decision's tags stay on it. */
  decidedBeforeDeletion?: boolean;
}

export interface OracleInput {
  world: World;
  policyYaml: string;
  connections: ScenarioConnection[];
  /** Accounts whose role can never be assumed although the world has one (a fault that never ends). */
  deniedAccounts?: string[];
}

/** A route as `rtb-… destination -> pcx-… (state)`. */
export type RouteLine = string;

export interface DesiredState {
  /** Every route to a peering connection, in every route table of the world, sorted. */
  routes: RouteLine[];
  statuses: Record<string, string>;
  /** Per connection, per account: its tags; `peering-autopilot:decided-at` stands as DECIDED_AT. */
  tags: Record<string, Record<string, Record<string, string>>>;
  /** Per connection: remote DNS resolution as each side's options say. */
  dns: Record<string, { accepter: boolean; requester: boolean }>;
  /** Routes the policy wants that cannot exist (the table is full): the decision record must name them. */
  impossible: { connectionId: string; routeTableId: string; destination: string }[];
  /** Connections whose rejection must reach the notification topic (a decision published with notify). */
  announced: string[];
}

export const DECIDED_AT = "<decided-at>";
const TAG = "peering-autopilot:";

interface Rule {
  name: string;
  accepter: { accounts: string[]; regions?: string[]; vpcs?: string[] };
  requester: { accounts: string[]; regions?: string[]; cidrs: string[] };
  routes?: { accepter?: Selector; requester?: Selector };
  dnsResolution?: boolean;
}
type Selector = "all" | "main" | "none" | { tags: Record<string, string> };
interface Policy {
  unmatched?: "reject" | "ignore";
  rules: Rule[];
}

type Verdict =
  | { action: "accept" | "maintain"; rule: Rule; destinations: string[] }
  | { action: "reject" }
  | { action: "leave" };

export function desiredState(input: OracleInput): DesiredState {
  const { world } = input;
  const policy = parse(input.policyYaml) as Policy;
  const desired: DesiredState = {
    routes: [],
    statuses: {},
    tags: {},
    dns: {},
    impossible: [],
    announced: [],
  };
  const wanted = new Map<string, { connectionId: string; destination: string }[]>();

  for (const connection of input.connections) {
    const peering = world.peering(connection.id);
    const verdict = verdictFor(policy, world, peering, connection);
    const { id } = connection;
    const accepterAccount = peering.accepter.ownerId;
    desired.statuses[id] =
      connection.outside === "deleted"
        ? "deleted"
        : { accept: "active", maintain: "active", reject: "rejected", leave: peering.status.code }[
            verdict.action
          ];
    const dns = { accepter: false, requester: false };
    desired.dns[id] = dns;
    if (verdict.action === "reject" && connection.outside !== "deleted") desired.announced.push(id);
    const tagged = connection.outside !== "deleted" || connection.decidedBeforeDeletion;
    if (tagged && verdict.action !== "leave") {
      const rule = verdict.action === "reject" ? "none" : verdict.rule.name;
      const decision = verdict.action === "reject" ? "reject" : "accept";
      desired.tags[id] = {
        [accepterAccount]: {
          [`${TAG}decision`]: decision,
          [`${TAG}rule`]: rule,
          [`${TAG}decided-at`]: DECIDED_AT,
        },
      };
    }
    if (connection.outside === "deleted" || (verdict.action !== "accept" && verdict.action !== "maintain"))
      continue;

    const sides = [
      { side: "accepter", vpcId: peering.accepter.vpcId, destinations: verdict.destinations },
      {
        side: "requester",
        vpcId: peering.requester.vpcId,
        destinations: cidrsOf(world, peering.accepter.vpcId),
      },
    ] as const;
    for (const { side, vpcId, destinations } of sides) {
      const owner = world.vpc(vpcId).ownerId;
      if (!manageable(world, policy, owner, input.deniedAccounts ?? [])) continue;
      const selector = verdict.rule.routes?.[side] ?? "all";
      for (const table of selectTables(world.routeTablesOfVpc(vpcId), selector)) {
        refuseConflicts(table, destinations, id);
        const list = wanted.get(table.id) ?? [];
        list.push(...destinations.map((destination) => ({ connectionId: id, destination })));
        wanted.set(table.id, list);
      }
      if (verdict.rule.dnsResolution) dns[side] = true;
    }
  }

  for (const [tableId, routes] of wanted) {
    const table = world.routeTable(tableId);
    const others = table.routes.filter((r) => !isLocal(r) && !("vpcPeeringConnectionId" in r.target)).length;
    if (others >= world.options.routeLimit) {
      desired.impossible.push(...routes.map((r) => ({ ...r, routeTableId: tableId })));
      continue;
    }
    if (others + routes.length > world.options.routeLimit) {
      throw new Error(`oracle: ${tableId} would be partly full, which it does not model`);
    }
    desired.routes.push(...routes.map((r) => `${tableId} ${r.destination} -> ${r.connectionId} (active)`));
  }
  desired.routes.sort();
  desired.announced.sort();
  return desired;
}

function verdictFor(
  policy: Policy,
  world: World,
  peering: PeeringRecord,
  connection: ScenarioConnection,
): Verdict {
  const requesterCidrs = cidrsOf(world, peering.requester.vpcId);
  const accepterCidrs = cidrsOf(world, peering.accepter.vpcId);
  const matching = policy.rules.filter((rule) => selectorsMatch(rule, peering));
  if (connection.outside === "accepted") {
    // An active connection is governed by the first matching rule that allows any of its CIDRs.
    const rule = matching.find((r) => requesterCidrs.some((c) => allowed(r, c)));
    return rule
      ? { action: "maintain", rule, destinations: requesterCidrs.filter((c) => allowed(rule, c)) }
      : { action: "leave" };
  }
  if (requesterCidrs.some((r) => accepterCidrs.some((a) => overlaps(r, a)))) return { action: "reject" };
  const rule = matching.find((r) => requesterCidrs.every((c) => allowed(r, c)));
  if (rule) return { action: "accept", rule, destinations: requesterCidrs };
  return policy.unmatched === "ignore" ? { action: "leave" } : { action: "reject" };
}

function selectorsMatch(rule: Rule, peering: PeeringRecord): boolean {
  const { accepter: a, requester: r } = peering;
  const listed = (list: string[] | undefined, value: string) => list === undefined || list.includes(value);
  return (
    rule.accepter.accounts.includes(a.ownerId) &&
    listed(rule.accepter.regions, a.region) &&
    listed(rule.accepter.vpcs, a.vpcId) &&
    (rule.requester.accounts.includes("*") || rule.requester.accounts.includes(r.ownerId)) &&
    listed(rule.requester.regions, r.region)
  );
}

/** The home account needs no role; others need one the world has, and the policy must name them. */
function manageable(world: World, policy: Policy, account: string, denied: string[]): boolean {
  if (account === world.homeAccount) return true;
  const named = policy.rules.some(
    (r) => r.accepter.accounts.includes(account) || r.requester.accounts.includes(account),
  );
  return named && world.accounts.get(account)?.role !== undefined && !denied.includes(account);
}

function selectTables(tables: RouteTableRecord[], selector: Selector): RouteTableRecord[] {
  if (selector === "all") return tables;
  if (selector === "none") return [];
  if (selector === "main") return tables.filter((t) => t.main);
  return tables.filter((t) => Object.entries(selector.tags).every(([k, v]) => t.tags[k] === v));
}

/** The oracle does not model conflicts: a scenario whose tables hold one is a mistake in the scenario. */
function refuseConflicts(table: RouteTableRecord, destinations: string[], connectionId: string): void {
  for (const route of table.routes) {
    const target = Object.values(route.target)[0] as string;
    if (isLocal(route) || target === connectionId) continue;
    for (const destination of destinations) {
      const specific = prefix(route.destination) >= prefix(destination) || target.startsWith("pcx-");
      if (overlaps(route.destination, destination) && specific) {
        throw new Error(
          `oracle: ${table.id} ${route.destination} -> ${target} conflicts with ${destination}`,
        );
      }
    }
  }
}

function cidrsOf(world: World, vpcId: string): string[] {
  const vpc = world.vpc(vpcId);
  return [...vpc.cidrs, ...vpc.ipv6Cidrs].map((entry) => entry.cidr);
}

function allowed(rule: Rule, cidr: string): boolean {
  return rule.requester.cidrs.some((outer) => contains(outer, cidr));
}

function isLocal(route: { target: object }): boolean {
  return "gatewayId" in route.target && route.target.gatewayId === "local";
}

function prefix(cidr: string): number {
  return ipaddr.parseCIDR(cidr)[1];
}

function contains(outer: string, inner: string): boolean {
  const [outerAddress, outerBits] = ipaddr.parseCIDR(outer);
  const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
  return (
    outerAddress.kind() === innerAddress.kind() &&
    innerBits >= outerBits &&
    innerAddress.match(outerAddress, outerBits)
  );
}

function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}

// --- the world as it is, in the same shape -----------------------------------------------------

export type ActualState = Omit<DesiredState, "impossible" | "announced">;

export function actualState(world: World): ActualState {
  const routes: RouteLine[] = [];
  for (const table of world.routeTables.values()) {
    for (const route of table.routes) {
      if ("vpcPeeringConnectionId" in route.target) {
        routes.push(
          `${table.id} ${route.destination} -> ${route.target.vpcPeeringConnectionId} (${route.state})`,
        );
      }
    }
  }
  const statuses: ActualState["statuses"] = {};
  const tags: ActualState["tags"] = {};
  const dns: ActualState["dns"] = {};
  for (const peering of world.peerings.values()) {
    statuses[peering.id] = peering.status.code;
    dns[peering.id] = {
      accepter: peering.accepter.allowDnsResolutionFromRemoteVpc,
      requester: peering.requester.allowDnsResolutionFromRemoteVpc,
    };
    const byAccount = Object.entries(peering.tagsByAccount).filter(([, t]) => Object.keys(t).length > 0);
    if (byAccount.length > 0)
      tags[peering.id] = Object.fromEntries(byAccount.map(([a, t]) => [a, normalised(t)]));
  }
  return { routes: routes.sort(), statuses, tags, dns };
}

/** decided-at is a time: checked to be one, then compared as a placeholder. */
function normalised(tags: Record<string, string>): Record<string, string> {
  const key = `${TAG}decided-at`;
  const value = tags[key];
  if (value === undefined) return tags;
  return { ...tags, [key]: Number.isNaN(Date.parse(value)) ? `not a time: ${value}` : DECIDED_AT };
}

/** Every route that targets something other than a peering connection, per table: these must never change. */
export function otherRoutes(world: World): Record<string, string[]> {
  return Object.fromEntries(
    [...world.routeTables.values()].map((table) => [
      table.id,
      table.routes
        .filter((r) => !("vpcPeeringConnectionId" in r.target))
        .map((r) => `${r.destination} -> ${Object.values(r.target)[0]} (${r.state})`),
    ]),
  );
}
