import type { AssumeRoleRequest, AssumeRoleResponse, GetCallerIdentityResponse } from "@aws-sdk/client-sts";
import { stsError } from "./errors";
import type { Caller } from "./state";
import type { World } from "./world";

const DEFAULT_SESSION_SECONDS = 3600;
/** How the function's own (non-assumed) identity is shown by GetCallerIdentity. */
const FUNCTION_ROLE_NAME = "peering-autopilot-function";

/**
 * The execution roles trust only the function's own role, so only calls made with the function's own
 * credentials may assume them (no role chaining), and only with the external id the role requires.
 */
export function assumeRole(world: World, caller: Caller, input: AssumeRoleRequest): AssumeRoleResponse {
  const [, accountId = "", roleName = ""] =
    /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(input.RoleArn ?? "") ?? [];
  const role = world.accounts.get(accountId)?.role;
  const trusted =
    caller.session === undefined &&
    role !== undefined &&
    role.name === roleName &&
    (role.externalId === undefined || role.externalId === input.ExternalId);
  if (!trusted) {
    throw stsError(
      "AccessDenied",
      `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
    );
  }
  const serial = String(world.issuedCredentials.size + 1).padStart(11, "0");
  const accessKeyId = `ASIAMODEL${serial}`;
  const sessionName = input.RoleSessionName ?? "session";
  const expiration = new Date(
    world.now().getTime() + (input.DurationSeconds ?? DEFAULT_SESSION_SECONDS) * 1000,
  );
  world.issuedCredentials.set(accessKeyId, {
    accessKeyId,
    account: accountId,
    roleName,
    sessionName,
    expiration,
  });
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: `model-secret-${serial}`,
      SessionToken: `model-session-token-${serial}`,
      Expiration: expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: `AROAMODEL${serial}:${sessionName}`,
      Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    },
  };
}

export function getCallerIdentity(_world: World, caller: Caller): GetCallerIdentityResponse {
  return {
    Account: caller.account,
    Arn: callerArn(caller),
    UserId: caller.session?.accessKeyId ?? "AROAMODELFUNCTION",
  };
}

function callerArn({ account, session }: Caller): string {
  const [role, sessionName] = session
    ? [session.roleName, session.sessionName]
    : [FUNCTION_ROLE_NAME, "function"];
  return `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`;
}
