// The event functions as their queues invoke them: a batch of SQS messages whose bodies are the
// EventBridge events. The other handler tests go through the same path with one event per batch.
import { describe, expect, it } from "vitest";
import { requestPeering, sqsBatch } from "../../model";
import { lambdaContext, useService } from "./harness";
import { sharedServices } from "./worlds";

/** The deployed handler itself, taking whatever batch it is given. */
async function rawHandler(): Promise<(batch: unknown, context: unknown) => Promise<unknown>> {
  return (await import("../../functions/on-peering-request")).handler as never;
}

describe("an event function fed by its queue", () => {
  const service = useService(sharedServices);

  it("handles every event of a batch, in order, and answers each result", async () => {
    const world = service.world();
    const { shared, app, appEu } = service.ids();
    const first = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const second = requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared });

    const results = await (await rawHandler())(
      sqsBatch(first.event, second.event),
      lambdaContext("111111111111"),
    );

    expect(results).toMatchObject([
      { kind: "decided", record: { connectionId: first.connectionId, action: "accept" } },
      { kind: "decided", record: { connectionId: second.connectionId, action: "accept" } },
    ]);
    expect(world.peering(first.connectionId).status.code).toBe("active");
    expect(world.peering(second.connectionId).status.code).toBe("active");
  });

  it("fails the whole batch at the first event that fails, so the queue hands it out again", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const good = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const malformed = { ...good.event, detail: { ...good.event.detail, awsRegion: undefined } };

    const run = (await rawHandler())(sqsBatch(malformed, good.event), lambdaContext("111111111111"));

    await expect(run).rejects.toThrow(/invalid event .*detail\.awsRegion/);
    expect(world.peering(good.connectionId).status.code).toBe("pending-acceptance");
  });

  it("refuses an EventBridge event handed over directly, before anything reaches AWS", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const before = world.calls.length;

    const run = (await rawHandler())(event, lambdaContext("111111111111"));

    await expect(run).rejects.toThrow(/not an SQS batch: Records/);
    expect(world.calls.slice(before)).toEqual([]);
  });

  it("refuses a message whose body is not JSON, before anything reaches AWS", async () => {
    const world = service.world();
    const before = world.calls.length;
    const [message] = sqsBatch({}).Records;

    const run = (await rawHandler())(
      { Records: [{ ...message, body: "{not json" }] },
      lambdaContext("111111111111"),
    );

    await expect(run).rejects.toThrow(/message .* is not JSON: \{not json/);
    expect(world.calls.slice(before)).toEqual([]);
  });

  it("does nothing for an empty batch", async () => {
    const world = service.world();
    const before = world.calls.length;
    await expect((await rawHandler())({ Records: [] }, lambdaContext("111111111111"))).resolves.toEqual([]);
    expect(world.calls.slice(before)).toEqual([]);
  });
});
