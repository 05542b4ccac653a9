import type { Outcome } from "./carry-out";
import { errorCode, hasErrorCode } from "./error-code";

/**
 * The execution role in another account could not be assumed. `refused`: STS answered that the role
 * does not admit us (no such role, its trust policy or external id): that will not change on a retry.
 * Otherwise the AssumeRole call failed (throttled, an outage, the network) and a retry may succeed.
 */
export class RoleAssumptionError extends Error {
  override readonly name = "RoleAssumptionError";
  readonly refused: boolean;

  constructor(
    readonly account: string,
    readonly roleArn: string,
    /** Where STS was called. */
    readonly region: string,
    override readonly cause: unknown,
  ) {
    const refused = hasErrorCode(cause, ...ROLE_REFUSALS);
    const answer = `AssumeRole in region ${region}: ${errorCode(cause) ?? "error"}: ${(cause as Error)?.message}`;
    super(
      `cannot assume ${roleArn} in account ${account}: ${refused ? "the role refused us" : "the call failed"} (${answer})`,
    );
    this.refused = refused;
  }
}

// What STS answers when the role, its trust policy or its external id does not admit the caller.
const ROLE_REFUSALS = [
  "AccessDenied",
  "AccessDeniedException",
  "RegionDisabledException",
  "InvalidIdentityToken",
];

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

/** What a decision needs could not be read (throttled, failing or unreachable), so nothing was decided. */
export class NotDecidedError extends Error {
  override readonly name = "NotDecidedError";

  constructor(
    readonly connectionId: string,
    override readonly cause: unknown,
  ) {
    super(
      `peering connection ${connectionId}: not decided, reading its facts failed: ${describeCause(cause)}`,
    );
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
    super(`peering connection ${connectionId}: carrying the decision out stopped: ${describeCause(cause)}`);
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

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
