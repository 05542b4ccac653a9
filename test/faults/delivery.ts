import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { vi } from "vitest";
import { deliverQueued, type SimulatedCrash, type World } from "../../model";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { type FunctionName, lambdaContext } from "../handlers/harness";

/**
 * Retries Lambda makes of an asynchronous invocation (EventBridge targets invoke asynchronously) whose
 * function fails: its default, 2. If serverless.yml ever sets `maximumRetryAttempts` (or a maximum event
 * age), change it here: nothing reads it from there.
 */
export const ASYNC_RETRY_ATTEMPTS = 2;
/** Lambda waits about one minute before the first retry and two before the second (world time, not real). */
export const RETRY_DELAYS_MS = [60_000, 120_000];

/** What `useService` returns (test/handlers/harness.ts): the parts a delivery needs. */
export interface ServiceHandle {
  world(): World;
  logger(): Logger;
  run(name: FunctionName, event?: unknown): Promise<unknown>;
}

export interface LogRecord {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  /** The extra objects of the call, merged. */
  attributes: Record<string, unknown>;
}

export interface Attempt {
  /** 1 for the first attempt. */
  number: number;
  /** `crashed`: the invocation died (SimulatedCrash); Lambda retries it like an error. */
  outcome: "succeeded" | "failed" | "crashed";
  result?: unknown;
  error?: unknown;
  crash?: SimulatedCrash;
  /** What the function logged during the attempt; for a crash, only what it logged before dying. */
  logs: LogRecord[];
}

export interface Delivery {
  functionName: FunctionName;
  attempts: Attempt[];
  /** `failed`: every attempt failed, so the event goes to the on-failure destination (DLQ). */
  outcome: "succeeded" | "failed";
}

/** One Lambda execution environment: the handlers as imported into it, and what its logger wrote. */
interface Container {
  run(name: FunctionName, event: unknown): Promise<unknown>;
  logs: LogRecord[];
}

interface ServiceState {
  world: World;
  /** Per function, the environment its next invocation reuses (each function has its own in Lambda). */
  warm: Map<FunctionName, Container>;
}

const states = new WeakMap<World, ServiceState>();

/** Per test: the harness builds a new World (and imports the handlers afresh) for each one. */
function stateOf(service: ServiceHandle): ServiceState {
  const world = service.world();
  let state = states.get(world);
  if (!state) {
    const logs: LogRecord[] = [];
    spyOn(service.logger(), world, logs);
    // The harness's own modules serve onPeeringRequest; the other functions get theirs on first use.
    const harness: Container = { run: (name, event) => service.run(name, event), logs };
    state = { world, warm: new Map([["on-peering-request", harness]]) };
    states.set(world, state);
  }
  return state;
}

/**
 * Runs the function on an event the way Lambda runs an asynchronous invocation from EventBridge: the
 * first attempt, then up to ASYNC_RETRY_ATTEMPTS retries while it fails (throws or crashes), the world's
 * clock moving on by Lambda's retry delays in between. A crashed attempt's retry runs in a new container.
 */
export async function deliver(service: ServiceHandle, functionName: FunctionName, event: unknown) {
  const [delivery] = await deliverAtOnce(service, [{ functionName, event }]);
  return delivery as Delivery;
}

/**
 * Several deliveries whose attempts run at the same time, each in its own new container (Lambda runs
 * concurrent invocations in separate environments), e.g. EventBridge delivering one event twice.
 * A crash kills every invocation in flight, so crash points are for one delivery at a time.
 */
export async function deliverAtOnce(
  service: ServiceHandle,
  items: { functionName: FunctionName; event: unknown }[],
): Promise<Delivery[]> {
  const state = stateOf(service);
  // One delivery reuses the warm container; deliveries at once each start in a new one, on equal terms,
  // made one after the other (each import must follow its own module reset to get its own modules).
  const containers: Container[] = [];
  for (const { functionName } of items) {
    const container =
      items.length === 1 ? await warmContainer(state, functionName) : await newContainer(state);
    containers.push(container);
    state.warm.set(functionName, container);
  }
  const deliveries: Delivery[] = items.map(({ functionName }) => ({
    functionName,
    attempts: [],
    outcome: "failed",
  }));
  for (let round = 0; round <= ASYNC_RETRY_ATTEMPTS; round++) {
    const open = deliveries.flatMap((d, i) => (d.outcome === "failed" ? [i] : []));
    if (open.length === 0) break;
    if (round > 0) state.world.advanceClock(RETRY_DELAYS_MS[round - 1] ?? 0);
    const attempts = await Promise.all(
      open.map((i) =>
        attempt(containers[i] as Container, items[i]?.functionName as FunctionName, items[i]?.event),
      ),
    );
    await settle();
    const crash = state.world.crashed;
    for (const [k, i] of open.entries()) {
      const delivery = deliveries[i] as Delivery;
      const result = attempts[k] as Omit<Attempt, "number">;
      const made: Attempt = { number: round + 1, ...result, ...(crash && { outcome: "crashed", crash }) };
      delivery.attempts.push(made);
      if (made.outcome === "succeeded") delivery.outcome = "succeeded";
    }
    if (crash) {
      // The dead environments are gone; retries run in new ones.
      state.world.recoverFromCrash();
      for (const i of open) {
        containers[i] = await newContainer(state);
        state.warm.set(items[i]?.functionName as FunctionName, containers[i] as Container);
      }
    }
  }
  return deliveries;
}

/** One scheduled run of the reconciler, in its warm container (a failing run is not retried here). */
export async function reconcileOnce(service: ServiceHandle) {
  const state = stateOf(service);
  const made = await attempt(await warmContainer(state, "reconcile"), "reconcile", undefined);
  await settle();
  return { ...made, summary: made.result as ReconcileSummary | undefined };
}

async function attempt(container: Container, name: FunctionName, event: unknown) {
  const from = container.logs.length;
  let made: Omit<Attempt, "number" | "logs">;
  try {
    const result = await container.run(name, event);
    made = { outcome: "succeeded", result };
  } catch (error) {
    made = { outcome: "failed", error };
  }
  return { ...made, logs: container.logs.slice(from) };
}

async function warmContainer(state: ServiceState, name: FunctionName): Promise<Container> {
  const warm = state.warm.get(name) ?? (await newContainer(state));
  state.warm.set(name, warm);
  return warm;
}

/**
 * A new execution environment: the function modules imported afresh (no cached runtime, clients or
 * credentials), their logger spied on.
 */
async function newContainer(state: ServiceState): Promise<Container> {
  vi.resetModules();
  const modules = {
    "on-peering-request": await import("../../functions/on-peering-request"),
    "on-peering-change": await import("../../functions/on-peering-change"),
    "on-vpc-cidr-change": await import("../../functions/on-vpc-cidr-change"),
    reconcile: await import("../../functions/reconcile"),
  };
  const { logger } = await import("../../shared/log");
  const logs: LogRecord[] = [];
  spyOn(logger, state.world, logs);
  const context = lambdaContext(state.world.homeAccount);
  return {
    logs,
    run: (name, event) => {
      const handler = modules[name].handler as unknown as (e: unknown, c: Context) => Promise<unknown>;
      return deliverQueued(handler, structuredClone(event ?? SCHEDULED_EVENT), context);
    },
  };
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

/** Records every log call; a dead process writes nothing, so calls made after a crash are dropped. */
function spyOn(logger: Logger, world: World, into: LogRecord[]): void {
  const methods = logger as unknown as Record<(typeof LEVELS)[number], (...args: unknown[]) => void>;
  for (const level of LEVELS) {
    if (vi.isMockFunction(methods[level])) throw new Error(`the logger's ${level} is spied on already`);
    const original = methods[level].bind(logger);
    vi.spyOn(methods, level).mockImplementation((...args: unknown[]) => {
      if (!world.crashed) into.push(toRecord(level, args));
      original(...args);
    });
  }
}

function toRecord(level: LogRecord["level"], [input, ...extra]: unknown[]): LogRecord {
  const base = typeof input === "string" ? { message: input } : (input as { message: string });
  const { message, ...rest } = base;
  const attributes = Object.assign({}, rest, ...extra.filter((e) => typeof e === "object" && e !== null));
  return { level, message, attributes };
}

/** Lets a dead invocation's stragglers (calls already in flight) reach the model before anything else runs. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const SCHEDULED_EVENT = {
  version: "0",
  id: "5f0c9c4e-9a1b-4c55-b3a0-6d7d1e2f3a4b",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "111111111111",
  time: "2026-11-27T10:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:events:us-east-1:111111111111:rule/peering-autopilot-reconcile"],
  detail: {},
};
