import type { MetricPoint } from "../../shared/metrics/metric-point";
import type { DecisionRecord, RouteRef } from "../../shared/workflow/decision-record";

/** Small builders for the metrics' tests: one accepted cross-account request, routed on both sides. */

export const NOW = new Date("2026-11-27T10:00:00.000Z");
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The expiration time EC2 shows for a request made `seconds` before NOW. */
export function madeSecondsAgo(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000 + WEEK_MS).toISOString();
}

export const ACCEPTER_ROUTE: RouteRef = {
  side: "accepter",
  account: "111111111111",
  region: "us-east-1",
  routeTableId: "rtb-0accept0000000main",
  destination: "10.20.0.0/16",
};
export const PARTNERS_ROUTE: RouteRef = { ...ACCEPTER_ROUTE, routeTableId: "rtb-0accept000partners" };
export const REQUESTER_ROUTE: RouteRef = {
  side: "requester",
  account: "222222222222",
  region: "us-east-1",
  routeTableId: "rtb-0request000000main",
  destination: "10.0.0.0/16",
};

type RecordInput = Partial<Omit<DecisionRecord, "routes">> & { routes?: Partial<DecisionRecord["routes"]> };

/** An accepted request whose three planned routes were all created; `input` changes any of it. */
export function record(input: RecordInput = {}): DecisionRecord {
  const planned = [ACCEPTER_ROUTE, PARTNERS_ROUTE, REQUESTER_ROUTE];
  const { routes, ...rest } = input;
  return {
    connectionId: "pcx-0123456789abcdef0",
    action: "accept",
    mode: "enforce",
    reasons: [],
    findings: [],
    status: "pending-acceptance",
    accepter: { account: "111111111111", region: "us-east-1", vpcId: "vpc-0f9e8d7c6b5a40001", cidrs: [] },
    requester: { account: "222222222222", region: "us-east-1", vpcId: "vpc-0a1b2c3d4e5f60001", cidrs: [] },
    connection: "accepted",
    expiresAt: madeSecondsAgo(90),
    routes: { planned, created: planned, present: [], conflicting: [], removed: [], failed: [], ...routes },
    dns: [],
    unmanaged: {},
    tagged: true,
    changed: true,
    ...rest,
  };
}

/** Points as `Name{Dim=value,…}` → values, so that a test reads as the dashboard would. */
export function byMetric(points: MetricPoint[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const point of points) {
    const dims = Object.entries(point.dimensions)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const key = `${point.name}{${dims}} ${point.unit}`;
    out[key] = [...(out[key] ?? []), point.value];
  }
  return out;
}
