// One request evaluated by @cloud-copilot/iam-simulate, AWS's evaluation logic, strictly: a request the
// simulator cannot take as given (an unknown action, a resource of no type the action takes, a context key
// the action ignores) fails the test, since its verdict would say nothing about the real request.
import { runSimulation, type SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { MEMBER_ACCOUNT, ORG_ID, REQUESTER_ACCOUNT, SERVICE_ACCOUNT } from "./accounts";
import type { PolicyDocument } from "./template-policies";

export interface Call {
  /** A role session's ARN (arn:aws:sts::…:assumed-role/…), or a service principal. */
  principal: string;
  action: string;
  resource: string;
  /**
   * The account the resource's policies live in. EC2 has no resource policies: it authorizes a call in
   * the caller's own account, whatever account its resource ARNs name.
   */
  resourceAccount: string;
  context?: Record<string, string | string[]>;
}

export interface Policies {
  identity?: SimulationIdentityPolicy[];
  resource?: PolicyDocument;
}

export type Verdict = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

const ORGANISATION = new Set([SERVICE_ACCOUNT, MEMBER_ACCOUNT, REQUESTER_ACCOUNT]);

/** The global keys AWS adds for a role session: its role, account and organisation. */
export function principalContext(principal: string): Record<string, string> {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal);
  if (!session) return {};
  const [, partition, account = "", role] = session;
  return {
    "aws:PrincipalArn": `arn:${partition}:iam::${account}:role/${role}`,
    "aws:PrincipalAccount": account,
    "aws:PrincipalType": "AssumedRole",
    ...(ORGANISATION.has(account) && { "aws:PrincipalOrgID": ORG_ID }),
  };
}

export async function evaluate(call: Call, policies: Policies): Promise<Verdict> {
  const response = await runSimulation(
    {
      request: {
        principal: call.principal,
        action: call.action,
        resource: { resource: call.resource, accountId: call.resourceAccount },
        contextVariables: { ...principalContext(call.principal), ...call.context },
      },
      identityPolicies: policies.identity ?? [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(policies.resource && { resourcePolicy: policies.resource }),
    },
    { simulationMode: "Strict" },
  );
  const where = `${call.action} on ${call.resource} by ${call.principal}`;
  if (response.resultType === "error") {
    throw new Error(`${where}: the simulator refused the request: ${JSON.stringify(response.errors)}`);
  }
  const results = response.resultType === "single" ? [response.result] : response.results;
  const ignored = results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (ignored.length > 0) throw new Error(`${where}: ${ignored.join(", ")} do not apply to this request`);
  return response.overallResult as Verdict;
}
