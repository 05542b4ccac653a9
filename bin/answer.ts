import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { APPROVAL_TAG } from "../shared/decision/approval-tag";
import type { Decision } from "../shared/decision/decision";
import { loadPolicy } from "../shared/policy/load-policy";
import { tagList } from "../shared/tags";
import { type Answer, APPROVAL_REASON_TAG, planAnswer } from "./answer-plan";
import { describeSide, planTable } from "./format-decision";
import { EXIT, InputError, type Io } from "./io";
import { readLiveFacts } from "./live-facts";

export interface AnswerOptions {
  answer: Answer;
  connectionId: string;
  /** Where the connection is accepted: the tag counts only there. */
  account: string;
  region: string;
  reason?: string;
  policyFile: string;
}

/**
 * `approve` / `deny`: answers a request parked for approval by tagging it `peering-approval`, with the
 * caller's own credentials, in the accepter account and region (CreateTags, nothing else). It first
 * reads and decides the request as the service would, and refuses when the answer would not be acted
 * on. The service, not this command, then accepts or rejects it.
 */
export async function answerRequest(options: AnswerOptions, io: Io): Promise<number> {
  const { answer, connectionId, account, region } = options;
  const policy = loadPolicy(options.policyFile);
  const refuse = (reasons: string[]) =>
    new InputError(
      [
        `cannot ${answer} ${connectionId} in account ${account} region ${region}: ${reasons[0]}`,
        ...reasons.slice(1).map((reason) => `  - ${reason}`),
      ].join("\n"),
    );

  const live = await readLiveFacts(policy, { connectionId, account, region });
  if (live.kind === "skipped") throw refuse([live.reason]);
  const { facts, caller, sessions } = live;
  const { accepter, status } = facts.connection;
  if (accepter.account !== account || accepter.region !== region) {
    throw refuse([
      `it is accepted in account ${accepter.account} region ${accepter.region}, where its tags count: answer it there (--account ${accepter.account} --region ${accepter.region})`,
    ]);
  }
  if (status !== "pending-acceptance") {
    throw refuse([`it is ${status}, not pending-acceptance: only a pending request can be answered`]);
  }
  const plan = planAnswer(facts, policy, answer, caller.arn);
  if (plan.kind === "refused") throw refuse(plan.reasons);
  // Tags on a connection apply only in the account that sets them: a role session would answer as the service.
  if (caller.account !== account) {
    throw refuse([
      `your credentials are of account ${caller.account}: the ${APPROVAL_TAG} tag counts only when a principal of the accepter account ${account} sets it`,
    ]);
  }

  const tags = {
    [APPROVAL_TAG]: answer,
    ...(options.reason !== undefined && { [APPROVAL_REASON_TAG]: options.reason }),
  };
  await sessions.ec2(account, region).send(
    new CreateTagsCommand({
      Resources: [connectionId],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );

  const { decision } = plan;
  const lines = [
    `Connection: ${connectionId} (${status})`,
    `  accepter   ${describeSide(decision.accepter)}`,
    `  requester  ${describeSide(decision.requester)}`,
    `Rule: ${decision.rule} (approval: required)`,
    `Tagged ${connectionId} in account ${account} region ${region} as ${caller.arn}: ${tagList(tags)}`,
  ];
  if (plan.previous !== undefined) lines.push(`  (${APPROVAL_TAG} was '${plan.previous}' before)`);
  const staleReason = facts.connection.tags[APPROVAL_REASON_TAG];
  if (options.reason === undefined && staleReason !== undefined) {
    lines.push(`  (${APPROVAL_REASON_TAG} still says '${staleReason}', from an earlier answer)`);
  }
  lines.push(
    ...whatHappensNext(decision),
    "The service reacts to the tag's event within seconds (onApprovalTag); should that event not reach it, its next pass over pending requests (every minute by default) does.",
  );
  for (const line of lines) io.out(line);
  return EXIT.ok;
}

function whatHappensNext(decision: Decision): string[] {
  if (decision.mode === "report") {
    // The answer is kept on the connection: once the rule is enforced, the next pass carries it out.
    return [
      `Report mode (rule '${decision.rule}'): the service will decide ${decision.connectionId} with this answer and report it, but change nothing in AWS until the rule is enforced. What it would do:`,
      ...carriedOut(decision).map(indent),
    ];
  }
  return carriedOut(decision).map((line, i) => (i === 0 ? `Next: the service will ${line}` : line));
}

function carriedOut(decision: Decision): string[] {
  const id = decision.connectionId;
  if (decision.action === "reject") {
    const removals = decision.removals.length;
    return [
      removals > 0 ? `reject ${id} and remove ${routes(removals)} that already target it.` : `reject ${id}.`,
    ];
  }
  const creating = decision.plan.filter((route) => route.status === "create").length;
  const lines = [`accept ${id} and create ${routes(creating)}:`];
  lines.push(...(decision.plan.length > 0 ? planTable(decision.plan) : ["(no routes planned)"]).map(indent));
  const dns = decision.dns.filter((change) => change.status === "enable").map((change) => change.side);
  if (dns.length > 0) lines.push(`  and enable remote DNS resolution on the ${dns.join(" and ")} side`);
  for (const [side, why] of Object.entries(decision.unmanaged)) {
    lines.push(`  ${side} side not managed: ${why}`);
  }
  return lines;
}

function routes(count: number): string {
  return count === 1 ? "1 route" : `${count} routes`;
}

function indent(line: string): string {
  return `  ${line}`;
}
