import { expect } from "vitest";
import { requestPeering } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import {
  type Attempt,
  type Delivery,
  deliverAtOnce,
  type LogRecord,
  reconcileOnce,
  type ServiceHandle,
} from "./delivery";
import {
  actualState,
  type DesiredState,
  desiredState,
  otherRoutes,
  type RouteLine,
  type ScenarioConnection,
} from "./desired-state";
import {
  defaultSteps,
  type RequestName,
  type Scenario,
  type ScenarioContext,
  type ScenarioRunView,
  type WorldIds,
} from "./scenarios";

/** The reconciler's schedule: each pass runs this much later in the world's time than what came before. */
export const RECONCILE_PERIOD_MS = 5 * 60_000;

export interface ReconcilePass {
  label: string;
  outcome: Attempt["outcome"];
  error?: unknown;
  summary: ReconcileSummary | undefined;
  logs: LogRecord[];
}

export interface ScenarioRun extends ScenarioRunView {
  ctx: ScenarioContext;
  desired: DesiredState;
  deliveries: Record<string, Delivery[]>;
  /** Which connection each delivery step is about. */
  connectionOf: Record<string, string>;
  passes: ReconcilePass[];
  /** What the functions logged, in the order of the steps (a crashed attempt: until it died). */
  logs: LogRecord[];
  otherRoutesBefore: Record<string, string[]>;
}

/** Builds the scenario's requests, plays its steps, and returns what happened; asserts nothing but checkpoints. */
export async function runScenario(
  service: ServiceHandle & { ids(): WorldIds },
  scenario: Scenario,
  policyYaml: string,
): Promise<ScenarioRun> {
  const world = service.world();
  const ids = service.ids();
  const names = scenario.requests ?? (["app", "appEu", "outside"] as RequestName[]);
  const requests = {} as ScenarioContext["requests"];
  for (const name of names)
    requests[name] = requestPeering(world, { requesterVpcId: ids[name], accepterVpcId: ids.shared });
  const ctx: ScenarioContext = { world, ids, requests };
  scenario.setup?.(ctx);

  const connections: ScenarioConnection[] = names.map((name) => ({
    id: requests[name].connectionId,
    ...(scenario.outside?.[name] && { outside: scenario.outside[name] }),
    ...(scenario.decidedBeforeDeletion?.includes(name) && { decidedBeforeDeletion: true }),
  }));
  const desired = desiredState({ world, policyYaml, connections });
  const run: ScenarioRun = {
    ctx,
    desired,
    deliveries: {},
    connectionOf: {},
    passes: [],
    logs: [],
    otherRoutesBefore: otherRoutes(world),
    records: (message) => recordsOf(run.logs, message),
  };

  for (const step of scenario.steps ?? defaultSteps(names)) {
    if (step.kind === "deliver") {
      const items = step.events.map(({ fn, event }) => ({ functionName: fn, event: event(ctx) }));
      const deliveries = await deliverAtOnce(service, items);
      run.deliveries[step.label] = deliveries;
      run.connectionOf[step.label] = requests[step.connection].connectionId;
      run.logs.push(...deliveries.flatMap((d) => d.attempts.flatMap((a) => a.logs)));
    } else if (step.kind === "reconcile") {
      world.advanceClock(RECONCILE_PERIOD_MS);
      const { outcome, error, summary, logs } = await reconcileOnce(service);
      run.passes.push({ label: step.label, outcome, error, summary, logs });
      run.logs.push(...logs);
    } else if (step.kind === "change") {
      step.apply(ctx);
    } else {
      expectSafe(run);
    }
  }
  return run;
}

/** The records with this message, in order; a `decision` record stands for its decision. */
function recordsOf(logs: LogRecord[], message: string): Record<string, unknown>[] {
  return logs
    .filter((r) => r.message === message)
    .map((r) => (message === "decision" ? (r.attributes.decision as Record<string, unknown>) : r.attributes));
}

const withoutState = (line: RouteLine) => line.replace(/ \(\w+\)$/, "");

/**
 * Nothing the service should not do has been done: no route beyond the desired ones, no route to anything
 * else touched, every connection still as it was or already as it should be, no tag but the desired ones.
 */
export function expectSafe(run: ScenarioRun): void {
  const { world } = run.ctx;
  const actual = actualState(world);
  const desiredRoutes = new Set(run.desired.routes.map(withoutState));
  expect(actual.routes.map(withoutState).filter((line) => !desiredRoutes.has(line))).toEqual([]);
  expect(otherRoutes(world)).toEqual(run.otherRoutesBefore);
  for (const [id, status] of Object.entries(actual.statuses)) {
    expect([run.desired.statuses[id], "pending-acceptance"]).toContain(status);
    const tags = actual.tags[id];
    if (tags) expect(tags).toEqual(run.desired.tags[id]);
  }
}

/** What a known defect keeps from converging, left out of expectConverged until it is fixed. */
export type KnownDivergence = "tags of rejected connections" | "rejections announced";

/** The world is exactly as the oracle says: routes, statuses, tags, DNS, and the rejections announced. */
export function expectConverged(run: ScenarioRun, except: KnownDivergence[] = []): void {
  const { world } = run.ctx;
  const { impossible, announced, ...desired } = run.desired;
  const actual = actualState(world);
  const untagged = except.includes("tags of rejected connections")
    ? Object.keys(desired.statuses).filter((id) => desired.statuses[id] === "rejected")
    : [];
  const tagsOf = (tags: DesiredState["tags"]) =>
    Object.fromEntries(Object.entries(tags).filter(([id]) => !untagged.includes(id)));
  expect({ ...actual, tags: tagsOf(actual.tags) }).toEqual({ ...desired, tags: tagsOf(desired.tags) });
  expect(otherRoutes(world)).toEqual(run.otherRoutesBefore);
  const notified = world.published
    .filter((e) => e.detailType === "Peering Decision" && e.detail.notify === true)
    .map((e) => e.detail.connectionId as string);
  if (!except.includes("rejections announced")) expect([...new Set(notified)].sort()).toEqual(announced);
  // A route that cannot exist is named, with its error, in the last decision about its connection.
  for (const route of impossible) {
    const last = run
      .records("decision")
      .filter((d) => d.connectionId === route.connectionId)
      .at(-1);
    expect(last?.routes).toMatchObject({
      failed: expect.arrayContaining([
        expect.objectContaining({
          routeTableId: route.routeTableId,
          destination: route.destination,
          error: expect.stringContaining("RouteLimitExceeded"),
        }),
      ]),
    });
  }
}

/** The scenario's story: its attempts, the reconciler budget, and every injected fault used up. */
export function expectStory(run: ScenarioRun, scenario: Scenario): void {
  for (const [label, outcomes] of Object.entries(scenario.outcomes ?? {})) {
    expect(
      run.deliveries[label]?.[0]?.attempts.map((a) => a.outcome),
      label,
    ).toEqual(outcomes);
  }
  expect(run.passes.length).toBeLessThanOrEqual(scenario.beyondBudget ? 2 : 1);
  // Beyond the budget, the world must have been checked safe before the extra pass.
  if (scenario.beyondBudget) expect(scenario.steps?.map((s) => s.kind)).toContain("assert-safe");
  expect(run.ctx.world.faults.pending()).toEqual({ failures: 0, crashPoints: 0 });
  expect(run.ctx.world.crashed).toBeUndefined();
}

/**
 * Failure records in a set of logs: a decision that carries an error, a connection not decided, or audit
 * events the bus did not take (naming their connections).
 */
function failureRecords(logs: LogRecord[], connectionId?: string): LogRecord[] {
  return logs.filter((r) => {
    if (r.message === "audit events not published") {
      const connections = (r.attributes as { connections?: string[] }).connections ?? [];
      return connectionId === undefined || connections.includes(connectionId);
    }
    const about =
      r.message === "decision"
        ? (r.attributes.decision as { connectionId?: string; error?: unknown } | undefined)
        : r.message === "connection not decided"
          ? (r.attributes as { connectionId?: string })
          : undefined;
    if (!about || (r.message === "decision" && !("error" in about && about.error))) return false;
    return connectionId === undefined || about.connectionId === connectionId;
  });
}

/**
 * Every failed attempt of a delivery left a record saying so in the function's own log, about its
 * connection (a crashed one cannot: the process died, and Lambda's platform log says so).
 */
export function expectFailuresLogged(run: ScenarioRun): void {
  const unlogged = Object.entries(run.deliveries).flatMap(([label, deliveries]) =>
    deliveries.flatMap((delivery, i) =>
      delivery.attempts
        .filter((a) => a.outcome === "failed" && failureRecords(a.logs, run.connectionOf[label]).length === 0)
        .map(
          (a) =>
            `${label}${deliveries.length > 1 ? ` #${i + 1}` : ""} attempt ${a.number}: ${String(a.error)}`,
        ),
    ),
  );
  expect(unlogged, "failed attempts without a failure record").toEqual([]);
}

/**
 * Every reconciler pass ran to its end, counts in its summary the failures its log records, and logs its
 * summary once, as an error when anything failed.
 */
export function expectPassesAccounted(run: ScenarioRun): void {
  for (const pass of run.passes) {
    expect(pass.outcome, `${pass.label}: ${String(pass.error)}`).toBe("succeeded");
    const summary = pass.summary as ReconcileSummary;
    expect(summary.failed, pass.label).toBe(failureRecords(pass.logs).length);
    const [record, ...more] = pass.logs.filter((r) => r.message === "reconcile summary");
    expect(more).toEqual([]);
    const troubled = summary.failed > 0 || summary.errors.length > 0;
    expect(record?.level, pass.label).toBe(troubled ? "error" : "info");
  }
}
