import { describeCause } from "../error-code";

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
