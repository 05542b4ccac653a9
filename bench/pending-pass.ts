process.env.WAIT_MIN_DELAY_SECONDS = "1";

import "../demo/env";
import { writeFileSync } from "node:fs";
import type { Context } from "aws-lambda";
import { type CallRecord, deliverQueued, installModel, type QueuedFunction } from "../model";
import { loadConfig } from "../shared/config";
import { APPROVAL_TAG } from "../shared/decision/approval-tag";
import type { SweepPass } from "../shared/events/sweep-message";
import type { ReconcileSummary } from "../shared/workflow/reconcile";
import { useBenchEnvironment } from "./bench-environment";
import {
  distribution,
  formatFigures,
  HOUR_MS,
  hourlyCost,
  MINUTE_MS,
  nextTick,
  type PendingPassFigures,
  type Schedule,
  timesToRoutes,
} from "./pending-pass-figures";
import { buildSweepWorld, HUB_ACCOUNT } from "./sweep-world";
import { VirtualClock } from "./virtual-clock";

/**
 * What the pending pass costs and what it buys, through the real handler over the in-memory model of the
 * sweep benchmark's organisation (sweep-world.ts), in virtual time with each call costing LATENCY_MS:
 * - its API calls per account-region per hour at one pass a minute, with nothing pending and with the
 *   organisation's 50 lab requests parked for approval (a rule here asks a person about them), and their
 *   share of the DescribeVpcPeeringConnections bucket; the full pass every five minutes for scale;
 * - the time from a request no event announces to its routes on both sides, with the pending pass and
 *   with the five-minute full pass alone: each pass's time from its tick to the routes of a request made
 *   before it is measured, and added to the wait for the next tick of creation times spread uniformly
 *   over the schedule (where both schedules tick, the batch runs the full pass).
 * Prints the figures and writes bench/pending-pass.json; it sets no targets.
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const DESCRIBE = process.env.BENCH_DESCRIBE_BUCKET ?? "100/20";
const MUTATING = process.env.BENCH_MUTATING_BUCKET ?? "50/5";
// Pending passes that each decide one new request (each takes the same virtual time; the slowest counts).
const PASS_SAMPLES = 5;
// Creation times spread over the five minutes of one full-pass period, every half second.
const CREATION_TIMES = 600;
const { pacing } = loadConfig({ EC2_DESCRIBE_BUCKET: DESCRIBE, EC2_MUTATING_BUCKET: MUTATING });
const FULL_EVERY_MS = 5 * MINUTE_MS;
const PENDING_EVERY_MS = MINUTE_MS;
const WITH_PENDING_PASS: Schedule = { fullEveryMs: FULL_EVERY_MS, pendingEveryMs: PENDING_EVERY_MS };
const FULL_PASS_ALONE: Schedule = { fullEveryMs: FULL_EVERY_MS };

const sweep = buildSweepWorld();
const { world } = sweep;
world.options.ec2RateLimits = { describe: pacing.describe, mutating: pacing.mutating };
const accounts = [...world.accounts.keys()];
const targets = sweep.regions.length * accounts.length;
// The lab VPCs' requests, which the sweep's policy rejects, wait for a person here.
const policyYaml = `${sweep.policyYaml}  - name: lab-review
    accepter:
      accounts: [${accounts.map((a) => `"${a}"`).join(", ")}]
    requester:
      accounts: [${accounts.map((a) => `"${a}"`).join(", ")}]
      cidrs: ["172.16.0.0/12"]
    approval: required
`;
useBenchEnvironment({
  name: "pending",
  policyYaml,
  regions: sweep.regions,
  describeBucket: DESCRIBE,
  mutatingBucket: MUTATING,
});

const clock = new VirtualClock();
/** When each connection's last route so far was made. */
const routedAt = new Map<string, number>();
world.network = async (call) => {
  await clock.sleep(LATENCY_MS);
  const target = (call.input as { VpcPeeringConnectionId?: string }).VpcPeeringConnectionId;
  if (call.operation === "CreateRoute" && target) routedAt.set(target, clock.now);
};
const { restore } = installModel(world);
const { handler } = await import("../functions/reconcile");
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${HUB_ACCOUNT}:function:bench-reconcile`,
  getRemainingTimeInMillis: () => 900_000,
} as Context;

/** The tick a schedule puts on the sweep queue: the pending schedule's body, or a scheduled event. */
function tick(pass: SweepPass) {
  const time = new Date().toISOString();
  if (pass === "pending") return { pass: "pending", time };
  return { version: "0", id: `bench-${time}`, "detail-type": "Scheduled Event", source: "aws.events", time };
}

/** One run of the reconciler on one tick, as the sweep queue delivers it; its EC2 and STS calls. */
async function run(pass: SweepPass) {
  const start = world.calls.length;
  const answer = deliverQueued(handler as unknown as QueuedFunction, tick(pass), context);
  const summary = (await clock.run(answer)) as ReconcileSummary;
  if (summary.pass !== pass) throw new Error(`a ${pass} tick ran the ${summary.pass} pass`);
  const calls: CallRecord[] = world.calls.slice(start).filter((c) => c.service !== "EventBridge");
  return { summary, calls };
}

async function waitUntil(ms: number) {
  if (ms > clock.now) await clock.run(clock.sleep(ms - clock.now));
}

/** Passes of one kind every `everyMs` for an hour from the next such tick: their calls. */
async function hourOf(pass: SweepPass, everyMs: number) {
  const calls: CallRecord[] = [];
  const first = (Math.floor(clock.now / everyMs) + 1) * everyMs;
  for (let at = first; at < first + HOUR_MS; at += everyMs) {
    await waitUntil(at);
    calls.push(...(await run(pass)).calls);
  }
  return hourlyCost(calls, targets, HOUR_MS);
}

const wallStart = performance.now();
// The organisation converges: the backlog is decided, the lab requests parked.
const converged = await run("full");
const parkedCount = converged.summary.actions["await-approval"] ?? 0;
const parkedCost = await hourOf("pending", PENDING_EVERY_MS);

// A person denies every parked request; the next pending pass rejects them.
const parked = [...world.peerings.values()].filter((p) => p.status.code === "pending-acceptance");
for (const p of parked) {
  const tags = p.tagsByAccount;
  tags[p.accepter.ownerId] = { ...tags[p.accepter.ownerId], [APPROVAL_TAG]: "deny" };
}
await waitUntil((Math.floor(clock.now / MINUTE_MS) + 1) * MINUTE_MS);
const denied = await run("pending");
if (denied.summary.actions.reject !== parked.length) throw new Error("the denied requests were not rejected");

const nothingPending = await hourOf("pending", PENDING_EVERY_MS);
// A full pass over the converged organisation costs the same every time: one stands for the hour's 12.
await waitUntil(nextTick(clock.now, FULL_PASS_ALONE).at);
const fullPass = hourlyCost((await run("full")).calls, targets, FULL_EVERY_MS);

// Requests no event announces: new requester VPCs of the spokes, to the hub's VPCs.
const hubVpcs = [...world.vpcs.values()].filter((v) => v.ownerId === HUB_ACCOUNT);
const spokes = accounts.filter((a) => a !== HUB_ACCOUNT);
let made = 0;

function newRequest(): string {
  const k = made++;
  const accepter = hubVpcs[k % hubVpcs.length];
  const account = spokes[k % spokes.length];
  const region = sweep.regions[(k + 1) % sweep.regions.length];
  if (!accepter || !account || !region) throw new Error("the organisation has no hub or spoke");
  const cidr = `10.${200 + (k >> 8)}.${k & 255}.0/24`;
  const requesterVpcId = world.addVpc({ ownerId: account, region, cidrs: [cidr] });
  return world.addPeering({ requesterVpcId, accepterVpcId: accepter.id });
}

/**
 * One request made between ticks, decided by the next tick's pass: how long that pass took from its
 * start to the request's routes on both sides, and its calls. Nothing else is pending, so the time
 * does not depend on when in the minute the request was made; the wait for the tick is the schedule's.
 */
async function passToRoutes(pass: SweepPass) {
  const schedule = pass === "pending" ? WITH_PENDING_PASS : FULL_PASS_ALONE;
  await waitUntil(clock.now + MINUTE_MS / 2);
  const connectionId = newRequest();
  const next = nextTick(clock.now, schedule);
  await waitUntil(next.at);
  const { calls } = await run(next.pass);
  const done = routedAt.get(connectionId);
  if (done === undefined || !routedBothSides(connectionId)) throw new Error(`${connectionId} was not routed`);
  return { ms: done - next.at, calls: byOperation(calls) };
}

function routedBothSides(connectionId: string): boolean {
  const peering = world.peering(connectionId);
  const routedIn = (vpcId: string) =>
    world
      .routeTablesOfVpc(vpcId)
      .some((t) =>
        t.routes.some(
          (r) => "vpcPeeringConnectionId" in r.target && r.target.vpcPeeringConnectionId === connectionId,
        ),
      );
  return (
    peering.status.code === "active" && routedIn(peering.accepter.vpcId) && routedIn(peering.requester.vpcId)
  );
}

function byOperation(calls: readonly CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

const pendingSamples = [];
for (let i = 0; i < PASS_SAMPLES; i++) pendingSamples.push(await passToRoutes("pending"));
const fullSample = await passToRoutes("full");
// The slowest measured pass of each kind, so that the distributions do not flatter.
const passToRoutesMs = {
  pending: Math.max(...pendingSamples.map((p) => p.ms)),
  full: fullSample.ms,
};
const withPendingPass = distribution(timesToRoutes(WITH_PENDING_PASS, passToRoutesMs, CREATION_TIMES));
const fullPassAlone = distribution(timesToRoutes(FULL_PASS_ALONE, passToRoutesMs, CREATION_TIMES));
const wallMs = performance.now() - wallStart;
clock.uninstall();
restore();

const figures: PendingPassFigures = {
  targets,
  latencyMs: LATENCY_MS,
  listingBucket: pacing.describe,
  nothingPending,
  parked: { requests: parkedCount, cost: parkedCost },
  fullPass,
  oneRequest: pendingSamples[0]?.calls ?? {},
  passToRoutesMs,
  toRoutes: { withPendingPass, fullPassAlone },
};
for (const line of formatFigures(figures)) console.log(line);
console.log(`wall time ${(wallMs / 1000).toFixed(1)} s, node ${process.version}`);
writeFileSync(new URL("./pending-pass.json", import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);
