import { carriesTags } from "../tags";
import type { Decision } from "./decision";

export const TAG_PREFIX = "peering-autopilot:";
export const DECISION_TAG = `${TAG_PREFIX}decision`;
export const RULE_TAG = `${TAG_PREFIX}rule`;
export const DECIDED_AT_TAG = `${TAG_PREFIX}decided-at`;
/** Who approved or denied a request parked for approval. */
export const APPROVED_BY_TAG = `${TAG_PREFIX}approved-by`;
export const DENIED_BY_TAG = `${TAG_PREFIX}denied-by`;
/** Set when `expiring-soon` has been announced, so that it is announced once. */
export const EXPIRY_ANNOUNCED_TAG = `${TAG_PREFIX}expiry-announced`;

// EC2 tag values hold at most 256 characters; a principal ARN almost always fits.
const MAX_TAG_VALUE = 256;

// What the tags record: accept and maintain both mean "approved by this rule".
const TAGGED: Partial<Record<Decision["action"], string>> = {
  accept: "accept",
  maintain: "accept",
  reject: "reject",
  "await-approval": "await-approval",
};

/**
 * The tags that record a decision on the connection (which rule approved it, who answered, and
 * when), or none when the connection already carries this decision: a replayed event changes
 * nothing, not even the time. The tags also remember what was announced once (a request parked,
 * expiring, expired), so that it is not announced again.
 */
export function decisionTags(
  decision: Decision,
  current: Record<string, string>,
  now: Date,
): Record<string, string> {
  const wanted = wantedTags(decision);
  const unchanged = carriesTags(current, wanted);
  const announced: Record<string, string> = decision.findings.includes("expiring-soon")
    ? { [EXPIRY_ANNOUNCED_TAG]: now.toISOString() }
    : {};
  if (unchanged) return announced;
  return { ...wanted, ...announced, [DECIDED_AT_TAG]: now.toISOString() };
}

function wantedTags(decision: Decision): Record<string, string> {
  if (decision.findings.includes("expired")) return { [DECISION_TAG]: "expired" };
  const tagged = TAGGED[decision.action];
  if (!tagged) return {};
  const { approval } = decision;
  return {
    [DECISION_TAG]: tagged,
    [RULE_TAG]: decision.rule ?? "none",
    ...(approval && {
      [approval.answer === "approve" ? APPROVED_BY_TAG : DENIED_BY_TAG]: approval.by.slice(0, MAX_TAG_VALUE),
    }),
  };
}
