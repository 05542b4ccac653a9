/** An event that does not have the shape its rule promises. Retrying it cannot help. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";

  constructor(
    readonly eventId: string | undefined,
    readonly reason: string,
  ) {
    super(`invalid event ${eventId ?? "(no id)"}: ${reason}`);
  }
}
