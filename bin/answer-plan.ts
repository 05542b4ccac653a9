import { APPROVAL_TAG } from "../shared/decision/approval-tag";
import { decide } from "../shared/decision/decide";
import type { Action, Decision } from "../shared/decision/decision";
import type { DecisionFacts } from "../shared/facts";
import type { Policy } from "../shared/policy/schema";

export type Answer = "approve" | "deny";

/** Recorded for people beside the answer; the service never reads it. */
export const APPROVAL_REASON_TAG = "peering-approval-reason";
/** EC2's limit on a tag value, in characters. */
export const MAX_REASON_LENGTH = 256;

export type AnswerPlan =
  /** `decision` is what the service will do once the tag is set. */
  { kind: "answer"; decision: Decision; previous?: string } | { kind: "refused"; reasons: string[] };

const CARRIED_OUT: Record<Answer, Action> = { approve: "accept", deny: "reject" };

/**
 * Whether a person's answer applies to this request, and what the service will do with it, worked out
 * with `decide` as the service will: first on the request as if unanswered (it must await approval:
 * an earlier answer may be replaced, not a decision the service makes alone), then with the answer
 * tagged and `answeredBy` set as the tag's event will set it. Pure.
 */
export function planAnswer(facts: DecisionFacts, policy: Policy, answer: Answer, by: string): AnswerPlan {
  const { [APPROVAL_TAG]: previous, ...otherTags } = facts.connection.tags;
  const unanswered = decide({ ...facts, connection: { ...facts.connection, tags: otherTags } }, policy);
  if (unanswered.action !== "await-approval") {
    const { action, rule } = unanswered;
    // A rule that matches but a guard that rejects (a route in the way): no answer would change that.
    const why =
      action === "reject" && rule !== undefined
        ? `it does not await approval: the service would reject it whatever the answer (rule: ${rule})`
        : `no approval rule matches it: the service would ${action === "ignore" ? "leave it alone" : `${action} it`} without asking a person (rule: ${rule ?? "none"})`;
    return { kind: "refused", reasons: [why, ...unanswered.reasons] };
  }
  const answered = decide(
    {
      ...facts,
      answeredBy: by,
      connection: { ...facts.connection, tags: { ...otherTags, [APPROVAL_TAG]: answer } },
    },
    policy,
  );
  if (answered.action !== CARRIED_OUT[answer]) {
    return {
      kind: "refused",
      reasons: [
        `with ${APPROVAL_TAG}=${answer} the service would ${answered.action} it, not ${CARRIED_OUT[answer]} it`,
        ...answered.reasons,
      ],
    };
  }
  return { kind: "answer", decision: answered, ...(previous !== undefined && { previous }) };
}
