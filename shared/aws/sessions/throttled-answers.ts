import { isThrottlingError } from "@smithy/core/retry";

/**
 * AWS answers that were throttling errors, counted across every client AwsSessions makes since the
 * container started: an invocation's count is the difference between its end and its start.
 */
let throttled = 0;
const counted = new WeakSet<object>();

export function throttledAnswers(): number {
  return throttled;
}

/**
 * Counts `error` if it is a throttling answer, once: the client's middleware sees every attempt
 * (those the SDK retries too), and the paced client sees the last again, or is the first to see it
 * when `send` itself is replaced (a stubbed client runs no middleware).
 */
export function countIfThrottled(error: unknown): void {
  if (typeof error !== "object" || error === null || counted.has(error)) return;
  if (!isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) return;
  counted.add(error);
  throttled += 1;
}

/**
 * A client middleware that counts each attempt's throttling answer (see EACH_ATTEMPT for where it goes),
 * the attempts the SDK retries included.
 */
export function countingThrottles<A, R>(next: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    try {
      return await next(args);
    } catch (error) {
      countIfThrottled(error);
      throw error;
    }
  };
}

/** Where in a client's stack each attempt's answer passes: inside the retry loop. */
export const EACH_ATTEMPT = {
  relation: "after",
  toMiddleware: "retryMiddleware",
  name: "countThrottledAnswers",
} as const;
