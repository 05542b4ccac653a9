import { loadConfig } from "../shared/config";
import { loadPolicy } from "../shared/policy/load-policy";
import type { Policy } from "../shared/policy/schema";
import type { PassPlan } from "../shared/workflow/plan-pass";
import { type SweepTarget, sweepTargets } from "../shared/workflow/sweep-targets";
import { InputError, type Io, PLAN_EXIT } from "./io";
import { accessExitCode, accessReport, formatAccessReport } from "./least-access-plan";
import type { Caller } from "./live-facts";
import { diffPlans, formatPlanDiff, hasDifferences } from "./plan-diff";
import { type FailureView, formatPlanView, type PlanView, planChanges, toPlanView } from "./plan-view";

export type PlanFormat = "text" | "mermaid" | "dot";

/** Which accepter account-regions to read: every one the policy names, narrowed as `pending` narrows. */
export interface PlanScope {
  account?: string;
  region?: string;
}

export interface PlanOptions extends PlanScope {
  policyFile: string;
  json: boolean;
  format: PlanFormat;
  /** Report the routes to peering connections that route a whole peer VPC, instead of the changes. */
  leastAccess?: boolean;
}

export interface PlanDiffOptions extends PlanScope {
  oldPolicyFile: string;
  newPolicyFile: string;
  json: boolean;
}

/**
 * `plan`: what a full reconciler pass would change now, read live with the caller's credentials
 * through the pass's own bulk reads and decided as the pass decides. Read-only. Exits as Terraform's
 * -detailed-exitcode: 0 nothing to change, 2 changes, 1 when anything could not be read (after
 * printing what could).
 */
export async function planCommand(options: PlanOptions, io: Io): Promise<number> {
  const policy = loadPolicy(options.policyFile);
  const targets = targetsOf(policy, options);
  if (targets.length === 0) return nothingToRead([options.policyFile], options, io);
  const { plan, caller } = await readPlan(policy, options);
  if (options.leastAccess) return printAccessReport(plan, caller, options, io);
  const view = toPlanView(plan);

  if (options.format !== "text") {
    // Imported here so that text and JSON plans do not load the drawing code.
    const { planGraph } = await import("./plan-graph");
    io.out(planGraph(plan, options.format));
  } else if (options.json) {
    io.out(JSON.stringify({ policy: options.policyFile, source: caller.arn, ...view }, null, 2));
  } else {
    const lines = [
      `Policy: ${options.policyFile}`,
      sourceLine(caller),
      `Accepter account-regions: ${describeTargets(view.targets)}`,
      ...formatPlanView(view),
    ];
    for (const line of lines) io.out(line);
  }
  printFailures(view.failures, "", io);
  if (view.failures.length > 0) return PLAN_EXIT.failed;
  return planChanges(view) ? PLAN_EXIT.changes : PLAN_EXIT.unchanged;
}

/** `plan --least-access`: the routes to each connection now and after the next pass, whole-VPC ones flagged. */
function printAccessReport(plan: PassPlan, caller: Caller, options: PlanOptions, io: Io): number {
  const report = accessReport(plan);
  if (options.json) {
    io.out(JSON.stringify({ policy: options.policyFile, source: caller.arn, ...report }, null, 2));
  } else {
    const lines = [
      `Policy: ${options.policyFile}`,
      sourceLine(caller),
      `Accepter account-regions: ${describeTargets(report.targets)}`,
      ...formatAccessReport(report),
    ];
    for (const line of lines) io.out(line);
  }
  printFailures(report.failures, "", io);
  return accessExitCode(report);
}

/**
 * `plan --diff`: a plan per policy over one live read of the organisation (each account-region either
 * names listed and read once) and only what differs between them. Exits 0 when they do not differ, 2 when they do, 1 when either could not read everything.
 */
export async function planDiffCommand(options: PlanDiffOptions, io: Io): Promise<number> {
  const oldPolicy = loadPolicy(options.oldPolicyFile);
  const newPolicy = loadPolicy(options.newPolicyFile);
  const oldTargets = targetsOf(oldPolicy, options);
  const newTargets = targetsOf(newPolicy, options);
  if (oldTargets.length === 0 && newTargets.length === 0) {
    return nothingToRead([options.oldPolicyFile, options.newPolicyFile], options, io);
  }
  const { plans, caller } = await readPlans([oldPolicy, newPolicy], options);
  const [oldView, newView] = plans.map(toPlanView) as [PlanView, PlanView];
  const diff = diffPlans(oldView, newView);

  if (options.json) {
    const failures = { old: oldView.failures, new: newView.failures };
    const document = {
      oldPolicy: options.oldPolicyFile,
      newPolicy: options.newPolicyFile,
      source: caller.arn,
      targets: { old: oldView.targets, new: newView.targets },
      ...diff,
      failures,
    };
    io.out(JSON.stringify(document, null, 2));
  } else {
    const [oldList, newList] = [describeTargets(oldView.targets), describeTargets(newView.targets)];
    const lines = [
      `Old policy: ${options.oldPolicyFile}`,
      `New policy: ${options.newPolicyFile}`,
      sourceLine(caller),
      oldList === newList
        ? `Accepter account-regions: ${newList}`
        : `Accepter account-regions: old policy ${oldList}; new policy ${newList}`,
      "Compared: a pass planned with each policy, over one read of the organisation",
      ...formatPlanDiff(diff),
    ];
    for (const line of lines) io.out(line);
  }
  printFailures(oldView.failures, "old policy: ", io);
  printFailures(newView.failures, "new policy: ", io);
  if (oldView.failures.length + newView.failures.length > 0) return PLAN_EXIT.failed;
  return hasDifferences(diff) ? PLAN_EXIT.changes : PLAN_EXIT.unchanged;
}

function targetsOf(policy: Policy, scope: PlanScope): SweepTarget[] {
  const regions = scope.region ? [scope.region] : loadConfig().sweepRegions;
  return sweepTargets(policy, regions).filter((t) => inScope(t, scope));
}

function inScope(target: SweepTarget, { account, region }: PlanScope): boolean {
  return (
    (account === undefined || target.account === account) &&
    (region === undefined || target.region === region)
  );
}

/** With no narrowing, a policy naming no accepter is a plan of nothing; narrowed to nothing, a mistake. */
function nothingToRead(files: string[], scope: PlanScope, io: Io): number {
  const { account, region } = scope;
  const policies = `${files.join(" and ")} ${files.length > 1 ? "name" : "names"}`;
  if (account === undefined && region === undefined) {
    io.out(`${policies} no accepter account: a pass reads and changes nothing`);
    return PLAN_EXIT.unchanged;
  }
  const what =
    account !== undefined && region !== undefined
      ? `account-region ${account} ${region}`
      : account !== undefined
        ? `account ${account}`
        : `account in region ${region}`;
  throw new InputError(`${policies} no accepter ${what}`);
}

async function readPlan(policy: Policy, scope: PlanScope): Promise<{ plan: PassPlan; caller: Caller }> {
  const { plans, caller } = await readPlans([policy], scope);
  // readPlans answers one plan per policy given.
  return { plan: plans[0] as PassPlan, caller };
}

async function readPlans(
  policies: Policy[],
  scope: PlanScope,
): Promise<{ plans: PassPlan[]; caller: Caller }> {
  const config = loadConfig();
  // Imported here so that `check` and offline explanations do not wait for the AWS SDK to load.
  const { openCallerSessions } = await import("./live-facts");
  const { planPasses } = await import("../shared/workflow/plan-pass");
  const { sessions, caller } = await openCallerSessions(policies, scope.region ?? config.region);
  const plans = await planPasses(
    {
      sessions,
      regions: scope.region ? [scope.region] : config.sweepRegions,
      concurrency: config.sweepConcurrency,
      visibleWait: config.waits.visible,
      now: () => new Date(),
      only: (target) => inScope(target, scope),
      quotas: config.quotas,
    },
    policies,
  );
  return { plans, caller };
}

function sourceLine(caller: Caller): string {
  return `Source: AWS, read as ${caller.arn} (read-only: nothing was changed)`;
}

function describeTargets(targets: SweepTarget[]): string {
  return targets.length === 0 ? "(none)" : targets.map((t) => `${t.account} ${t.region}`).join(", ");
}

function printFailures(failures: FailureView[], prefix: string, io: Io): void {
  for (const { account, region, connectionId, error } of failures) {
    const what = connectionId
      ? `${connectionId} in account ${account} region ${region} could not be decided`
      : `account ${account} region ${region} could not be read`;
    io.err(`error: ${prefix}${what}: ${error}`);
  }
}
