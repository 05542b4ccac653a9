import { errorCode, hasErrorCode } from "../error-code";

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
