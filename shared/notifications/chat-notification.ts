import { answerCommands, awaitsAnswer, explainCommand, REPORT_MODE_ANSWER } from "./answer-commands";
import type { NotifiedDecision } from "./decision-event";
import { fitLines } from "./fit-lines";
import { type Headline, headline } from "./headline";
import { inReportMode, wouldEnableDns } from "./report-mode";
import { describeRoute, describeRule, firstOf, routeLists, ruleLists } from "./route-lists";
import { whatHappened } from "./what-happened";

/**
 * A custom notification of Amazon Q Developer in chat applications (formerly AWS Chatbot), which
 * renders it in Slack, Microsoft Teams or Amazon Chime when it arrives on a topic the channel follows.
 */
export interface ChatNotification {
  version: "1.0";
  source: "custom";
  id?: string;
  content: {
    textType?: "client-markdown";
    title?: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata?: {
    threadId?: string;
    summary?: string;
    eventType?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

// The smallest text block the chat platforms render a description into (a Slack section) holds
// 3,000 characters: a longer description is cut short by the service rather than by the platform.
export const DESCRIPTION_MAX = 3_000;
const REASONS_SHOWN = 10;
const ROUTES_SHOWN = 10;
const CUT_SHORT = "_(cut short: the email and the decision record have all of it)_";

const EMOJI: Record<Headline, string> = {
  "report-only": ":memo:",
  denied: ":no_entry:",
  "route-conflict": ":warning:",
  quota: ":warning:",
  rejected: ":no_entry_sign:",
  approved: ":white_check_mark:",
  expired: ":hourglass:",
  "expiring-soon": ":hourglass_flowing_sand:",
  "approval-not-understood": ":question:",
  "awaiting-approval": ":raised_hand:",
  "approval-not-applicable": ":information_source:",
  "cidr-not-allowed": ":warning:",
  "reach-outside-vpc": ":warning:",
  "outside-policy": ":grey_question:",
  decided: ":information_source:",
};

export interface ChatInput {
  record: NotifiedDecision;
  subject: string;
  timeLeft: string | undefined;
  /** The EventBridge event's id: the notification's unique id. */
  eventId?: string;
}

/**
 * The decision as a chat notification. Messages about one connection share a thread (its id), and the
 * metadata names the connection and where to answer it, so that a channel's custom actions can use them.
 */
export function chatNotification({ record, subject, timeLeft, eventId }: ChatInput): ChatNotification {
  const lead = headline(record);
  const { connectionId, accepter, requester } = record;
  return {
    version: "1.0",
    source: "custom",
    ...(eventId && { id: eventId }),
    content: {
      textType: "client-markdown",
      title: `${EMOJI[lead]} ${safe(subject)}`,
      description: description(record, timeLeft),
      nextSteps: nextSteps(record),
      keywords: [
        lead,
        record.action,
        ...(inReportMode(record) ? ["report-mode"] : []),
        ...(record.rule ? [record.rule] : []),
      ],
    },
    metadata: {
      threadId: connectionId,
      summary: safe(subject),
      eventType: `peering-${lead}`,
      relatedResources: [connectionId, accepter.vpcId, requester.vpcId],
      additionalContext: {
        connectionId,
        action: record.action,
        mode: record.mode,
        ...(record.findings.length > 0 && { findings: record.findings.join(",") }),
        accepterAccount: accepter.account,
        accepterRegion: accepter.region,
        requesterAccount: requester.account,
        requesterRegion: requester.region,
        ...(record.rule && { rule: record.rule }),
      },
    },
  };
}

function description(record: NotifiedDecision, timeLeft: string | undefined): string {
  const { requester, accepter, approval } = record;
  const lines = [
    safe(whatHappened(record, timeLeft)),
    `*Requester:* ${side(requester)}`,
    `*Accepter:* ${side(accepter)}`,
    ...(inReportMode(record) ? ["*Mode:* report: nothing in AWS was changed"] : []),
    ...(record.rule ? [`*Rule:* ${code(record.rule)}`] : []),
    ...(record.expiresAt ? [`*Expires:* ${record.expiresAt}${timeLeft ? ` (${timeLeft})` : ""}`] : []),
    ...(approval ? [`*${approval.answer === "deny" ? "Denied" : "Approved"} by:* ${code(approval.by)}`] : []),
    ...list("Reasons", firstOf(record.reasons, REASONS_SHOWN, safe)),
    ...routeLists(record).flatMap((routes) =>
      list(
        routes.label,
        firstOf(routes.routes, ROUTES_SHOWN, (route) => code(describeRoute(route))),
      ),
    ),
    ...ruleLists(record).flatMap((rules) =>
      list(
        rules.label,
        firstOf(rules.rules, ROUTES_SHOWN, (rule) => code(describeRule(rule))),
      ),
    ),
    ...list(
      "Would enable remote DNS resolution (report mode: not enabled)",
      wouldEnableDns(record).map(code),
    ),
    ...list(
      "Not managed",
      Object.entries(record.unmanaged).map(([name, why]) => `${name}: ${safe(why ?? "")}`),
    ),
    ...(record.error ? [`*Problem:* ${safe(record.error.message)}; the service tries again.`] : []),
  ];
  return fitLines(lines, DESCRIPTION_MAX, CUT_SHORT).join("\n");
}

function nextSteps(record: NotifiedDecision): string[] {
  const explain = `See why: ${code(explainCommand(record))}`;
  if (!awaitsAnswer(record)) return [explain];
  const commands = answerCommands(record);
  return [
    `Approve: ${code(commands.approve)}`,
    `Deny: ${code(commands.deny)} (add ${code('--reason "..."')} to say why)`,
    `Without the repository, in account ${commands.account}: ${code(commands.approveByTag)} (or ${code("Value=deny")})`,
    ...(inReportMode(record) ? [REPORT_MODE_ANSWER] : []),
    explain,
  ];
}

function side(s: NotifiedDecision["requester"]): string {
  const cidrs = s.cidrs.length > 0 ? s.cidrs.map(code).join(", ") : "none read";
  return `account ${code(s.account)}, region ${code(s.region)}, VPC ${code(s.vpcId)}, CIDRs ${cidrs}`;
}

function list(title: string, items: string[]): string[] {
  return items.length > 0 ? [`*${title}:*`, ...items.map((item) => `- ${item}`)] : [];
}

/**
 * Text from the record as chat text: angle brackets are what Slack's links and mentions are made of, so
 * a tag value or a principal name can never become a link or ping a channel.
 */
function safe(text: string): string {
  return text.replace(/</g, "‹").replace(/>/g, "›");
}

/** An inline code span; a backtick inside would end it early. */
function code(text: string): string {
  return `\`${safe(text).replace(/`/g, "'")}\``;
}
