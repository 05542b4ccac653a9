import { APPROVAL_TAG } from "../decision/approval-tag";
import type { NotifiedDecision } from "./decision-event";
import { headline } from "./headline";
import { inReportMode, wouldDoSentences } from "./report-mode";

/**
 * The decision in a sentence or two a person reads first, led by its most telling finding. In report
 * mode it says that nothing was changed, and what would have been.
 */
export function whatHappened(record: NotifiedDecision, timeLeft: string | undefined): string {
  const told = leadSentence(record, timeLeft);
  if (!inReportMode(record) || headline(record) === "report-only") return told;
  return `${told} Report mode: nothing in AWS was changed.`;
}

function leadSentence(record: NotifiedDecision, timeLeft: string | undefined): string {
  const by = record.approval?.by ?? "a person";
  switch (headline(record)) {
    case "report-only":
      return wouldDoSentences(record);
    case "denied":
      return unfinished(record) ?? `${by} denied the request, so it was rejected.`;
    case "route-conflict":
      return record.action === "reject"
        ? (unfinished(record) ??
            "The request was rejected: a route already in a selected route table is in the way of a route the request needs (see the conflicting routes).")
        : "The connection is active, but a route already in a selected route table is in the way of a route it needs: that route was not created (see the conflicting routes).";
    case "quota":
      return record.action === "reject"
        ? (unfinished(record) ??
            "The request was rejected: accepting it would go over a quota, a route table's routes or the accepter VPC's active peering connections (see the reasons).")
        : "The connection is active, but a route table it is routed in has no room left under its quota: the routes that do not fit were not created (see the reasons).";
    case "rejected":
      return unfinished(record) ?? "The request was rejected (see the reasons).";
    case "approved":
      return (
        unfinished(record) ??
        `${by} approved the request, so it was accepted${record.routes.created.length > 0 ? " and routed" : ""}.`
      );
    case "expired":
      return "The request expired while it was waiting for a person: it can no longer be accepted. If the peering is still wanted, the requester must request it again.";
    case "expiring-soon":
      return `The request is still pending and expires at ${record.expiresAt} (${timeLeft ?? "time left unknown"}). Unanswered, EC2 expires it and it must be requested again.`;
    case "approval-not-understood":
      return `The ${APPROVAL_TAG} tag on the connection says neither approve nor deny, so nothing changed: the request still waits for an answer.`;
    case "awaiting-approval":
      return inReportMode(record)
        ? `Rule '${record.rule}' approves this request and asks a person to approve or deny it. In report mode an answer is decided and reported too, but not carried out.`
        : `Rule '${record.rule}' approves this request and asks a person to approve or deny it. Nothing is accepted or routed until then; the planned routes are what approval creates.`;
    case "approval-not-applicable":
      return `A ${APPROVAL_TAG} tag was set on the connection, but it changes nothing (see the reasons).`;
    case "cidr-not-allowed":
      return "The requester VPC has a CIDR that the governing rule does not allow: that CIDR is not routed.";
    case "reach-outside-vpc":
      return "The rule routes explicit blocks of the peer, and at least one of them is not inside the peer VPC's CIDRs: it is not routed (see the reasons).";
    case "outside-policy":
      return record.status === "pending-acceptance"
        ? "No rule approves this request, and the policy leaves such requests pending: it waits for someone to accept or reject it by hand, or to expire."
        : `The connection is ${record.status}, but no rule of the policy governs it: nothing is routed for it.`;
    case "decided":
      return `The service decided: ${record.action}.`;
  }
}

/** An accept or reject that carrying out did not get as far as doing (the record says why). */
function unfinished(record: NotifiedDecision): string | undefined {
  const done = record.action === "accept" ? "accepted" : "rejected";
  if (record.connection === done) return undefined;
  const by = record.approval
    ? ` (${record.approval.answer === "deny" ? "denied" : "approved"} by ${record.approval.by})`
    : "";
  return `The service decided to ${record.action} the request${by}, but has not ${done} it yet (see the problem): it tries again.`;
}
