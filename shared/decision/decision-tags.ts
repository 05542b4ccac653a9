import type { Decision } from "./decision";

export const TAG_PREFIX = "peering-autopilot:";

/**
 * The tags that record a decision on the connection, or none when the connection already carries
 * this decision (so a replayed event changes nothing, not even the timestamp).
 */
export function decisionTags(
  decision: Decision,
  current: Record<string, string>,
  now: Date,
): Record<string, string> {
  if (decision.action === "ignore") return {};
  const wanted = {
    [`${TAG_PREFIX}decision`]: decision.action,
    [`${TAG_PREFIX}rule`]: decision.rule ?? "none",
  };
  const unchanged = Object.entries(wanted).every(([key, value]) => current[key] === value);
  return unchanged ? {} : { ...wanted, [`${TAG_PREFIX}decided-at`]: now.toISOString() };
}
