import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@aws-lambda-powertools/logger";
import { vi } from "vitest";
import { type CallRecord, deliverQueued, installModel, World } from "../../model";
import { ACCEPTER, type FunctionName, lambdaContext, PARTNER, REQUESTER } from "../handlers/harness";

/**
 * One fresh "container" per case, as test/handlers/harness.ts builds one per test in beforeEach, but
 * callable from inside a fast-check property: a new World, the model installed, the module registry
 * reset and the handlers imported again (so no policy, client or credential survives from the case
 * before), and the environment restored afterwards.
 */

export const FUNCTIONS = [
  "on-peering-request",
  "on-peering-change",
  "on-vpc-cidr-change",
  "reconcile",
] as const;
export const CLOUDTRAIL_FUNCTIONS = [
  "on-peering-request",
  "on-peering-change",
  "on-vpc-cidr-change",
] as const;
export type CloudTrailFunction = (typeof CLOUDTRAIL_FUNCTIONS)[number];

const ENV_KEYS = [
  "POLICY_PATH",
  "ASSUME_ROLE_EXTERNAL_ID",
  "ACTIVE_WAIT_SECONDS",
  "VISIBLE_WAIT_SECONDS",
  "WAIT_MIN_DELAY_SECONDS",
  "EVENT_BUS_NAME",
  "SWEEP_REGIONS",
] as const;
type EnvKey = (typeof ENV_KEYS)[number];

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export interface FreshOptions {
  /** Policy YAML written to a temporary file; the shipped policy.yml when neither this nor policyPath. */
  policy?: string;
  /** A policy path as is (a missing file, a directory, a binary file). */
  policyPath?: string;
  /** The account the function runs in (default: the accepter's). */
  home?: string;
  env?: Partial<Record<EnvKey, string>>;
}

export interface FreshService<T> {
  world: World;
  ids: T;
  logger: Logger;
  /** The policy file the functions load. */
  policyPath: string;
  run(name: FunctionName, event: unknown): Promise<unknown>;
  /** Runs a function and reports what happened instead of throwing. */
  attempt(name: FunctionName, event: unknown): Promise<Attempt>;
}

export type Attempt =
  | { ok: true; value: unknown; calls: CallRecord[] }
  | { ok: false; error: Error; calls: CallRecord[] };

const policyFiles = new Map<string, string>();

/** Writes policy text to a temporary file once per distinct text. */
export function policyFile(text: string | Uint8Array, name = "policy.yml"): string {
  const key =
    typeof text === "string" ? `t:${name}:${text}` : `b:${name}:${Buffer.from(text).toString("base64")}`;
  const known = policyFiles.get(key);
  if (known) return known;
  const path = join(mkdtempSync(join(tmpdir(), "bad-input-policy-")), name);
  writeFileSync(path, text);
  policyFiles.set(key, path);
  return path;
}

/** Builds a fresh service, runs `body` with it, and always restores the SDK and the environment. */
export async function withFreshService<T, R>(
  build: (world: World) => T,
  options: FreshOptions,
  body: (service: FreshService<T>) => Promise<R>,
): Promise<R> {
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  // Waiter polls are real sleeps: a connection that never shows up must not cost seconds.
  process.env.WAIT_MIN_DELAY_SECONDS = "0.005";
  process.env.VISIBLE_WAIT_SECONDS = "0.02";
  let policyPath = "policy.yml";
  if (options.policyPath !== undefined) policyPath = options.policyPath;
  else if (options.policy !== undefined) policyPath = policyFile(options.policy);
  if (policyPath !== "policy.yml") process.env.POLICY_PATH = policyPath;
  Object.assign(process.env, options.env);

  const home = options.home ?? ACCEPTER;
  const world = new World({ homeAccount: home });
  world.addAccount(ACCEPTER).addAccount(REQUESTER).addAccount(PARTNER);
  let restore = () => {};
  try {
    const ids = build(world);
    restore = installModel(world).restore;
    vi.resetModules();
    const handlers: Record<FunctionName, () => Promise<Handler>> = {
      "on-peering-request": async () =>
        (await import("../../functions/on-peering-request")).handler as unknown as Handler,
      "on-peering-change": async () =>
        (await import("../../functions/on-peering-change")).handler as unknown as Handler,
      "on-vpc-cidr-change": async () =>
        (await import("../../functions/on-vpc-cidr-change")).handler as unknown as Handler,
      reconcile: async () => (await import("../../functions/reconcile")).handler as unknown as Handler,
    };
    const logger = (await import("../../shared/log")).logger;
    const run = async (name: FunctionName, event: unknown) =>
      deliverQueued(await handlers[name](), structuredClone(event), lambdaContext(home));
    const attempt = async (name: FunctionName, event: unknown): Promise<Attempt> => {
      const before = world.calls.length;
      try {
        const value = await run(name, event);
        return { ok: true, value, calls: world.calls.slice(before) };
      } catch (error) {
        return { ok: false, error: error as Error, calls: world.calls.slice(before) };
      }
    };
    return await body({ world, ids, logger, policyPath, run, attempt });
  } finally {
    restore();
    for (const key of ENV_KEYS) {
      const value = savedEnv[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Calls that change (or tried to change) something, as in World.mutatingCalls(). */
export function mutating(calls: readonly CallRecord[]): CallRecord[] {
  return calls.filter(
    (call) =>
      !/^(Describe|Get)/.test(call.operation) && !(call.service === "STS" && call.operation === "AssumeRole"),
  );
}

/** A call as a comparable line: what, where, on which resources (not timestamps). */
export function signature(call: CallRecord): string {
  const input = (call.input ?? {}) as Record<string, unknown>;
  const on = [
    input.VpcPeeringConnectionId,
    ...((input.Resources as unknown[] | undefined) ?? []),
    input.RouteTableId,
    input.DestinationCidrBlock,
    input.DestinationIpv6CidrBlock,
  ].filter((part) => part !== undefined);
  return `${call.service} ${call.operation} ${call.account} ${call.region} ${on.join(" ")}`.trim();
}

export function signatures(calls: readonly CallRecord[]): string[] {
  return calls.map(signature).sort();
}
