import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { afterEach, beforeEach, vi } from "vitest";
import { deliverQueued, installModel, World } from "../../model";

export const ACCEPTER = "111111111111";
export const REQUESTER = "222222222222";
export const PARTNER = "333333333333";
export const SHARED_VPC = "vpc-0f9e8d7c6b5a40001";

const ENV_KEYS = [
  "POLICY_PATH",
  "ASSUME_ROLE_EXTERNAL_ID",
  "ACTIVE_WAIT_SECONDS",
  "VISIBLE_WAIT_SECONDS",
  "EVENT_BUS_NAME",
  "SWEEP_REGIONS",
  "EC2_RATE_SHARE",
  "EC2_DESCRIBE_BUCKET",
  "EC2_MUTATING_BUCKET",
] as const;

/** The deployed functions, by file name under functions/. */
export type FunctionName = "on-peering-request" | "on-peering-change" | "on-vpc-cidr-change" | "reconcile";
/** Every function the harness runs: the ones above and the approval tag's. */
export type HandlerName = FunctionName | "on-approval-tag";

export interface ServiceOptions {
  /** Policy YAML; the shipped example policy.yml when absent. */
  policy?: string;
  /** The account the function runs in (default: the accepter's). */
  home?: string;
  env?: Partial<Record<(typeof ENV_KEYS)[number], string>>;
}

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Every deployed function's handler, imported afresh (after `vi.resetModules()`), as its queue's event
 * source mapping invokes it with one event: the answer is what the function made of that event.
 */
export async function importHandlers(): Promise<Record<HandlerName, Handler>> {
  // The queue hands the handlers raw JSON; their parser middleware types it.
  const typed = (module: { handler: unknown }): Handler => {
    const handler = module.handler as Handler;
    return (event, context) => deliverQueued(handler, event, context);
  };
  return {
    "on-peering-request": typed(await import("../../functions/on-peering-request")),
    "on-peering-change": typed(await import("../../functions/on-peering-change")),
    "on-vpc-cidr-change": typed(await import("../../functions/on-vpc-cidr-change")),
    "on-approval-tag": typed(await import("../../functions/on-approval-tag")),
    reconcile: typed(await import("../../functions/reconcile")),
  };
}

/**
 * A fresh world and a freshly imported handler per test: module state (cached clients, STS
 * credentials, the loaded policy) lives per container in production, so per test here.
 */
export function useService<T>(build: (world: World) => T, options: ServiceOptions = {}) {
  let world: World | undefined;
  let built: T | undefined;
  let handlers: Record<HandlerName, Handler> | undefined;
  let log: Logger | undefined;
  let restore = () => {};
  const home = options.home ?? ACCEPTER;

  beforeEach(async () => {
    for (const key of ENV_KEYS) delete process.env[key];
    // Waiter polls are real sleeps; keep them short so waiting tests stay fast.
    process.env.WAIT_MIN_DELAY_SECONDS = "0.01";
    if (options.policy !== undefined) process.env.POLICY_PATH = writePolicy(options.policy);
    Object.assign(process.env, options.env);

    world = new World({ homeAccount: home });
    world.addAccount(ACCEPTER).addAccount(REQUESTER).addAccount(PARTNER);
    built = build(world);
    restore = installModel(world).restore;
    vi.resetModules();
    handlers = await importHandlers();
    log = (await import("../../shared/log")).logger;
  });
  afterEach(() => restore());

  return {
    world: () => must(world),
    /** The logger instance the freshly imported handler uses (for spying on its records). */
    logger: () => must(log),
    /** What `build` returned (ids of the VPCs and route tables it made). */
    ids: () => must(built),
    /** Runs the CreateVpcPeeringConnection handler, as its queue would. */
    invoke: (event: unknown) =>
      must(handlers)["on-peering-request"](structuredClone(event), lambdaContext(home)),
    /** Runs any deployed function with an event (the scheduled event for the reconciler). */
    run: (name: HandlerName, event: unknown = SCHEDULED_EVENT, context: Partial<Context> = {}) =>
      must(handlers)[name](structuredClone(event), { ...lambdaContext(home), ...context }),
    /** The service deployed again with another policy: fresh containers load it, the world stays. */
    redeploy: async (policy: string) => {
      process.env.POLICY_PATH = writePolicy(policy);
      vi.resetModules();
      handlers = await importHandlers();
      log = (await import("../../shared/log")).logger;
    },
  };
}

/** The event EventBridge Scheduler hands the reconciler. */
export const SCHEDULED_EVENT = {
  version: "0",
  id: "89d1a02d-5ec7-412e-82f5-13505f849b41",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: ACCEPTER,
  time: "2026-11-27T10:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:events:us-east-1:111111111111:rule/peering-autopilot-reconcile"],
  detail: {},
};

export function lambdaContext(account: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "peering-autopilot-test-onPeeringRequest",
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:peering-autopilot-test-onPeeringRequest`,
    memoryLimitInMB: "256",
    awsRequestId: "00000000-0000-4000-8000-000000000000",
    logGroupName: "/aws/lambda/peering-autopilot-test-onPeeringRequest",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function writePolicy(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "policy-")), "policy.yml");
  writeFileSync(path, yaml);
  return path;
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("only inside a test");
  return value;
}

/** Routes of one route table as `destination -> target` lines, for readable assertions. */
export function routesOf(world: World, routeTableId: string): string[] {
  return world
    .routeTable(routeTableId)
    .routes.map((r) => `${r.destination} -> ${Object.values(r.target)[0]}`);
}
