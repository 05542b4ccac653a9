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

// A hostile event can carry thousands of bad elements: the first few say what is wrong.
const SHOWN_ISSUES = 5;

/** Schema issues (zod's or any Standard Schema's) as one line each: `detail.awsRegion: must be …`. */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const path = (issue.path ?? [])
      .map((part) => String(typeof part === "object" ? part.key : part))
      .join(".");
    return clip(path ? `${path}: ${issue.message}` : issue.message);
  });
  const more = issues.length - shown.length;
  return [...shown, ...(more > 0 ? [`and ${more} more`] : [])].join("; ");
}

/** Text taken from an event, cut short enough for a log line (event fields are attacker-controlled). */
export function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
