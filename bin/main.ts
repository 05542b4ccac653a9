import { parseArgs } from "node:util";
import { ACCOUNT_ID, CONNECTION_ID } from "../shared/aws-ids";
import { PolicyError } from "../shared/policy/policy-error";
import { type Answer, MAX_REASON_LENGTH } from "./answer-plan";
import { checkPolicies, formatPolicyError } from "./check";
import { type ExplainSource, explain } from "./explain";
import { EXIT, InputError, type Io, PLAN_EXIT, UsageError } from "./io";
import { listPending } from "./pending";
import { type PlanFormat, planCommand, planDiffCommand } from "./plan";

export const USAGE = `peering: understand a peering-autopilot policy before trusting the service with it, see
what a pass would change and what waits for an answer, and answer it.

Usage: npm run peering -- <command> [options]      (or: npx tsx bin/peering.ts <command> [options])

Commands:
  check [policy-file ...]
      Load and validate each policy file as the service does and summarise its rules (accepter
      accounts and regions, requester accounts and CIDRs, route tables, unmatched). Problems are
      printed to stderr, one per line, naming the rule and the field. Default file: $POLICY_PATH,
      else policy.yml. For the CI of a policy repository.

  check --least-access [policy-file ...]
      Whether each rule's routes are least access (CIS AWS Foundations: routing tables for VPC
      peering are least access): one WHOLE VPC line per side whose route tables get routes while the
      peer's reach is vpc (every peer VPC CIDR), naming the rule and the tables; rules that route only
      peer subnets or explicit CIDRs, or no tables, are listed as least access. Offline. Exits 1 when
      any rule routes a whole peer VPC, as for an invalid policy; 0 when every rule is least access.

  explain --file <facts.json> [--accepter-cidrs <cidr,...>] [--policy <file>] [--json]
      Explain offline what the service would decide. The file holds either DecisionFacts
      (connection, accepterCidrs, accepterRouteTables, requesterRouteTables) or one connection as
      'aws ec2 describe-vpc-peering-connections' prints it (the whole output with one connection, or
      the connection alone); a connection has no route tables, so then no route plan is computed.

  explain <pcx-id> --account <accepter account> --region <accepter region> [--policy <file>] [--json]
      Read the connection where it is accepted, the accepter VPC's CIDRs and both sides' route tables
      with your AWS credentials, as the service reads them (assuming $ASSUME_ROLE_NAME, with
      $ASSUME_ROLE_EXTERNAL_ID, into other accounts the policy names), and explain the decision.
      Read-only: it calls only sts:GetCallerIdentity, sts:AssumeRole, ec2:DescribeVpcPeeringConnections,
      ec2:DescribeVpcs, ec2:DescribeRouteTables, (when a rule routes to subnets) ec2:DescribeSubnets and
      (when a rule opens security groups) ec2:DescribeSecurityGroups and ec2:DescribeSecurityGroupRules.
      It never accepts, rejects, routes or tags anything.
      Where your credentials cannot read a side that the service's role could, that side is reported
      as not managed. A connection not yet visible is waited for up to $VISIBLE_WAIT_SECONDS (30).

  pending [--account <accepter account>] [--region <accepter region>] [--policy <file>] [--json]
      List every pending-acceptance request in the accepter account-regions the policy names (for a
      rule that names no regions: --region, else $SWEEP_REGIONS, else $AWS_REGION), read with your AWS
      credentials as the service's reconciler reads them and decided as it would decide them: per
      request the requester and accepter (account, region, VPC, CIDRs), the action the service would
      take and why, the rule, whether it awaits approval, and the time left before it expires,
      soonest expiry first. --account and --region narrow the listing. Read-only, as explain.

  plan [--account <accepter account>] [--region <accepter region>] [--policy <file>] [--json]
       [--format text|mermaid|dot]
      What a full reconciler pass would change now: every connection in the accepter account-regions
      the policy names (narrowed as pending narrows them), read with your AWS credentials through the
      reconciler's own bulk reads and decided as it would decide them, its decisions carried out on
      paper only. Printed grouped by action (accept, reject, maintain, cleanup, and await-approval,
      which people act on): per connection the action, rule, status, reasons, the routes to create and
      to remove (side, account, region, route table, destination) and DNS changes; then the orphan
      blackhole routes the pass removes; then the decisions in report mode, which would change
      something if enforced (not counted as changes); then totals. --policy plans with another policy
      over the same organisation. --format mermaid|dot prints the peering graph instead (not with
      --json). Read-only, as explain.

  plan --least-access [--account <accepter account>] [--region <accepter region>] [--policy <file>] [--json]
      The same live read and pass on paper, reported for an auditor: per connection decided, every
      route to it that exists now and every route the next pass would create, each flagged 'whole
      VPC' when its destination is one of the peer VPC's CIDRs (or contains one), else 'narrow'; then
      totals: routes now, of which whole-VPC, and after the next pass, of which whole-VPC (in report
      mode the pass changes nothing). Orphan blackhole routes are not counted. Not with --diff or
      --format. Exits 0 when no route to a peering connection routes a whole peer VPC now, 3 when
      some do (not 2, which means changes), 1 on an error as plan. Read-only, as explain.

  plan --diff <old-policy> <new-policy> [--account <accepter account>] [--region <accepter region>] [--json]
      Plan with each policy over one live read of the organisation and print only what differs, per
      connection: its action, its mode (report or enforce), the routes and DNS changes one plan makes
      and the other does not; then orphan blackhole routes and totals. For the CI of a policy
      repository: the impact of a change on the live organisation. Read-only, as explain.

      plan exits as Terraform's -detailed-exitcode: 0 nothing to change (report-only decisions do not
      count; --diff: no difference), 2 changes (--diff: differences), 1 on an error: an invalid policy,
      an AWS error, an account-region or a connection that could not be read (after printing the
      rest), and a usage error (1, not 2, since 2 means changes). --least-access: 0 least access,
      3 whole-VPC routes now, 1 on an error.

  approve <pcx-id> --account <accepter account> --region <accepter region> [--reason <text>] [--policy <file>]
  deny <pcx-id> --account <accepter account> --region <accepter region> [--reason <text>] [--policy <file>]
      Answer a request that a rule with 'approval: required' holds for a person. The request is first
      read and decided as the service would (as explain does); the command refuses, changing nothing,
      unless it is pending-acceptance, an approval rule matches it, and the answer would make the
      service accept (approve) or reject (deny) it. It then tags the connection, with your own
      credentials (a principal of the accepter account), in the accepter account and region:
      peering-approval=approve or peering-approval=deny, and with --reason also
      peering-approval-reason=<text> (at most 256 characters), which is recorded for people: the
      service does not act on it. Its only write is ec2:CreateTags: the service, reacting to the
      tag's event within seconds (or in its next pass over pending requests), accepts and routes, or
      rejects, the request. It prints what the service will do.

  help
      This text.

Options:
  --policy <file>   the policy to decide with (default: $POLICY_PATH, else policy.yml)
  --json            print the decision (explain), the requests (pending) or the plan (plan) as JSON
                    (notes and errors go to stderr)

Exit status (plan, check --least-access: see above): 0 when the command did its job, whatever the
decision; 1 on an invalid policy, bad input, an AWS error (pending: an account-region or a request that
could not be read, after listing the rest) or an answer refused; 2 on a usage error.`;

/** The whole CLI as a function of its arguments, so that tests run it in-process. Returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  const usageExit = command === "plan" ? PLAN_EXIT.usage : EXIT.usage;
  try {
    switch (command) {
      case undefined:
        throw new UsageError("no command given", { showUsage: true });
      case "help":
      case "--help":
      case "-h":
        return usage(io);
      case "check":
        return runCheck(args, io);
      case "explain":
        return await runExplain(args, io);
      case "pending":
        return await runPending(args, io);
      case "plan":
        return await runPlan(args, io);
      case "approve":
      case "deny":
        return await runAnswer(command, args, io);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    return report(error, io, usageExit);
  }
}

function runCheck(args: string[], io: Io): number {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, "least-access": { type: "boolean" } },
      allowPositionals: true,
    }),
  );
  if (values.help) return usage(io);
  return checkPolicies(positionals.length > 0 ? positionals : [defaultPolicyFile()], io, {
    leastAccess: values["least-access"] ?? false,
  });
}

// The options of every command that reads a connection or an account-region live.
const LIVE_OPTIONS = {
  policy: { type: "string" },
  account: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function runExplain(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: {
        ...LIVE_OPTIONS,
        file: { type: "string" },
        json: { type: "boolean" },
        "accepter-cidrs": { type: "string" },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) return usage(io);
  if (positionals.length > 1) throw new UsageError("explain takes one connection id");
  const accepterCidrs = values["accepter-cidrs"]
    ?.split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const source = explainSource(positionals[0], values);
  const policyFile = values.policy ?? defaultPolicyFile();
  if (accepterCidrs && source.kind !== "file") {
    throw new UsageError("--accepter-cidrs is for explaining a file; live, they are read from DescribeVpcs");
  }
  return explain(
    { source, policyFile, json: values.json ?? false, ...(accepterCidrs && { accepterCidrs }) },
    io,
  );
}

async function runPending(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: { ...LIVE_OPTIONS, json: { type: "boolean" } },
      allowPositionals: true,
    }),
  );
  if (values.help) return usage(io);
  if (positionals.length > 0) throw new UsageError("pending takes no arguments, only options");
  if (values.account !== undefined) accountId(values.account);
  return listPending(
    {
      policyFile: values.policy ?? defaultPolicyFile(),
      json: values.json ?? false,
      ...(values.account !== undefined && { account: values.account }),
      ...(values.region !== undefined && { region: values.region }),
    },
    io,
  );
}

const FORMATS: readonly PlanFormat[] = ["text", "mermaid", "dot"];

async function runPlan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: {
        ...LIVE_OPTIONS,
        json: { type: "boolean" },
        format: { type: "string" },
        diff: { type: "boolean" },
        "least-access": { type: "boolean" },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) return usage(io);
  if (values.account !== undefined) accountId(values.account);
  const scope = {
    ...(values.account !== undefined && { account: values.account }),
    ...(values.region !== undefined && { region: values.region }),
  };
  const json = values.json ?? false;
  const leastAccess = values["least-access"] ?? false;
  if (leastAccess && values.diff) throw new UsageError("--least-access reports one plan, not a --diff");
  if (leastAccess && values.format !== undefined) {
    throw new UsageError("--least-access prints a report (or --json), not a --format");
  }
  if (values.diff) {
    if (values.format !== undefined) throw new UsageError("--format is not for --diff");
    if (values.policy !== undefined) throw new UsageError("--diff takes its two policy files, not --policy");
    const [oldPolicyFile, newPolicyFile, ...more] = positionals;
    if (oldPolicyFile === undefined || newPolicyFile === undefined || more.length > 0) {
      throw new UsageError("--diff takes two policy files: the old one, then the new one");
    }
    return planDiffCommand({ oldPolicyFile, newPolicyFile, json, ...scope }, io);
  }
  if (positionals.length > 0)
    throw new UsageError("plan takes no arguments, only options (or --diff <old> <new>)");
  const format = planFormat(values.format);
  if (json && format !== "text") throw new UsageError(`--json prints the plan itself, not a ${format} graph`);
  return planCommand(
    { policyFile: values.policy ?? defaultPolicyFile(), json, format, leastAccess, ...scope },
    io,
  );
}

function planFormat(format: string | undefined): PlanFormat {
  if (format === undefined) return "text";
  const known = FORMATS.find((f) => f === format);
  if (!known) throw new UsageError(`--format '${format}' is not one of ${FORMATS.join(", ")}`);
  return known;
}

async function runAnswer(answer: Answer, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: { ...LIVE_OPTIONS, reason: { type: "string" } },
      allowPositionals: true,
    }),
  );
  if (values.help) return usage(io);
  const [connectionId, ...more] = positionals;
  if (connectionId === undefined) throw new UsageError(`${answer} needs a connection id`);
  if (more.length > 0) throw new UsageError(`${answer} takes one connection id`);
  pcxId(connectionId);
  const { account, region, reason } = values;
  if (account === undefined || region === undefined) {
    throw new UsageError(`${answer} needs the --account and --region of the connection's accepter`);
  }
  accountId(account);
  if (reason !== undefined) {
    if (reason.trim() === "") throw new UsageError("--reason is empty");
    const length = [...reason].length;
    if (length > MAX_REASON_LENGTH) {
      throw new UsageError(
        `--reason holds ${length} characters; a tag value holds at most ${MAX_REASON_LENGTH}`,
      );
    }
  }
  // Imported here so that `check` and offline explanations do not wait for the AWS SDK to load.
  const { answerRequest } = await import("./answer");
  return answerRequest(
    {
      answer,
      connectionId,
      account,
      region,
      policyFile: values.policy ?? defaultPolicyFile(),
      ...(reason !== undefined && { reason }),
    },
    io,
  );
}

function pcxId(connectionId: string): void {
  if (!CONNECTION_ID.test(connectionId)) {
    throw new UsageError(`'${connectionId}' is not a peering connection id (pcx-…)`);
  }
}

function accountId(account: string): void {
  if (!ACCOUNT_ID.test(account)) throw new UsageError(`--account '${account}' is not a 12-digit account id`);
}

function explainSource(
  connectionId: string | undefined,
  values: { file?: string; account?: string; region?: string },
): ExplainSource {
  const { file, account, region } = values;
  if (file !== undefined) {
    if (connectionId !== undefined) throw new UsageError("give --file or a connection id, not both");
    if (account !== undefined || region !== undefined) {
      throw new UsageError("--account and --region are for explaining a connection live");
    }
    return { kind: "file", file };
  }
  if (connectionId === undefined)
    throw new UsageError("explain needs --file <facts.json> or a connection id");
  pcxId(connectionId);
  if (account === undefined || region === undefined) {
    throw new UsageError("explaining a connection live needs the --account and --region of its accepter");
  }
  accountId(account);
  return { kind: "live", connectionId, account, region };
}

// The same default as the service's configuration; an empty variable counts as unset here.
function defaultPolicyFile(): string {
  return process.env.POLICY_PATH || "policy.yml";
}

/** parseArgs throws TypeErrors for unknown or incomplete options; those are usage errors. */
function parse<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function usage(io: Io): number {
  for (const line of USAGE.split("\n")) io.out(line);
  return EXIT.ok;
}

function report(error: unknown, io: Io, usageExit: number): number {
  const lines = (text: string) => {
    for (const line of text.split("\n")) io.err(line);
  };
  if (error instanceof UsageError) {
    lines(`error: ${error.message}`);
    if (error.showUsage) lines(USAGE);
    else lines("run 'npm run peering -- help' for usage");
    return usageExit;
  }
  if (error instanceof PolicyError) {
    lines(formatPolicyError(error).join("\n"));
    return EXIT.failed;
  }
  if (error instanceof InputError) {
    lines(`error: ${error.message}`);
    return EXIT.failed;
  }
  if (!(error instanceof Error)) {
    lines(`error: ${String(error)}`);
    return EXIT.failed;
  }
  // An AWS service error is named after its code (AccessDenied, ExpiredToken, …), which its message
  // often leaves out; other names (Error, CredentialsProviderError, …) are classes that tell a user nothing.
  const fromService = "$fault" in error;
  lines(fromService ? `error: ${error.name}: ${error.message}` : `error: ${error.message}`);
  return EXIT.failed;
}
