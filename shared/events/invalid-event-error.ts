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

interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** Schema issues (zod's or any Standard Schema's) as one line each: `detail.awsRegion: must be …`. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((part) => String(typeof part === "object" ? part.key : part))
        .join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
