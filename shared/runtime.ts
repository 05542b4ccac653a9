import { AuditPublisher } from "./aws/publish/audit-publisher";
import { AwsSessions } from "./aws/sessions/sessions";
import { ACCOUNT_ID } from "./aws-ids";
import { type Config, loadConfig } from "./config";
import { loadPolicy } from "./policy/load-policy";
import { accountsNamed } from "./policy/match-rule";
import type { WorkflowContext } from "./workflow/handle-connection";

export interface Runtime {
  config: Config;
  workflow: WorkflowContext;
  publisher: AuditPublisher;
}

let cached: Runtime | undefined;

/**
 * Configuration, policy, AWS sessions and the audit publisher, built once per container so that
 * clients and STS credentials are reused across invocations. A policy that fails to load is not
 * cached: every invocation fails loudly until it is fixed, and nothing in AWS changes meanwhile.
 */
export function serviceRuntime(homeAccount: string): Runtime {
  if (cached) return cached;
  const config = loadConfig();
  const policy = loadPolicy(config.policyPath);
  const sessions = new AwsSessions({
    homeAccount,
    roleName: config.roleName,
    ...(config.externalId && { externalId: config.externalId }),
    allowedAccounts: accountsNamed(policy),
    stsRegion: config.region,
    pacing: config.pacing,
  });
  cached = {
    config,
    workflow: { policy, sessions, waits: config.waits, now: () => new Date(), quotas: config.quotas },
    publisher: new AuditPublisher(config.eventBusName),
  };
  return cached;
}

/** The account a function runs in, from its own ARN (no API call needed). */
export function accountOfFunction(invokedFunctionArn: string): string {
  const account = invokedFunctionArn.split(":")[4];
  if (!account || !ACCOUNT_ID.test(account))
    throw new Error(`cannot read an account id from ${invokedFunctionArn}`);
  return account;
}
