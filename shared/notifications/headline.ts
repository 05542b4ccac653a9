import type { Finding } from "../decision/decision";
import type { NotifiedDecision } from "./decision-event";
import { inReportMode, wouldDoPhrase } from "./report-mode";

/**
 * The one finding a notification leads with when a decision has several: what a person must act on,
 * or the news that ends the story, comes first (a denial before the rejection it caused, an expiry
 * before the approval still awaited). A decision in report mode that would have changed something
 * leads with that, so that no message about it reads as if it had been carried out.
 */
const LEAD_ORDER: readonly Finding[] = [
  "report-only",
  "denied",
  "route-conflict",
  "quota",
  "rejected",
  "approved",
  "expired",
  "expiring-soon",
  "approval-not-understood",
  "awaiting-approval",
  "approval-not-applicable",
  "cidr-not-allowed",
  "reach-outside-vpc",
  "outside-policy",
];

export type Headline = Finding | "decided";

/** The finding a decision's notification leads with; "decided" for a record that carries none. */
export function headline(record: Pick<NotifiedDecision, "findings">): Headline {
  return LEAD_ORDER.find((finding) => record.findings.includes(finding)) ?? "decided";
}

/** What the lead finding says, in a few words for a subject line; a subject in report mode says so. */
export function headlinePhrase(record: NotifiedDecision, timeLeft: string | undefined): string {
  const lead = headline(record);
  const phrase = leadPhrase(record, lead, timeLeft);
  return inReportMode(record) && lead !== "report-only" ? `${phrase} (report mode)` : phrase;
}

function leadPhrase(record: NotifiedDecision, lead: Headline, timeLeft: string | undefined): string {
  switch (lead) {
    case "report-only":
      return `report mode, ${wouldDoPhrase(record)}`;
    case "denied":
      return "denied";
    case "route-conflict":
      return record.action === "reject" ? "rejected, route conflict" : "route conflict";
    case "quota":
      return record.action === "reject" ? "rejected, quota reached" : "quota reached";
    case "rejected":
      return "rejected";
    case "approved":
      return "approved";
    case "expired":
      return "expired unanswered";
    case "expiring-soon":
      return timeLeft ? `expiring soon (${timeLeft})` : "expiring soon";
    case "approval-not-understood":
      return "approval not understood";
    case "awaiting-approval":
      return "awaiting approval";
    case "approval-not-applicable":
      return "approval not applicable";
    case "cidr-not-allowed":
      return "CIDR not allowed";
    case "reach-outside-vpc":
      return "destination outside the peer VPC";
    case "outside-policy":
      return "outside policy";
    case "decided":
      return `decided (${record.action})`;
  }
}
