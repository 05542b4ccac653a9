import type { PutEventsRequest, PutEventsResponse } from "@aws-sdk/client-eventbridge";
import type { Caller } from "./state";
import type { World } from "./world";

/** PutEvents: every entry lands on its bus (kept in `world.published`); none is refused. */
export function putEvents(world: World, caller: Caller, input: PutEventsRequest): PutEventsResponse {
  const entries = input.Entries ?? [];
  for (const entry of entries) {
    world.published.push({
      busName: entry.EventBusName ?? "default",
      source: entry.Source ?? "",
      detailType: entry.DetailType ?? "",
      detail: JSON.parse(entry.Detail ?? "{}"),
      account: caller.account,
      region: caller.region,
    });
  }
  return {
    FailedEntryCount: 0,
    Entries: entries.map((_, i) => ({
      EventId: `model-event-${world.published.length - entries.length + i}`,
    })),
  };
}
