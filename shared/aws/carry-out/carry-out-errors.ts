import { describeCause } from "../error-code";
import type { Outcome } from "./jobs";

/** The connection was accepted but did not become active within the bounded wait (or hit a dead end). */
export class ActivationTimeoutError extends Error {
  override readonly name = "ActivationTimeoutError";

  constructor(
    readonly connectionId: string,
    readonly lastStatus: string,
    readonly waitedSeconds: number,
  ) {
    super(
      `peering connection ${connectionId} did not become active within ${waitedSeconds}s (last status ${lastStatus}); routes not installed`,
    );
  }
}

/** Some planned changes (routes, removals, DNS options) could not be made; the decision record lists them. */
export class PartialFailureError extends Error {
  override readonly name = "PartialFailureError";

  constructor(
    readonly connectionId: string,
    readonly failed: string[],
  ) {
    super(`peering connection ${connectionId}: ${failed.length} change(s) not made: ${failed.join("; ")}`);
  }
}

/** Carrying a decision out stopped part way; `outcome` is what had been done by then. */
export class CarryOutError extends Error {
  override readonly name = "CarryOutError";

  constructor(
    readonly connectionId: string,
    readonly outcome: Outcome,
    override readonly cause: unknown,
  ) {
    super(`peering connection ${connectionId}: carrying the decision out stopped: ${describeCause(cause)}`);
  }
}
