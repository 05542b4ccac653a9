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
