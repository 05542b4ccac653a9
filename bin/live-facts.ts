import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ConnectionNotFoundError } from "../shared/aws/read/read-errors";
import { AwsSessions } from "../shared/aws/sessions/sessions";
import { type Config, loadConfig } from "../shared/config";
import type { DecisionFacts } from "../shared/facts";
import { accountsNamed, isWatched } from "../shared/policy/match-rule";
import type { Policy } from "../shared/policy/schema";
import { readForDecision } from "../shared/workflow/read-for-decision";
import { InputError } from "./io";

export interface LiveTarget {
  connectionId: string;
  /** Where the connection is accepted: the service reads it there, so the CLI does too. */
  account: string;
  region: string;
}

/** Who the caller's credentials belong to. */
export interface Caller {
  account: string;
  /** The principal ARN, as a CloudTrail event of the caller's calls names it. */
  arn: string;
}

export type LiveFacts =
  /** `sessions` serve the caller's own account with the caller's own credentials (no role). */
  | { kind: "facts"; facts: DecisionFacts; caller: Caller; sessions: AwsSessions }
  /** The service would not decide this connection at all; `reason` says why. */
  | { kind: "skipped"; reason: string };

export interface CallerSessions {
  sessions: AwsSessions;
  caller: Caller;
  config: Config;
}

/**
 * The service's sessions with the caller's credentials standing in for the function's: the caller's
 * account plays the function's home account (its own credentials serve there), and other accounts
 * the policies name are reached through $ASSUME_ROLE_NAME, as the service reaches them.
 */
export async function openCallerSessions(
  policies: readonly Policy[],
  stsRegion: string,
): Promise<CallerSessions> {
  const config = loadConfig();
  const identity = await new STSClient({ region: stsRegion }).send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error("STS GetCallerIdentity returned no account");
  const sessions = new AwsSessions({
    homeAccount: identity.Account,
    roleName: config.roleName,
    ...(config.externalId && { externalId: config.externalId }),
    allowedAccounts: new Set(policies.flatMap((policy) => [...accountsNamed(policy)])),
    stsRegion,
  });
  return { sessions, caller: { account: identity.Account, arn: identity.Arn ?? identity.Account }, config };
}

/**
 * Reads what the service would read before deciding, with the caller's credentials standing in for the
 * function's. Only the service's read path is used (STS GetCallerIdentity and AssumeRole, EC2
 * DescribeVpcPeeringConnections, DescribeVpcs, DescribeRouteTables, DescribeSubnets, DescribeSecurityGroups,
 * DescribeSecurityGroupRules): nothing here accepts, rejects,
 * routes or tags, and the carry-out code is not even imported.
 */
export async function readLiveFacts(policy: Policy, target: LiveTarget): Promise<LiveFacts> {
  const { account, region } = target;
  // Decided before any AWS call, as the service does: not even the caller's identity is asked for.
  if (!isWatched(policy, account, region)) {
    const reason = `account ${account} region ${region} is not named in the policy: the service would leave the connection alone, without reading it or assuming any role`;
    return { kind: "skipped", reason };
  }
  const { sessions, caller, config } = await openCallerSessions([policy], region);
  try {
    // The service's own read phase, so that the CLI skips, and reads from, what the service would.
    const read = await readForDecision(target, {
      policy,
      sessions,
      waits: config.waits,
      now: () => new Date(),
      quotas: config.quotas,
    });
    if (read.kind === "skipped")
      return { kind: "skipped", reason: `${read.reason}: the service would leave it alone` };
    return { kind: "facts", facts: read.facts, caller, sessions };
  } catch (error) {
    // The service skips a connection it cannot see; here the user named it, so it is bad input.
    if (error instanceof ConnectionNotFoundError) throw new InputError(error.message);
    throw error;
  }
}
