import type { Outcome } from "./carry-out";
import { errorCode } from "./error-code";

/** The execution role in another account could not be assumed. */
export class RoleAssumptionError extends Error {
  override readonly name = "RoleAssumptionError";

  constructor(
    readonly account: string,
    readonly roleArn: string,
    override readonly cause: unknown,
  ) {
    super(
      `cannot assume ${roleArn} in account ${account}: ${errorCode(cause) ?? "error"}: ${(cause as Error)?.message}`,
    );
  }
}

/** The role would go into an account the policy does not name; the service never does that. */
export class AccountNotNamedError extends Error {
  override readonly name = "AccountNotNamedError";

  constructor(readonly account: string) {
    super(`account ${account} is not named in the policy, so no role is assumed into it`);
  }
}

/** The connection cannot be seen from the account and region where it was looked for. */
export class ConnectionNotFoundError extends Error {
  override readonly name = "ConnectionNotFoundError";

  constructor(
    readonly connectionId: string,
    readonly account: string,
    readonly region: string,
  ) {
    super(`peering connection ${connectionId} is not visible in account ${account} region ${region}`);
  }
}

/** The connection was accepted but did not become active within the bounded wait (or hit a dead end). */
export class ActivationTimeoutError extends Error {
  override readonly name = "ActivationTimeoutError";

  constructor(
    readonly connectionId: string,
    readonly lastStatus: string,
    readonly waitedSeconds: number,
  ) {
    super(
      `peering connection ${connectionId} did not become active within ${waitedSeconds}s (last status ${lastStatus}); routes not installed`,
    );
  }
}

/** Some planned changes (routes, removals, DNS options) could not be made; the decision record lists them. */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";

  constructor(
    readonly connectionId: string,
    readonly failed: string[],
  ) {
    super(`peering connection ${connectionId}: ${failed.length} change(s) not made: ${failed.join("; ")}`);
  }
}

/** Carrying a decision out stopped part way; `outcome` is what had been done by then. */
export class CarryOutError extends Error {
  override readonly name = "CarryOutError";

  constructor(
    readonly connectionId: string,
    readonly outcome: Outcome,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`peering connection ${connectionId}: carrying the decision out stopped: ${reason}`);
  }
}

/** A call was not sent because the invocation's time was nearly up; the next run makes it. */
export class OutOfTimeError extends Error {
  override readonly name = "OutOfTimeError";

  constructor(
    readonly account: string,
    readonly region: string,
    readonly operation: string,
  ) {
    super(`${operation} in account ${account} region ${region} not sent: the invocation's time is nearly up`);
  }
}
