import { AwsSessions } from "./aws/sessions";
import { loadConfig } from "./config";
import { loadPolicy } from "./policy/load-policy";
import { accountsNamed } from "./policy/match-rule";
import type { WorkflowContext } from "./workflow/handle-connection";

let cached: WorkflowContext | undefined;

/**
 * Configuration, policy and AWS sessions, built once per container so that clients and STS
 * credentials are reused across invocations. A policy that fails to load is not cached: every
 * invocation fails loudly until it is fixed, and nothing in AWS changes meanwhile.
 */
export function workflowContext(homeAccount: string): WorkflowContext {
  if (cached) return cached;
  const config = loadConfig();
  const policy = loadPolicy(config.policyPath);
  const sessions = new AwsSessions({
    homeAccount,
    roleName: config.roleName,
    ...(config.externalId && { externalId: config.externalId }),
    allowedAccounts: accountsNamed(policy),
  });
  cached = { policy, sessions, waits: config.waits, now: () => new Date() };
  return cached;
}

/** The account a function runs in, from its own ARN (no API call needed). */
export function accountOfFunction(invokedFunctionArn: string): string {
  const account = invokedFunctionArn.split(":")[4];
  if (!account || !/^\d{12}$/.test(account))
    throw new Error(`cannot read an account id from ${invokedFunctionArn}`);
  return account;
}
