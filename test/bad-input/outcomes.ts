import { type Attempt, mutating, signatures } from "./fresh-service";
import { type Path, parsePath } from "./json-paths";

/** What an invocation came to, in a form two runs can be compared by (no ids of events, no times). */
export type Summary =
  | { kind: "threw"; name: string; message: string; reason?: string }
  | { kind: "ignored" | "skipped"; reason: string; mutating: string[] }
  | { kind: "decided"; decisions: string[]; mutating: string[] }
  | { kind: "unexpected"; value: string; mutating: string[] };

interface DecidedLike {
  kind: "decided";
  record: { connectionId: string; action: string; error?: unknown };
  failure?: unknown;
}

function isDecided(value: unknown): value is DecidedLike {
  return (value as { kind?: unknown } | null)?.kind === "decided";
}

export function summarize(attempt: Attempt): Summary {
  if (!attempt.ok) {
    const { error } = attempt;
    const reason = (error as { reason?: unknown }).reason;
    return {
      kind: "threw",
      name: error?.name ?? typeof error,
      message: String(error?.message ?? error),
      ...(typeof reason === "string" && { reason }),
    };
  }
  const { value } = attempt;
  const changes = signatures(mutating(attempt.calls));
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === "ignored" || kind === "skipped") {
    return { kind, reason: String((value as { reason?: unknown }).reason ?? ""), mutating: changes };
  }
  const results = Array.isArray(value) ? value : [value];
  if (results.every(isDecided) && results.every((r) => r.record.error === undefined && !r.failure)) {
    return {
      kind: "decided",
      decisions: results.map((r) => `${r.record.connectionId} ${r.record.action}`).sort(),
      mutating: changes,
    };
  }
  return {
    kind: "unexpected",
    value: JSON.stringify(value)?.slice(0, 2000) ?? String(value),
    mutating: changes,
  };
}

/** Every part of an InvalidEventError's reason says which field (`path: message`). */
export function namesAField(reason: string): boolean {
  // Each listed problem names its field; a long list ends with a count of the rest.
  const parts = reason.split("; ").filter((part) => !/^and \d+ more$/.test(part));
  return parts.length > 0 && parts.every((part) => /^[^\s:;]+: \S/.test(part));
}

/** The actions of a summary's decisions, sorted: ["maintain"], ["ignore", "maintain"], … */
export function actionsOf(summary: Summary): string[] {
  return summary.kind === "decided" ? summary.decisions.map((d) => d.split(" ")[1] ?? "").sort() : [];
}

/**
 * Every field of an event that a schema or parser of the service reads. A mutation elsewhere (a key
 * added to an object, anything under userIdentity or in the response's claims) must change nothing.
 */
export const READ_PATHS: Path[] = [
  "version",
  "id",
  "source",
  "account",
  "time",
  "region",
  "resources",
  "detail-type",
  "replay-name",
  "detail.eventSource",
  "detail.eventName",
  "detail.awsRegion",
  "detail.errorCode",
  "detail.errorMessage",
  "detail.requestParameters.peerOwnerId",
  "detail.requestParameters.peerRegion",
  "detail.requestParameters.vpcPeeringConnectionId",
  "detail.requestParameters.vpcId",
  "detail.responseElements.vpcPeeringConnection.vpcPeeringConnectionId",
  "detail.responseElements.vpcPeeringConnection.accepterVpcInfo.ownerId",
  "detail.responseElements.vpcPeeringConnection.accepterVpcInfo.region",
  "detail.responseElements.vpcId",
].map(parsePath);
