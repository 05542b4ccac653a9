import * as z from "zod";
import type { SqsMessage } from "./sqs-batch";

/**
 * The full pass goes over every connection and the routes left behind; the pending pass, run more often,
 * only decides pending requests (those no event announces, and answers whose event was lost).
 */
export type SweepPass = "full" | "pending";

/**
 * The body the pending pass's schedule puts on the sweep queue. Other members are allowed: the tick's
 * time must be among them, or the queue's content-based deduplication would drop all but one tick in
 * five minutes.
 */
export const PendingPassMessageSchema = z.object({ pass: z.literal("pending") });

/**
 * The pass a batch of ticks asks for: the pending pass when every tick asks for it, else the full pass,
 * which decides pending requests too. A body that is not a pending-pass message (the full schedule's
 * scheduled event, or anything unreadable) asks for the full pass: a tick must never be lost nor block
 * the queue, and doing more than asked is safe.
 */
export function sweepPassOf(messages: readonly SqsMessage[]): SweepPass {
  return messages.length > 0 && messages.every(asksForPendingPass) ? "pending" : "full";
}

function asksForPendingPass(message: SqsMessage): boolean {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  return PendingPassMessageSchema.safeParse(body).success;
}
