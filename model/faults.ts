import { isDeepStrictEqual } from "node:util";
import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { EventBridgeServiceException } from "@aws-sdk/client-eventbridge";
import { STSServiceException } from "@aws-sdk/client-sts";
import type { Caller, CallRecord, CrashPoint, Fault, FaultKind } from "./state";

/**
 * The Lambda invocation died right after a call took effect (out of memory, timeout, the sandbox
 * recycled). Thrown to the caller of that call and of every call after it, none of which reaches AWS,
 * until `World.recoverFromCrash()` (a new container).
 */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";

  constructor(readonly after: { operation: string; account: string; region: string }) {
    super(`simulated crash of the invocation after ${after.operation} in ${after.account} ${after.region}`);
  }
}

/** One call as faults see it. */
export interface FaultableCall {
  service: CallRecord["service"];
  operation: string;
  caller: Caller;
  input: unknown;
}

type Pending<T> = T & { left: number };

/** The failures and crash points a test injected, consumed by the calls they match. */
export class FaultPlan {
  private readonly failures: Pending<Fault>[] = [];
  private readonly crashPoints: Pending<CrashPoint>[] = [];
  /** Set once a crash point fired. */
  crashed: SimulatedCrash | undefined;

  fail(fault: Fault): void {
    this.failures.push({ ...fault, left: fault.times ?? 1 });
  }

  crashAfter(point: CrashPoint): void {
    this.crashPoints.push({ ...point, left: point.times ?? 1 });
  }

  /** Forgets pending failures and crash points (an outage ends); a crash that happened stays until recovery. */
  clear(): void {
    this.failures.length = 0;
    this.crashPoints.length = 0;
  }

  /** How many injected failures and crash points are still waiting for a matching call. */
  pending(): { failures: number; crashPoints: number } {
    return { failures: this.failures.length, crashPoints: this.crashPoints.length };
  }

  /** Consumes the first matching failure: the error the call must fail with, before or after its effect. */
  takeFailure(call: FaultableCall): { error: Error; afterEffect: boolean } | undefined {
    const index = this.failures.findIndex((fault) => matches(fault, call));
    const fault = this.failures[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.failures.splice(index, 1);
    return {
      error: faultError(call.service, call.operation, fault),
      afterEffect: fault.afterEffect === true,
    };
  }

  /** After a call took effect: counts it against the crash points and fires the one it completes. */
  crashIfDue(call: FaultableCall): void {
    const index = this.crashPoints.findIndex((point) => matches(point, call));
    const point = this.crashPoints[index];
    if (!point) return;
    point.left -= 1;
    if (point.left > 0) return;
    this.crashPoints.splice(index, 1);
    const { account, region } = call.caller;
    this.crashed = new SimulatedCrash({ operation: call.operation, account, region });
    throw this.crashed;
  }
}

function matches(fault: Fault | CrashPoint, call: FaultableCall): boolean {
  const { caller } = call;
  return (
    (fault.service === undefined || fault.service === call.service) &&
    (fault.operation === "*" || fault.operation === call.operation) &&
    (fault.account === undefined || fault.account === caller.account) &&
    (fault.region === undefined || fault.region === caller.region) &&
    (fault.roleAccount === undefined || fault.roleAccount === roleAccountOf(call.input)) &&
    (fault.input === undefined || inputMatches(fault.input, call.input))
  );
}

/** AssumeRole: the account of the role in `RoleArn`. */
function roleAccountOf(input: unknown): string | undefined {
  const arn = (input as { RoleArn?: unknown } | undefined)?.RoleArn;
  return typeof arn === "string" ? /^arn:aws:iam::(\d{12}):role\//.exec(arn)?.[1] : undefined;
}

function inputMatches(expected: Record<string, unknown>, input: unknown): boolean {
  const actual = (input ?? {}) as Record<string, unknown>;
  return Object.entries(expected).every(([key, value]) => isDeepStrictEqual(actual[key], value));
}

// Codes AWS answers with a 5xx; the SDK retries them as transient.
const SERVER_STATUS: Record<string, number> = {
  InternalError: 500,
  InternalFailure: 500,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  Unavailable: 503,
};
// Node socket errors that @smithy/node-http-handler renames TimeoutError (it keeps their `code`).
const SOCKET_TIMEOUT_CODES = ["ECONNRESET", "EPIPE", "ETIMEDOUT"];

function kindOf(service: CallRecord["service"], fault: Fault): FaultKind {
  if (fault.kind) return fault.kind;
  if (Object.hasOwn(SERVER_STATUS, fault.error)) return "server";
  if (fault.error === "TimeoutError" || /^E[A-Z]+$/.test(fault.error)) return "network";
  // EventBridge faults were server errors before kinds existed; they stay so.
  return service === "EventBridge" ? "server" : "client";
}

/**
 * The error an injected fault raises, shaped as the SDK raises it: a service exception for `client`
 * and `server` faults (`name` is the AWS error code), and for `network` faults what the HTTP handler
 * rejects with when no response came back: no `$metadata`, no `$fault`.
 */
export function faultError(service: CallRecord["service"], operation: string, fault: Fault): Error {
  const message = fault.message ?? `${fault.error}: fault injected by the model into ${operation}`;
  const kind = kindOf(service, fault);
  if (kind === "network") return networkError(fault.error, message);
  const httpStatusCode =
    fault.httpStatusCode ?? (kind === "server" ? (SERVER_STATUS[fault.error] ?? 500) : clientStatus(service));
  const options = { name: fault.error, $fault: kind, message, $metadata: { httpStatusCode } } as const;
  if (service === "EC2") return new EC2ServiceException(options);
  if (service === "STS") return new STSServiceException(options);
  return new EventBridgeServiceException(options);
}

function clientStatus(service: CallRecord["service"]): number {
  return service === "STS" ? 403 : 400;
}

/** A socket error keeps its Node `code` (`ECONNRESET`); anything else is an Error named after the fault. */
function networkError(error: string, message: string): Error {
  if (!/^E[A-Z]+$/.test(error)) return Object.assign(new Error(message), { name: error });
  const socketError = Object.assign(new Error(`read ${error} (${message})`), {
    code: error,
    syscall: "read",
  });
  if (SOCKET_TIMEOUT_CODES.includes(error)) socketError.name = "TimeoutError";
  return socketError;
}
