import { hasChanges } from "../../shared/decision/changes";
import type { Action } from "../../shared/decision/decision";
import type { PeeringSide } from "../../shared/facts";
import type { PassPlan, PlannedConnection } from "../../shared/workflow/plan-pass";

/**
 * What an edge shows the plan doing: the decision's action, except a connection no rule governs
 * (`outside-policy`) and a report-mode decision that would change something (`report-only`).
 */
export type EdgeKind = Action | "outside-policy" | "report-only";

/** Legend order: what changes first, then what is only reported, then what is left alone. */
export const EDGE_KINDS: EdgeKind[] = [
  "accept",
  "maintain",
  "await-approval",
  "reject",
  "cleanup",
  "outside-policy",
  "report-only",
  "ignore",
];

export interface VpcNode {
  /** Unique over the graph: account, region and VPC id. */
  key: string;
  vpcId: string;
  cidrs: string[];
}

export interface RegionGroup {
  region: string;
  vpcs: VpcNode[];
}

export interface AccountGroup {
  account: string;
  regions: RegionGroup[];
}

export interface ConnectionEdge {
  connectionId: string;
  /** Node keys: requester → accepter. */
  from: string;
  to: string;
  rule?: string;
  kind: EdgeKind;
  /** What the decision does, or in report mode would do. */
  action: Action;
}

/** The peering graph of a plan, sorted so that the same plan always draws the same text. */
export interface PlanGraphModel {
  accounts: AccountGroup[];
  edges: ConnectionEdge[];
  /** The kinds the edges use, in legend order. */
  kinds: EdgeKind[];
}

export function edgeKind({ decision, changes }: PlannedConnection): EdgeKind {
  if (decision.findings.includes("outside-policy")) return "outside-policy";
  if (decision.mode === "report" && hasChanges(changes)) return "report-only";
  return decision.action;
}

export function planGraphModel(plan: PassPlan): PlanGraphModel {
  const vpcs = new Map<string, PeeringSide>();
  const edges = plan.connections.map((planned): ConnectionEdge => {
    const { decision } = planned;
    return {
      connectionId: decision.connectionId,
      from: addVpc(vpcs, decision.requester),
      to: addVpc(vpcs, decision.accepter),
      ...(decision.rule !== undefined && { rule: decision.rule }),
      kind: edgeKind(planned),
      action: decision.action,
    };
  });
  edges.sort(
    (a, b) => compare(a.connectionId, b.connectionId) || compare(a.from, b.from) || compare(a.to, b.to),
  );
  const used = new Set(edges.map((edge) => edge.kind));
  return { accounts: groups([...vpcs.values()]), edges, kinds: EDGE_KINDS.filter((kind) => used.has(kind)) };
}

/** A VPC seen from several connections is one node, with every CIDR any of them reports. */
function addVpc(vpcs: Map<string, PeeringSide>, side: PeeringSide): string {
  const key = vpcKey(side);
  const seen = vpcs.get(key);
  vpcs.set(key, { ...side, cidrs: [...new Set([...(seen?.cidrs ?? []), ...side.cidrs])] });
  return key;
}

function vpcKey({ account, region, vpcId }: PeeringSide): string {
  return `${account}/${region}/${vpcId}`;
}

function groups(sides: PeeringSide[]): AccountGroup[] {
  const accounts = new Map<string, Map<string, VpcNode[]>>();
  for (const side of sides) {
    const regions = accounts.get(side.account) ?? new Map<string, VpcNode[]>();
    accounts.set(side.account, regions);
    const vpcs = regions.get(side.region) ?? [];
    regions.set(side.region, vpcs);
    vpcs.push({ key: vpcKey(side), vpcId: side.vpcId, cidrs: [...side.cidrs].sort(compare) });
  }
  return [...accounts]
    .sort(([a], [b]) => compare(a, b))
    .map(([account, regions]) => ({
      account,
      regions: [...regions]
        .sort(([a], [b]) => compare(a, b))
        .map(([region, vpcs]) => ({ region, vpcs: vpcs.sort((a, b) => compare(a.vpcId, b.vpcId)) })),
    }));
}

/** Code-point order, the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
