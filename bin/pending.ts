import { loadConfig } from "../shared/config";
import { loadPolicy } from "../shared/policy/load-policy";
import type { PendingReadFailure } from "../shared/workflow/pending-requests";
import { type SweepTarget, sweepTargets } from "../shared/workflow/sweep-targets";
import { EXIT, InputError, type Io } from "./io";
import { bySoonestExpiry, formatPendingView, toPendingView } from "./pending-view";

export interface PendingOptions {
  policyFile: string;
  /** Only this accepter account; every one the policy names when absent. */
  account?: string;
  /** Only this accepter region; for rules that name no regions, the region swept in their place. */
  region?: string;
  json: boolean;
}

/**
 * `pending`: every pending request in the accepter account-regions the policy names, read live as the
 * reconciler reads them and decided as it would decide them, soonest expiry first. Read-only. Exits 1
 * when an account-region or a request could not be read, after printing what could.
 */
export async function listPending(options: PendingOptions, io: Io): Promise<number> {
  const policy = loadPolicy(options.policyFile);
  const config = loadConfig();
  const targets = sweepTargets(policy, options.region ? [options.region] : config.sweepRegions).filter(
    (t) =>
      (options.account === undefined || t.account === options.account) &&
      (options.region === undefined || t.region === options.region),
  );
  if (targets.length === 0) {
    if (options.account === undefined && options.region === undefined) {
      io.out(`${options.policyFile} names no accepter account: the service sweeps nothing`);
      return EXIT.ok;
    }
    throw new InputError(`${options.policyFile} names no accepter ${describeFilter(options)}`);
  }

  // Imported here so that `check` and offline explanations do not wait for the AWS SDK to load.
  const { openCallerSessions } = await import("./live-facts");
  const { readPendingRequests } = await import("../shared/workflow/pending-requests");
  const { sessions, caller } = await openCallerSessions([policy], options.region ?? config.region);
  const { requests, failures } = await readPendingRequests(
    {
      policy,
      sessions,
      concurrency: config.sweepConcurrency,
      now: () => new Date(),
      quotas: config.quotas,
    },
    targets,
  );
  const views = requests.map(toPendingView).sort(bySoonestExpiry);

  if (options.json) {
    const failed = failures.map(({ error, ...where }) => ({ ...where, error: describeError(error) }));
    io.out(JSON.stringify({ requests: views, failures: failed }, null, 2));
  } else {
    const lines = [
      `Policy: ${options.policyFile}`,
      `Source: AWS, read as ${caller.arn} (read-only: nothing was changed)`,
      `Accepter account-regions: ${targets.map(describeTarget).join(", ")}`,
      views.length === 0 ? "No pending requests." : `Pending requests: ${views.length}, soonest expiry first`,
      ...views.flatMap((view) => ["", ...formatPendingView(view)]),
    ];
    for (const line of lines) io.out(line);
  }
  for (const failure of failures) io.err(`error: ${describeFailure(failure)}`);
  return failures.length > 0 ? EXIT.failed : EXIT.ok;
}

function describeFilter({ account, region }: Pick<PendingOptions, "account" | "region">): string {
  if (account !== undefined && region !== undefined) return `account-region ${account} ${region}`;
  return account !== undefined ? `account ${account}` : `account in region ${region}`;
}

function describeTarget(target: SweepTarget): string {
  return `${target.account} ${target.region}`;
}

function describeFailure({ account, region, connectionId, error }: PendingReadFailure): string {
  const what = connectionId
    ? `${connectionId} in account ${account} region ${region} could not be read`
    : `account ${account} region ${region} could not be listed`;
  return `${what}: ${describeError(error)}`;
}

// An AWS service error is named after its code, which its message often leaves out.
function describeError(error: Error): string {
  return "$fault" in error ? `${error.name}: ${error.message}` : error.message;
}
