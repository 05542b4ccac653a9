/**
 * An AWS call failed (after the SDK's retries): which call, in which account and region, and AWS's
 * answer, kept as `cause`. `errorCode()` and `hasErrorCode()` answer the cause's code, so code that
 * interprets failures works on it unchanged.
 */
export class AwsCallError extends Error {
  override readonly name = "AwsCallError";

  constructor(
    readonly operation: string,
    readonly account: string,
    readonly region: string,
    /** The AWS error code of the cause (`InternalError`, `RequestLimitExceeded`, `TimeoutError`, …). */
    readonly code: string | undefined,
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${operation} in account ${account} region ${region} failed: ${code ?? "error"}: ${detail}`);
  }
}
