import { APPROVAL_TAG } from "../decision/approval-tag";
import type { NotifiedDecision } from "./decision-event";

/** The exact commands that answer a request waiting for a person, in the accepter account and region. */
export interface AnswerCommands {
  /** With the repository, as the README documents its command line (`npm run peering -- …`). */
  approve: string;
  deny: string;
  /** For people without the repository: the tag the service reads, set with the AWS CLI. */
  approveByTag: string;
  denyByTag: string;
  /** The account whose credentials the commands need. */
  account: string;
}

type Located = Pick<NotifiedDecision, "connectionId" | "accepter">;

export function answerCommands(record: Located): AnswerCommands {
  const { connectionId, accepter } = record;
  const where = `--account ${accepter.account} --region ${accepter.region}`;
  const tag = (answer: string) =>
    `aws ec2 create-tags --resources ${connectionId} --tags Key=${APPROVAL_TAG},Value=${answer} --region ${accepter.region}`;
  return {
    approve: `npm run peering -- approve ${connectionId} ${where}`,
    deny: `npm run peering -- deny ${connectionId} ${where}`,
    approveByTag: tag("approve"),
    denyByTag: tag("deny"),
    account: accepter.account,
  };
}

/** The read-only command that explains the decision from what EC2 shows now. */
export function explainCommand(record: Located): string {
  const { connectionId, accepter } = record;
  return `npm run peering -- explain ${connectionId} --account ${accepter.account} --region ${accepter.region}`;
}

/** What an answer does while the request's rule is in report mode. */
export const REPORT_MODE_ANSWER =
  "In report mode an answer is decided and reported like any other, but not carried out: nothing is accepted or rejected.";

/** Whether the decision leaves the request waiting for a person's answer. */
export function awaitsAnswer(record: Pick<NotifiedDecision, "action">): boolean {
  return record.action === "await-approval";
}
