import { describe, expect, it } from "vitest";
import { sqsBatch } from "../../model";
import { sweepPassOf } from "../../shared/events/sweep-message";
import { SCHEDULED_EVENT } from "./harness";
import { PENDING_TICK } from "./pending-pass-worlds";

/** Which pass a batch of ticks from the sweep queue asks for. */
describe("the pass a batch of sweep ticks asks for", () => {
  const messages = (...bodies: unknown[]) => sqsBatch(...bodies).Records;
  const raw = (body: string) => [{ ...messages({})[0], messageId: "m", body }];

  it.each([
    ["one pending-pass tick", messages(PENDING_TICK), "pending"],
    ["pending-pass ticks that queued together", messages(PENDING_TICK, { pass: "pending" }), "pending"],
    ["the full schedule's scheduled event", messages(SCHEDULED_EVENT), "full"],
    ["a full tick queued with pending ones", messages(PENDING_TICK, SCHEDULED_EVENT, PENDING_TICK), "full"],
    ["another pass named", messages({ pass: "full" }), "full"],
    ["the pass in another case", messages({ pass: "Pending" }), "full"],
    ["a body that is not JSON", raw("pass=pending"), "full"],
    ["a JSON string", raw('"pending"'), "full"],
    ["null", raw("null"), "full"],
    ["no message at all", [], "full"],
  ] as const)("%s: the %s pass", (_, batch, pass) => {
    expect(sweepPassOf(batch)).toBe(pass);
  });
});
