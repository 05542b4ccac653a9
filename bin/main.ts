import { parseArgs } from "node:util";
import { PolicyError } from "../shared/policy/policy-error";
import { checkPolicies, formatPolicyError } from "./check";
import { type ExplainSource, explain } from "./explain";
import { EXIT, InputError, type Io, UsageError } from "./io";

export const USAGE = `peering: understand a peering-autopilot policy before trusting the service with it.

Usage: npm run peering -- <command> [options]      (or: npx tsx bin/peering.ts <command> [options])

Commands:
  check [policy-file ...]
      Load and validate each policy file as the service does and summarise its rules (accepter
      accounts and regions, requester accounts and CIDRs, route tables, unmatched). Problems are
      printed to stderr, one per line, naming the rule and the field. Default file: $POLICY_PATH,
      else policy.yml. For the CI of a policy repository.

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
      ec2:DescribeVpcs and ec2:DescribeRouteTables. It never accepts, rejects, routes or tags anything.
      Where your credentials cannot read a side that the service's role could, that side is reported
      as not managed. A connection not yet visible is waited for up to $VISIBLE_WAIT_SECONDS (30).

  help
      This text.

Options:
  --policy <file>   the policy to decide with (default: $POLICY_PATH, else policy.yml)
  --json            print the decision as JSON (notes go to stderr)

Exit status: 0 when the command did its job, whatever the decision; 1 on an invalid policy, bad input
or an AWS error; 2 on a usage error.`;

/** The whole CLI as a function of its arguments, so that tests run it in-process. Returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
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
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    return report(error, io);
  }
}

function runCheck(args: string[], io: Io): number {
  const { values, positionals } = parse(() =>
    parseArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true }),
  );
  if (values.help) return usage(io);
  return checkPolicies(positionals.length > 0 ? positionals : [defaultPolicyFile()], io);
}

async function runExplain(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args,
      options: {
        file: { type: "string" },
        policy: { type: "string" },
        account: { type: "string" },
        region: { type: "string" },
        json: { type: "boolean" },
        "accepter-cidrs": { type: "string" },
        help: { type: "boolean", short: "h" },
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
  if (!/^pcx-[0-9a-f]+$/.test(connectionId)) {
    throw new UsageError(`'${connectionId}' is not a peering connection id (pcx-…)`);
  }
  if (account === undefined || region === undefined) {
    throw new UsageError("explaining a connection live needs the --account and --region of its accepter");
  }
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account '${account}' is not a 12-digit account id`);
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

function report(error: unknown, io: Io): number {
  const lines = (text: string) => {
    for (const line of text.split("\n")) io.err(line);
  };
  if (error instanceof UsageError) {
    lines(`error: ${error.message}`);
    if (error.showUsage) lines(USAGE);
    else lines("run 'npm run peering -- help' for usage");
    return EXIT.usage;
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
