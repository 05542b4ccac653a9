/** Where a command writes, one line at a time; injected so that tests run commands in-process. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: the command ran (whatever it found), the input or policy was bad, the arguments were. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * `plan`'s exit codes, as Terraform's -detailed-exitcode: nothing to change, an error, changes. 2 means
 * changes there, so a usage error is an error like any other.
 */
export const PLAN_EXIT = { unchanged: 0, failed: 1, changes: 2, usage: 1 } as const;

/** The arguments do not make a command: reported with the usage text or a pointer to it, exit 2 (plan: 1). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly showUsage: boolean;

  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? false;
  }
}

/** A file or value the user gave cannot be used; the message says what is wrong with it. Exit 1. */
export class InputError extends Error {
  override readonly name = "InputError";
}
