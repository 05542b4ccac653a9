import type { Decision } from "./decision";

export const TAG_PREFIX = "peering-autopilot:";

// What the tags record: accept and maintain both mean "approved by this rule".
const TAGGED: Partial<Record<Decision["action"], string>> = {
  accept: "accept",
  maintain: "accept",
  reject: "reject",
};

/**
 * The tags that record a decision on the connection (which rule approved it, and when), or none when
 * the connection already carries this decision: a replayed event changes nothing, not even the time.
 */
export function decisionTags(
  decision: Decision,
  current: Record<string, string>,
  now: Date,
): Record<string, string> {
  const tagged = TAGGED[decision.action];
  if (!tagged) return {};
  const wanted = { [`${TAG_PREFIX}decision`]: tagged, [`${TAG_PREFIX}rule`]: decision.rule ?? "none" };
  const unchanged = Object.entries(wanted).every(([key, value]) => current[key] === value);
  return unchanged ? {} : { ...wanted, [`${TAG_PREFIX}decided-at`]: now.toISOString() };
}
