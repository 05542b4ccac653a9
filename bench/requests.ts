import "../demo/env";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "aws-lambda";
import { deliverQueued, installModel, type QueuedFunction, requestPeering, World } from "../model";
import { VirtualClock } from "./virtual-clock";

/**
 * API calls and sequential round trips for one approved request, through the real handler over the
 * in-memory model, each call costing LATENCY_MS of virtual time. Prints a table next to the targets,
 * writes bench/requests.json, and exits non-zero if a target is missed.
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const ACCEPTER = "111111111111";
const REQUESTER = "222222222222";

interface Scenario {
  name: string;
  requester: { account: string; region: string };
  /** The fewest calls the API allows (see below), and the round trips on the critical path. */
  minimum: Record<string, number>;
}

// Describe the connection, the accepter VPC and each side's route tables, and list the accepter VPC's
// active connections (one listing per side, EC2 ANDs its filters) for its peering quota, all at once;
// accept; one waiter poll sees it active; one route per side; tag. Another account costs one AssumeRole
// while its credentials last.
const base = {
  DescribeVpcPeeringConnections: 3,
  DescribeVpcs: 1,
  DescribeRouteTables: 2,
  AcceptVpcPeeringConnection: 1,
  CreateRoute: 2,
  CreateTags: 1,
};
const scenarios: Scenario[] = [
  { name: "same account, same region", requester: { account: ACCEPTER, region: "us-east-1" }, minimum: base },
  {
    name: "cross-account, inter-region",
    requester: { account: REQUESTER, region: "eu-west-1" },
    minimum: { ...base, AssumeRole: 1 },
  },
];
// Targets: the minimum plus at most one waiter poll; at most 6 round trips besides the wait for active.
const EXTRA_CALLS = 1;
const MAX_ROUND_TRIPS = 6;

// Both requester accounts approved, so each scenario measures an accepted, routed request.
const policyPath = join(mkdtempSync(join(tmpdir(), "bench-")), "policy.yml");
writeFileSync(
  policyPath,
  `version: 1
rules:
  - name: bench
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${ACCEPTER}", "${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
`,
);
process.env.POLICY_PATH = policyPath;
const { handler } = await import("../functions/on-peering-request");
const fn = handler as unknown as QueuedFunction;
// As the function's queue delivers an event: in an SQS batch of one.
const invoke = (event: unknown, context: Context) => deliverQueued(fn, event, context);
const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCEPTER}:function:bench` } as Context;

const rows = [];
for (const scenario of scenarios) {
  const world = new World({ homeAccount: ACCEPTER });
  world.addAccount(ACCEPTER).addAccount(REQUESTER);
  const shared = world.addVpc({
    ownerId: ACCEPTER,
    region: "us-east-1",
    vpcId: "vpc-0f9e8d7c6b5a40001",
    cidrs: ["10.0.0.0/16"],
  });
  const app = world.addVpc({
    ownerId: scenario.requester.account,
    ...scenario.requester,
    cidrs: ["10.24.0.0/16"],
  });
  const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
  const clock = new VirtualClock();
  world.network = () => clock.sleep(LATENCY_MS);
  const { restore } = installModel(world);
  await clock.run(invoke(event, context));
  clock.uninstall();
  restore();

  const calls: Record<string, number> = {};
  for (const call of world.calls) calls[call.operation] = (calls[call.operation] ?? 0) + 1;
  const total = world.calls.length;
  const minimum = Object.values(scenario.minimum).reduce((a, b) => a + b, 0);
  // The wait for `active` is one more describe, one more round trip: not counted against the target.
  const polls =
    (calls.DescribeVpcPeeringConnections ?? 0) - (scenario.minimum.DescribeVpcPeeringConnections ?? 0);
  const roundTrips = clock.now / LATENCY_MS - polls;
  rows.push({
    scenario: scenario.name,
    calls,
    total,
    minimum,
    callsTarget: minimum + EXTRA_CALLS,
    callsOk: total <= minimum + EXTRA_CALLS,
    roundTrips,
    roundTripsTarget: MAX_ROUND_TRIPS,
    roundTripsOk: roundTrips <= MAX_ROUND_TRIPS,
    status: world.peering(connectionId).status.code,
  });
}

console.log(`One approved request, ${LATENCY_MS} ms per call (virtual time); node ${process.version}`);
console.log(
  "scenario                      | API calls (target)        | round trips besides the wait (target)",
);
for (const r of rows) {
  const calls = `${r.total} of min ${r.minimum} (≤ ${r.callsTarget}) ${r.callsOk ? "ok" : "MISSED"}`;
  const trips = `${r.roundTrips} (≤ ${r.roundTripsTarget}) ${r.roundTripsOk ? "ok" : "MISSED"}`;
  console.log(`${r.scenario.padEnd(29)} | ${calls.padEnd(25)} | ${trips}`);
  console.log(
    `${"".padEnd(29)} |   ${Object.entries(r.calls)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ")}`,
  );
}
writeFileSync(
  new URL("./requests.json", import.meta.url),
  `${JSON.stringify({ latencyMs: LATENCY_MS, rows }, null, 2)}\n`,
);
if (rows.some((r) => !r.callsOk || !r.roundTripsOk || r.status !== "active")) process.exitCode = 1;
