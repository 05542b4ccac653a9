import { answerCommands, awaitsAnswer, explainCommand, REPORT_MODE_ANSWER } from "./answer-commands";
import type { NotifiedDecision } from "./decision-event";
import { fitLines } from "./fit-lines";
import { inReportMode, wouldEnableDns } from "./report-mode";
import { describeRoute, describeRule, firstOf, routeLists, ruleLists } from "./route-lists";
import { whatHappened } from "./what-happened";

// Enough for any real request; a policy or plan larger than this is summarised, not pasted.
const REASONS_SHOWN = 50;
const ROUTES_SHOWN = 50;
// Two copies of the text (email and default) and the chat bodies must fit in one SNS message (256 KiB),
// whatever the characters: the details are cut short past this many.
export const TEXT_MAX = 30_000;
const CUT_SHORT = "(cut short: the decision record, on the service's bus, has all of it)";
const INDENT = "  ";
// The longest label ("Approved by") and two spaces: every email lines its facts up the same way.
const LABEL_WIDTH = 13;

export interface TextInput {
  record: NotifiedDecision;
  subject: string;
  timeLeft: string | undefined;
}

/** The decision in plain words, for email: what happened, who and where, why, the routes, what to do. */
export function emailText({ record, subject, timeLeft }: TextInput): string {
  const head = [[subject], [whatHappened(record, timeLeft)], facts(record, timeLeft)];
  const details = [
    titled(
      "Reasons",
      firstOf(record.reasons, REASONS_SHOWN, (reason) => `- ${reason}`),
    ),
    ...routeLists(record).map((list) =>
      titled(list.label, firstOf(list.routes, ROUTES_SHOWN, describeRoute)),
    ),
    ...ruleLists(record).map((list) => titled(list.label, firstOf(list.rules, ROUTES_SHOWN, describeRule))),
    titled("Would enable remote DNS resolution (report mode: not enabled)", wouldEnableDns(record)),
    titled(
      "Not managed",
      Object.entries(record.unmanaged).map(([side, why]) => `${side}: ${why}`),
    ),
    titled("Problem", record.error ? [problem(record.error)] : []),
  ];
  const tail = [
    awaitsAnswer(record) ? answering(record) : [],
    titled("To see why", [explainCommand(record)]),
  ];
  const room = TEXT_MAX - joined([...head, ...tail]).length - 2;
  const fitted = fitLines(joined(details).split("\n"), room, CUT_SHORT).join("\n");
  return `${joined([...head, ...(fitted ? [[fitted]] : []), ...tail])}\n`;
}

/** Sections with a blank line between them; empty ones left out. */
function joined(sections: string[][]): string {
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n");
}

function facts(record: NotifiedDecision, timeLeft: string | undefined): string[] {
  const { requester, accepter, approval } = record;
  const rows: [string, string | undefined][] = [
    ["Connection", `${record.connectionId} (status ${record.status}, decision ${record.action})`],
    ["Mode", inReportMode(record) ? "report: nothing in AWS was changed" : undefined],
    ["Requester", describeSide(requester)],
    ["Accepter", describeSide(accepter)],
    ["Rule", record.rule],
    ["Expires", record.expiresAt && `${record.expiresAt}${timeLeft ? ` (${timeLeft})` : ""}`],
    [approval?.answer === "deny" ? "Denied by" : "Approved by", approval?.by],
    ["Findings", record.findings.join(", ")],
  ];
  return rows.flatMap(([label, value]) => (value ? [`${label.padEnd(LABEL_WIDTH)}${value}`] : []));
}

function describeSide(side: NotifiedDecision["requester"]): string {
  const cidrs = side.cidrs.length > 0 ? side.cidrs.join(", ") : "none read";
  return `account ${side.account}, region ${side.region}, VPC ${side.vpcId}, CIDRs ${cidrs}`;
}

function problem(error: { name: string; message: string }): string {
  return `Carrying the decision out stopped part way (${error.name}: ${error.message}); the service tries again.`;
}

function answering(record: NotifiedDecision): string[] {
  const commands = answerCommands(record);
  return [
    "To answer",
    `${INDENT}Approve:  ${commands.approve}`,
    `${INDENT}Deny:     ${commands.deny}`,
    `${INDENT}          (add --reason "..." to say why)`,
    `${INDENT}Without the repository, tag the connection with credentials of account ${commands.account}:`,
    `${INDENT}${INDENT}${commands.approveByTag}`,
    `${INDENT}${INDENT}${commands.denyByTag}`,
    ...(inReportMode(record) ? [`${INDENT}${REPORT_MODE_ANSWER}`] : []),
  ];
}

function titled(title: string, lines: string[]): string[] {
  return lines.length > 0 ? [title, ...lines.map((line) => `${INDENT}${line}`)] : [];
}
