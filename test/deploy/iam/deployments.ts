// The two templates as one deployment of the fake world: the service packaged as the suite packages it,
// in the service account; the member template in a member account, with the parameters the service's
// outputs give it (its function roles, its bus, its external id), as docs/rollout.md describes.
import type { Json } from "../templates/cloudformation";
import { memberTemplate } from "../templates/member-template";
import { PACKAGE_PARAMS, packageService } from "../templates/service-template";
import { MEMBER_ACCOUNT, SERVICE_ACCOUNT } from "./accounts";
import { busArn, sessionArn } from "./arns";
import { ResolvedTemplate } from "./resolved-template";
import type { FunctionSettings } from "./service-requests";
import { functionRoles } from "./template-policies";

export async function serviceDeployment(params: Record<string, string> = PACKAGE_PARAMS) {
  const { template } = await packageService(params);
  return new ResolvedTemplate(template, { account: SERVICE_ACCOUNT });
}

export interface FunctionOfRole {
  id: string;
  name: string;
  /** The session Lambda runs the function with. */
  session: string;
  settings: FunctionSettings;
}

/** The roles of the service's functions, with the functions that run with each. */
export function serviceRoles(service: ResolvedTemplate) {
  const topicArn = notificationTopic(service);
  return functionRoles(service).map(({ role, functions }) => {
    const roleName = String(service.properties(role).RoleName ?? role);
    return {
      role,
      roleName,
      arn: service.arn(role),
      functions: functions.map((id): FunctionOfRole => {
        const props = service.properties(id);
        const name = String(props.FunctionName ?? id);
        return {
          id,
          name,
          session: sessionArn(SERVICE_ACCOUNT, roleName, name),
          settings: { ...settingsOf(props), topicArn },
        };
      }),
    };
  });
}

const environmentOf = (fn: Record<string, Json>) =>
  (fn.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};

/** The topic the service notifies on: the NOTIFICATION_TOPIC_ARN of the functions that set it, one topic. */
function notificationTopic(service: ResolvedTemplate): string {
  const topics = new Set(
    service
      .ofType("AWS::Lambda::Function")
      .flatMap(([id]) => environmentOf(service.properties(id)).NOTIFICATION_TOPIC_ARN ?? []),
  );
  const [topic] = topics;
  if (topics.size !== 1 || !topic)
    throw new Error(`the functions name ${topics.size} notification topics, not one`);
  return topic;
}

function settingsOf(fn: Record<string, Json>): Omit<FunctionSettings, "topicArn"> {
  const env = environmentOf(fn);
  const read = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`the functions' environment has no ${name}`);
    return value;
  };
  return {
    busName: read("EVENT_BUS_NAME"),
    busAccount: SERVICE_ACCOUNT,
    assumeRoleName: read("ASSUME_ROLE_NAME"),
    externalId: read("ASSUME_ROLE_EXTERNAL_ID"),
  };
}

/** The member template deployed in the member account for this service, role and rule both created. */
export function memberDeployment(service: ResolvedTemplate, account = MEMBER_ACCOUNT) {
  const roles = serviceRoles(service);
  const settings = roles[0]?.functions[0]?.settings;
  if (!settings) throw new Error("the service has no function");
  return new ResolvedTemplate(memberTemplate(), {
    account,
    parameters: {
      ServiceAccountId: SERVICE_ACCOUNT,
      ServiceEventBusArn: busArn(SERVICE_ACCOUNT, settings.busName),
      ServiceRoleArns: roles.map((r) => r.arn),
      ExternalId: settings.externalId,
      ExecutionRoleName: settings.assumeRoleName,
      CreateExecutionRole: "true",
      ForwardEvents: "true",
    },
  });
}
