import type { Action, Decision, Finding } from "../shared/decision/decision";
import { timeLeft } from "../shared/decision/expiry";
import type { PeeringSide } from "../shared/facts";
import type { PendingRequest } from "../shared/workflow/pending-requests";
import { describeSide } from "./format-decision";

/** One pending request as `pending` shows it, in text or as JSON. */
export interface PendingView {
  connectionId: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  /** What the service would do with the request now. */
  action: Action;
  /** `report`: the service decides it so but carries nothing out. */
  mode: Decision["mode"];
  rule?: string;
  reasons: string[];
  findings: Finding[];
  awaitsApproval: boolean;
  /** The rule that asks a person to answer, when the request awaits approval. */
  approvalRule?: string;
  expiresAt?: string;
  timeLeft?: string;
}

export function toPendingView({ decision, readAt }: PendingRequest): PendingView {
  const { connectionId, requester, accepter, action, mode, rule, reasons, findings, expiresAt } = decision;
  const awaitsApproval = action === "await-approval";
  return {
    connectionId,
    requester,
    accepter,
    action,
    mode,
    ...(rule !== undefined && { rule }),
    reasons,
    findings,
    awaitsApproval,
    ...(awaitsApproval && rule !== undefined && { approvalRule: rule }),
    ...(expiresAt !== undefined && {
      expiresAt,
      timeLeft: timeLeft(Date.parse(expiresAt) - Date.parse(readAt)),
    }),
  };
}

/** Soonest expiry first, since those need an answer first; a request without an expiry time last. */
export function bySoonestExpiry(a: PendingView, b: PendingView): number {
  const at = (view: PendingView) => (view.expiresAt ? Date.parse(view.expiresAt) : Number.POSITIVE_INFINITY);
  return at(a) - at(b) || a.connectionId.localeCompare(b.connectionId);
}

export function formatPendingView(view: PendingView): string[] {
  const expiry = view.expiresAt
    ? `${view.timeLeft} (expires ${view.expiresAt})`
    : "expiry unknown (EC2 gave no expiration time)";
  const { accepter } = view;
  const answer = `npm run peering -- approve|deny ${view.connectionId} --account ${accepter.account} --region ${accepter.region}`;
  return [
    `${view.connectionId}  ${expiry}`,
    `  requester  ${describeSide(view.requester)}`,
    `  accepter   ${describeSide(view.accepter)}`,
    `  action     ${view.action.toUpperCase()}${view.mode === "report" ? " (report mode: not carried out)" : ""}`,
    `  rule       ${view.rule ?? "(none)"}`,
    view.awaitsApproval
      ? `  approval   awaited: rule '${view.approvalRule}' asks a person (${answer})`
      : "  approval   not awaited",
    "  reasons",
    ...view.reasons.map((reason) => `    - ${reason}`),
  ];
}
