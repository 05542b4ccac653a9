import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { stringify } from "yaml";
import {
  installModel,
  peeringCallEvent,
  type RouteRecord,
  type RouteTarget,
  requestPeering,
  vpcCidrEvent,
  World,
} from "../../model";
import { overlaps } from "../../shared/cidr";
import type { DecisionFacts, PeeringStatus, RouteTable } from "../../shared/facts";
import type { Policy } from "../../shared/policy/schema";
import { type FunctionName, importHandlers, lambdaContext } from "../handlers/harness";
import {
  endsOf,
  HOME,
  ORPHAN_PCX,
  REGIONS,
  vpcOf,
  type WorldDestination,
  type WorldSpec,
} from "./arbitraries";

/**
 * The real handlers over a fresh in-memory world, one per generated case: the same setup as
 * test/handlers/harness.ts, but callable from inside a fast-check property instead of beforeEach.
 */

export type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

export interface Service {
  /** Runs a deployed function; a failed invocation is an outcome, not an exception. */
  run(name: FunctionName, event?: unknown): Promise<Outcome>;
}

const ENV: Record<string, string | undefined> = {
  // Waiter polls are real sleeps; the model activates an accepted connection on the next describe.
  WAIT_MIN_DELAY_SECONDS: "0.01",
  VISIBLE_WAIT_SECONDS: "1",
  ACTIVE_WAIT_SECONDS: "1",
  SWEEP_REGIONS: REGIONS.join(","),
  ASSUME_ROLE_EXTERNAL_ID: undefined,
  ASSUME_ROLE_NAME: undefined,
  EVENT_BUS_NAME: undefined,
  SWEEP_CONCURRENCY: undefined,
};

const SCHEDULED_EVENT = {
  version: "0",
  id: "89d1a02d-5ec7-412e-82f5-13505f849b41",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: HOME,
  time: "2026-11-27T10:00:00Z",
  region: "us-east-1",
  resources: [`arn:aws:events:us-east-1:${HOME}:rule/peering-autopilot-reconcile`],
  detail: {},
};

/** One policy file per test worker, rewritten for every case (cases run one after the other). */
let policyPath: string | undefined;

/**
 * Installs the model over `world`, writes the policy, sets the environment and imports every handler
 * afresh (module state — the loaded policy, STS credentials, clients — is per container in Lambda, so
 * per case here); undoes all of it afterwards, whatever `body` does.
 */
export async function withService<T>(
  world: World,
  rawPolicy: unknown,
  body: (service: Service) => Promise<T>,
): Promise<T> {
  policyPath ??= join(mkdtempSync(join(tmpdir(), "property-policy-")), "policy.yml");
  writeFileSync(policyPath, stringify(rawPolicy));

  const saved = Object.fromEntries(
    [...Object.keys(ENV), "POLICY_PATH"].map((key) => [key, process.env[key]] as const),
  );
  for (const [key, value] of Object.entries({ ...ENV, POLICY_PATH: policyPath })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const { restore } = installModel(world);
  try {
    vi.resetModules();
    const handlers = await importHandlers();
    return await body({
      async run(name, event = SCHEDULED_EVENT) {
        try {
          const value = await handlers[name](structuredClone(event), lambdaContext(world.homeAccount));
          return { ok: true, value };
        } catch (error) {
          return { ok: false, error: error as Error };
        }
      },
    });
  } finally {
    restore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

// --- generated worlds -------------------------------------------------------------------------------

/** One event to deliver: what changes in the world first (if anything), and which function gets it. */
export interface Step {
  label: string;
  fn: FunctionName;
  event: unknown;
  /** Changes the world as the call the event records did; run once, before the first delivery. */
  prepare?: () => void;
  /** The connections the event is about (for a CIDR change: the VPC's active ones, looked up now). */
  connections: () => string[];
}

/** Some events arrive (in order), the others are lost: `delivered[i]` says which. */
export async function deliverSome(service: Service, steps: Step[], delivered: boolean[]): Promise<void> {
  for (const [i, step] of steps.entries()) {
    step.prepare?.();
    if (delivered[i]) await service.run(step.fn, step.event);
  }
}

export interface BuiltWorld {
  world: World;
  steps: Step[];
}

const TARGETS = {
  igw: { gatewayId: "igw-0aaaabbbbccccdddd" },
  nat: { natGatewayId: "nat-0aaaabbbbccccdddd" },
  tgw: { transitGatewayId: "tgw-0aaaabbbbccccdddd" },
} satisfies Record<string, RouteTarget>;

/** Builds a world from its spec; the events that would announce its connections come back as steps. */
export function buildWorld(spec: WorldSpec): BuiltWorld {
  const world = new World({ homeAccount: HOME });
  for (const other of spec.others) world.addAccount(other.account, other.role ? {} : { role: false });

  const vpcIds = spec.vpcs.map((_, i) => {
    const vpc = vpcOf(spec, i);
    const cidrs = disjoint([...vpc.cidrs, ...vpc.ipv6Cidrs]);
    return world.addVpc({
      ownerId: vpc.account,
      region: vpc.region,
      vpcId: vpc.vpcId,
      cidrs: cidrs.filter((c) => !c.includes(":")),
      ipv6Cidrs: cidrs.filter((c) => c.includes(":")),
    });
  });
  const cidrsOf = (vpcId: string) => {
    const vpc = world.vpc(vpcId);
    return [...vpc.cidrs, ...vpc.ipv6Cidrs].map((entry) => entry.cidr);
  };

  const steps: Step[] = [];
  for (const template of spec.peerings) {
    const ends = endsOf(spec, template);
    const sides = {
      requesterVpcId: pick(vpcIds, ends.requester),
      accepterVpcId: pick(vpcIds, ends.accepter),
    };
    const accepter = world.vpc(sides.accepterVpcId);
    const atAccepter = { account: accepter.ownerId, region: accepter.region };
    if (template.kind === "request") {
      const { connectionId, event } = requestPeering(world, sides);
      steps.push({
        label: `CreateVpcPeeringConnection ${connectionId}`,
        fn: "on-peering-request",
        event,
        connections: () => [connectionId],
      });
      continue;
    }
    const status: PeeringStatus = template.kind === "lost" ? "pending-acceptance" : template.kind;
    const connectionId = world.addPeering({ ...sides, status });
    if (template.kind === "lost") continue;
    const name = ({ active: "Accept", deleted: "Delete", rejected: "Reject" } as const)[template.kind];
    const by =
      template.kind === "deleted" && template.deletedBy === "requester"
        ? { account: world.vpc(sides.requesterVpcId).ownerId, region: world.vpc(sides.requesterVpcId).region }
        : atAccepter;
    steps.push({
      label: `${name}VpcPeeringConnection ${connectionId} by ${by.account} ${by.region}`,
      fn: "on-peering-change",
      event: peeringCallEvent(`${name}VpcPeeringConnection`, { connectionId, ...by }),
      connections: () => [connectionId],
    });
  }

  for (const table of spec.tables) {
    const vpcId = pick(vpcIds, table.vpc);
    const own = cidrsOf(vpcId);
    const ofVpc = [...world.peerings.values()].filter(
      (p) => p.requester.vpcId === vpcId || p.accepter.vpcId === vpcId,
    );
    const peerings = ofVpc.map((p) => p.id);
    const peerVpcs = ofVpc.map((p) => (p.requester.vpcId === vpcId ? p.accepter.vpcId : p.requester.vpcId));
    const destination = (d: WorldDestination) => {
      if ("cidr" in d) return d.cidr;
      if ("vpc" in d) return pick(cidrsOf(pick(vpcIds, d.vpc)), d.index);
      return pick(cidrsOf(peerVpcs.length > 0 ? pick(peerVpcs, d.peerOf) : vpcId), d.index);
    };
    const routes = table.routes.flatMap((route): { destination: string; target: RouteTarget }[] => {
      switch (route.kind) {
        case "default":
          return [{ destination: route.destination, target: TARGETS[route.target] }];
        case "pcx":
          return peerings.length === 0
            ? []
            : [
                {
                  destination: destination(route.destination),
                  target: { vpcPeeringConnectionId: pick(peerings, route.peering) },
                },
              ];
        case "orphan":
          return [
            {
              destination: destination(route.destination),
              target: { vpcPeeringConnectionId: pick(ORPHAN_PCX, route.orphan) },
            },
          ];
        default:
          return [{ destination: destination(route.destination), target: TARGETS[route.kind] }];
      }
    });
    if (table.intoMain) {
      const main = world.routeTablesOfVpc(vpcId).find((t) => t.main);
      if (!main) throw new Error(`${vpcId} has no main route table`);
      Object.assign(main.tags, table.tags);
      for (const route of routes) {
        if (main.routes.some((existing) => existing.destination === route.destination)) continue;
        main.routes.push({ ...route, state: world.routeStateFor(route.target), origin: "CreateRoute" });
      }
    } else {
      const unique = routes.filter(
        (route, i) =>
          !own.includes(route.destination) &&
          routes.findIndex((r) => r.destination === route.destination) === i,
      );
      world.addRouteTable({ vpcId, tags: table.tags, routes: unique });
    }
  }

  const change = spec.cidrChange;
  if (change) {
    const vpc = world.vpc(pick(vpcIds, change.vpc));
    const where = { vpcId: vpc.id, account: vpc.ownerId, region: vpc.region };
    const own = cidrsOf(vpc.id);
    // Only a block other than the primary IPv4 one can be removed; an added one may not overlap the VPC's.
    const removable = own.filter((cidr) => cidr !== vpc.cidrs[0]?.cidr).at(-1);
    const cidr = change.remove
      ? removable
      : own.some((c) => overlaps(c, change.cidr))
        ? undefined
        : change.cidr;
    if (cidr) {
      const eventName = change.remove ? "DisassociateVpcCidrBlock" : "AssociateVpcCidrBlock";
      steps.push({
        label: `${eventName} ${cidr} of ${vpc.id}`,
        fn: "on-vpc-cidr-change",
        event: vpcCidrEvent(eventName, { ...where, cidr }),
        prepare: () =>
          change.remove ? world.disassociateVpcCidr(vpc.id, cidr) : world.associateVpcCidr(vpc.id, cidr),
        connections: () =>
          [...world.peerings.values()]
            .filter(
              (p) =>
                p.status.code === "active" && (p.requester.vpcId === vpc.id || p.accepter.vpcId === vpc.id),
            )
            .map((p) => p.id),
      });
    }
  }
  return { world, steps };
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** A VPC's blocks may not overlap one another: later ones that do are dropped. */
function disjoint(cidrs: string[]): string[] {
  const kept: string[] = [];
  for (const cidr of cidrs) if (!kept.some((k) => overlaps(k, cidr))) kept.push(cidr);
  return kept;
}

// --- what the world looks like -------------------------------------------------------------------------

export interface RouteLine {
  destination: string;
  target: string;
  state: string;
}

export interface WorldState {
  routes: Record<string, RouteLine[]>;
  statuses: Record<string, string>;
  tags: Record<string, Record<string, Record<string, string>>>;
  dns: Record<string, { requester: boolean; accepter: boolean }>;
}

export function targetOf(route: RouteRecord): string {
  return Object.values(route.target)[0] ?? "";
}

export function snapshot(world: World): WorldState {
  const peerings = [...world.peerings.values()];
  return structuredClone({
    routes: Object.fromEntries(
      [...world.routeTables.values()].map((table) => [
        table.id,
        table.routes.map((r) => ({ destination: r.destination, target: targetOf(r), state: r.state })),
      ]),
    ),
    statuses: Object.fromEntries(peerings.map((p) => [p.id, p.status.code])),
    tags: Object.fromEntries(peerings.map((p) => [p.id, p.tagsByAccount])),
    dns: Object.fromEntries(
      peerings.map((p) => [
        p.id,
        {
          requester: p.requester.allowDnsResolutionFromRemoteVpc,
          accepter: p.accepter.allowDnsResolutionFromRemoteVpc,
        },
      ]),
    ),
  });
}

/** Routes in `after` that `before` did not have (same table, destination and target). */
export function addedRoutes(before: WorldState, after: WorldState) {
  return diffRoutes(after, before);
}

/** Routes of `before` that are gone or point elsewhere in `after`. */
export function removedRoutes(before: WorldState, after: WorldState) {
  return diffRoutes(before, after);
}

function diffRoutes(from: WorldState, to: WorldState) {
  return Object.entries(from.routes).flatMap(([tableId, routes]) =>
    routes
      .filter(
        (route) =>
          !(to.routes[tableId] ?? []).some(
            (other) => other.destination === route.destination && other.target === route.target,
          ),
      )
      .map((route) => ({ tableId, ...route })),
  );
}

// --- the oracle's view of the world ------------------------------------------------------------------

/** Accounts the policy names (the service assumes roles only into these). */
export function namedAccounts(policy: Policy): Set<string> {
  return new Set(
    policy.rules.flatMap((rule) => [
      ...rule.accepter.accounts,
      ...rule.requester.accounts.filter((a) => a !== "*"),
    ]),
  );
}

/** The service can work in its own account, and in a named one whose role exists. */
export function reachable(world: World, policy: Policy, account: string): boolean {
  return (
    account === world.homeAccount ||
    (namedAccounts(policy).has(account) && world.accounts.get(account)?.role !== undefined)
  );
}

export function inRemit(policy: Policy, account: string, region: string): boolean {
  return policy.rules.some(
    (rule) =>
      rule.accepter.accounts.includes(account) &&
      (!rule.accepter.regions || rule.accepter.regions.includes(region)),
  );
}

/**
 * The facts a decision about this connection should rest on, read straight from the model's records
 * (not through the service's readers): an active connection shows its VPCs' current CIDRs, others
 * the CIDRs they were made with; a side's tables only when the service can reach its account.
 */
export function factsFromWorld(world: World, policy: Policy, connectionId: string): DecisionFacts {
  const peering = world.peering(connectionId);
  const status = peering.status.code;
  const shown = (side: "requester" | "accepter") => {
    const vpc = world.vpcs.get(peering[side].vpcId);
    if (status === "active" && vpc) return [...vpc.cidrs, ...vpc.ipv6Cidrs].map((e) => e.cidr);
    return [...peering[side].cidrs, ...peering[side].ipv6Cidrs];
  };
  const location = (side: "requester" | "accepter") => ({
    account: peering[side].ownerId,
    region: peering[side].region,
    vpcId: peering[side].vpcId,
  });
  const tables = (side: "requester" | "accepter") =>
    reachable(world, policy, peering[side].ownerId)
      ? {
          readable: true as const,
          tables: world.routeTablesOfVpc(peering[side].vpcId).map(
            (table): RouteTable => ({
              id: table.id,
              main: table.main,
              tags: { ...table.tags },
              routes: table.routes.map((r) => ({
                destination: r.destination,
                target: targetOf(r),
                state: r.state,
              })),
            }),
          ),
        }
      : { readable: false as const, reason: "not reachable" };
  const accepterVpc = world.vpcs.get(peering.accepter.vpcId);
  const accepterShown = ["provisioning", "active", "deleting", "deleted"].includes(status)
    ? shown("accepter")
    : [];
  return {
    connection: {
      id: peering.id,
      status,
      requester: { ...location("requester"), cidrs: shown("requester") },
      accepter: { ...location("accepter"), cidrs: accepterShown },
      tags: { ...(peering.tagsByAccount[peering.accepter.ownerId] ?? {}) },
      dnsResolution: {
        requester: peering.requester.allowDnsResolutionFromRemoteVpc,
        accepter: peering.accepter.allowDnsResolutionFromRemoteVpc,
      },
    },
    accepterCidrs:
      reachable(world, policy, peering.accepter.ownerId) && accepterVpc
        ? [...accepterVpc.cidrs, ...accepterVpc.ipv6Cidrs].map((e) => e.cidr)
        : accepterShown,
    accepterRouteTables: tables("accepter"),
    requesterRouteTables: tables("requester"),
  };
}
