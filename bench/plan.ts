process.env.WAIT_MIN_DELAY_SECONDS = "1";

import "../demo/env";
import { writeFileSync } from "node:fs";
import type { Context } from "aws-lambda";
import { openCallerSessions } from "../bin/live-facts";
import { deliverQueued, installModel, type QueuedFunction } from "../model";
import { AwsSessions } from "../shared/aws/sessions/sessions";
import { loadConfig } from "../shared/config";
import { loadPolicy } from "../shared/policy/load-policy";
import { accountsNamed } from "../shared/policy/match-rule";
import { planPasses } from "../shared/workflow/plan-pass";
import { type ReconcileSummary, reconcile } from "../shared/workflow/reconcile";
import { useBenchEnvironment } from "./bench-environment";
import { buildSweepWorld } from "./sweep-world";
import { VirtualClock } from "./virtual-clock";

/**
 * `peering plan`'s reads over the benchmark's large organisation (see sweep-world.ts), next to the
 * reconciler's read phase over the same world: the full pass with the policy in report mode, which
 * reads and decides everything and carries nothing out. Then the real pass, through the handler, to
 * show that it does what the plan said. Prints the figures, writes bench/plan.json, and exits non-zero
 * if the plan makes more calls than the read phase, makes a mutating call, or disagrees with the pass.
 */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const DESCRIBE = process.env.BENCH_DESCRIBE_BUCKET ?? "100/20";
const MUTATING = process.env.BENCH_MUTATING_BUCKET ?? "50/5";
const { pacing } = loadConfig({ EC2_DESCRIBE_BUCKET: DESCRIBE, EC2_MUTATING_BUCKET: MUTATING });

const sweep = buildSweepWorld();
const { world } = sweep;
world.options.ec2RateLimits = { describe: pacing.describe, mutating: pacing.mutating };
useBenchEnvironment({
  name: "plan",
  policyYaml: sweep.policyYaml,
  regions: sweep.regions,
  describeBucket: DESCRIBE,
  mutatingBucket: MUTATING,
});
const config = loadConfig();
const policy = loadPolicy(config.policyPath);

const clock = new VirtualClock();
world.network = () => clock.sleep(LATENCY_MS);
const { restore } = installModel(world);

/** The AWS calls (EC2 and STS: those that draw on buckets and credentials) that `work` makes. */
async function measured<T>(work: () => Promise<T>) {
  const before = world.calls.length;
  const startMs = clock.now;
  const value = await clock.run(work());
  const calls = world.calls.slice(before).filter((call) => call.service !== "EventBridge");
  const byOperation: Record<string, number> = {};
  for (const call of calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  const mutating = world.mutatingCalls().filter((call) => world.calls.indexOf(call) >= before).length;
  return { value, total: calls.length, byOperation, mutating, ms: clock.now - startMs };
}

// The plan, as the CLI runs it: the caller's credentials in the home account, the role elsewhere.
const plan = await measured(async () => {
  const { sessions } = await openCallerSessions([policy], config.region);
  const [planned] = await planPasses(
    {
      sessions,
      regions: config.sweepRegions,
      concurrency: config.sweepConcurrency,
      visibleWait: config.waits.visible,
      now: () => new Date(),
      only: () => true,
    },
    [policy],
  );
  if (!planned) throw new Error("planPasses answers one plan per policy");
  return planned;
});

// The reconciler's read phase: the same pass in report mode reads everything and changes nothing.
const readPhase = await measured(() =>
  reconcile(
    {
      policy: { ...policy, mode: "report" },
      sessions: new AwsSessions({
        homeAccount: sweep.homeAccount,
        roleName: config.roleName,
        ...(config.externalId && { externalId: config.externalId }),
        allowedAccounts: accountsNamed(policy),
        stsRegion: config.region,
        pacing: config.pacing,
      }),
      waits: config.waits,
      now: () => new Date(),
    },
    { regions: config.sweepRegions, concurrency: config.sweepConcurrency, pass: "full" },
  ),
);

const { handler } = await import("../functions/reconcile");
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${sweep.homeAccount}:function:bench-reconcile`,
  getRemainingTimeInMillis: () => 900_000,
} as Context;
const scheduled = { "detail-type": "Scheduled Event", source: "aws.events", time: new Date().toISOString() };
const callsBeforePass = world.calls.length;
const pass = await measured(
  () => deliverQueued(handler as unknown as QueuedFunction, scheduled, context) as Promise<ReconcileSummary>,
);
clock.uninstall();
restore();

// What the plan said a pass would do, against what the pass did in the model.
const planned = plan.value;
const passCalls = world.calls.slice(callsBeforePass);
const did = (operation: string) => passCalls.filter((call) => call.operation === operation).length;
/** What the pass's calls of an operation carried, summed (each call that did not fail). */
const sentOf = (
  operation: string,
  count: (input: { IpPermissions?: unknown[]; SecurityGroupRuleIds?: string[] }) => number,
) =>
  passCalls
    .filter((call) => call.operation === operation && call.error === undefined)
    .reduce((n, call) => n + count(call.input as Parameters<typeof count>[0]), 0);
const agreement = {
  accepts: [
    planned.connections.filter((c) => c.changes.connection === "accept").length,
    did("AcceptVpcPeeringConnection"),
  ],
  rejects: [
    planned.connections.filter((c) => c.changes.connection === "reject").length,
    did("RejectVpcPeeringConnection"),
  ],
  routesCreated: [
    planned.connections.reduce((n, c) => n + c.changes.createRoutes.length, 0),
    did("CreateRoute"),
  ],
  routesRemoved: [
    planned.connections.reduce((n, c) => n + c.changes.removeRoutes.length, 0) +
      planned.orphanRoutes.removals.length,
    did("DeleteRoute"),
  ],
  // Rules, not calls: one AuthorizeSecurityGroupIngress carries a group's rules for a connection.
  rulesOpened: [
    planned.connections.reduce((n, c) => n + (c.changes.securityGroupRules?.create.length ?? 0), 0),
    sentOf("AuthorizeSecurityGroupIngress", (input) => input.IpPermissions?.length ?? 0),
  ],
  rulesRevoked: [
    planned.connections.reduce((n, c) => n + (c.changes.securityGroupRules?.revoke.length ?? 0), 0),
    sentOf("RevokeSecurityGroupIngress", (input) => input.SecurityGroupRuleIds?.length ?? 0),
  ],
};
// The CLI asks STS who the caller is, once, to know which account its own credentials serve.
const identity = plan.byOperation.GetCallerIdentity ?? 0;
const checks = {
  calls: plan.total - identity <= readPhase.total,
  readOnly: plan.mutating === 0 && readPhase.mutating === 0,
  agrees: Object.values(agreement).every(([said, done]) => said === done),
  complete: planned.failures.length === 0,
};

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `peering plan over 20 accounts × ${sweep.regions.length} regions, ${planned.connections.length} connections decided ` +
    `(${sweep.counts.pending} pending, ${sweep.counts.active} active, ${sweep.counts.deleted} deleted with routes left)`,
);
console.log(`${LATENCY_MS} ms per call; EC2 buckets describe ${DESCRIBE}, mutating ${MUTATING}`);
console.log(
  `plan calls        ${plan.total} = ${plan.total - identity} + ${identity} GetCallerIdentity (≤ reconciler read phase ${readPhase.total} + the caller's identity) ${checks.calls ? "ok" : "MISSED"}; ` +
    `mutating calls ${plan.mutating} ${checks.readOnly ? "ok" : "MISSED"}; virtual time ${fmt(plan.ms)} (read phase ${fmt(readPhase.ms)})`,
);
console.log("operation                          plan  read phase  real pass");
const operations = [
  ...new Set([
    ...Object.keys(plan.byOperation),
    ...Object.keys(readPhase.byOperation),
    ...Object.keys(pass.byOperation),
  ]),
].sort();
for (const op of operations) {
  const cell = (counts: Record<string, number>, width: number) => String(counts[op] ?? 0).padStart(width);
  console.log(
    `  ${op.padEnd(32)} ${cell(plan.byOperation, 5)}  ${cell(readPhase.byOperation, 10)}  ${cell(pass.byOperation, 9)}`,
  );
}
console.log("what the plan said, and what the pass then did:");
for (const [what, [said, done]] of Object.entries(agreement)) {
  console.log(
    `  ${what.padEnd(14)} plan ${String(said).padStart(5)}  pass ${String(done).padStart(5)}  ${said === done ? "ok" : "MISSED"}`,
  );
}
console.log(
  `plan failures ${planned.failures.length} ${checks.complete ? "ok" : "MISSED"}; node ${process.version}`,
);

writeFileSync(
  new URL("./plan.json", import.meta.url),
  `${JSON.stringify(
    {
      latencyMs: LATENCY_MS,
      connections: planned.connections.length,
      plan: { total: plan.total, byOperation: plan.byOperation, mutating: plan.mutating, virtualMs: plan.ms },
      readPhase: { total: readPhase.total, byOperation: readPhase.byOperation, virtualMs: readPhase.ms },
      pass: { total: pass.total, byOperation: pass.byOperation },
      agreement,
      checks,
    },
    null,
    2,
  )}\n`,
);
if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
