import { AwsCallError } from "./aws-call-error";

/** The AWS error code of an SDK error (`RouteAlreadyExists`, `InvalidRoute.NotFound`, …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof AwsCallError) return error.code;
  if (typeof error !== "object" || error === null) return undefined;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  if (typeof Code === "string") return Code;
  return typeof name === "string" ? name : undefined;
}

/** Compares codes case-insensitively: implementations spell `…ID.NotFound` and `…Id.NotFound` both ways. */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error)?.toLowerCase();
  return code !== undefined && codes.some((c) => c.toLowerCase() === code);
}

/** A failure as a record states it: an AwsCallError names its call, account and region already. */
export function failureText(error: unknown): string {
  if (error instanceof AwsCallError) return error.message;
  return `${errorCode(error) ?? "Error"}: ${error instanceof Error ? error.message : String(error)}`;
}

/** A cause as one line: its name and message. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
