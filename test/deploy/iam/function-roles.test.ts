// The service's function roles, evaluated as AWS would: every call the code sends is allowed on the
// resources it is sent for, the calls Lambda makes with the role too, and nothing else.
import { describe, expect, it } from "vitest";
import { MEMBER_ACCOUNT, SERVICE_ACCOUNT, STRANGER_ACCOUNT } from "./accounts";
import { busArn, roleArn, routeTableArn } from "./arns";
import { memberDeployment, serviceDeployment, serviceRoles } from "./deployments";
import { forbiddenEc2Requests } from "./forbidden-requests";
import { lambdaRequests } from "./lambda-requests";
import { actionsUsed } from "./operations-used";
import { functionRequests, type Request } from "./service-requests";
import { evaluate } from "./simulate";
import { busPolicy, identityPolicies, topicPolicy, trustPolicy } from "./template-policies";
import { actionsOtherThan } from "./unlisted-actions";

const service = await serviceDeployment();
const member = memberDeployment(service);
const [executionRoleId] =
  member.ofType("AWS::IAM::Role").find(([, r]) => JSON.stringify(r).includes("sts:ExternalId")) ?? [];
const SENT = [
  ...actionsUsed("client-ec2"),
  ...actionsUsed("client-sts"),
  ...actionsUsed("client-eventbridge"),
  ...actionsUsed("client-sns"),
];

// The resource policy, if any, that also decides a request: the execution role's trust, the bus's policy.
function resourcePolicyFor(request: Request) {
  if (request.action === "sts:AssumeRole" && executionRoleId) return trustPolicy(member, executionRoleId);
  if (request.action === "events:PutEvents") return busPolicy(service, "PeeringBus");
  if (request.action === "sns:Publish") return topicPolicy(service, request.resource);
  return undefined;
}
const accountOf = (request: Request) =>
  request.action === "sts:AssumeRole" ? MEMBER_ACCOUNT : SERVICE_ACCOUNT;

describe.each(serviceRoles(service))("the function role $role", ({ role, roleName, functions }) => {
  const identity = identityPolicies(service, role);
  const [fn] = functions;
  if (!fn) throw new Error(`${role} runs no function`);

  it("is found, with the code's calls", () => {
    expect(SENT).toContain("ec2:AcceptVpcPeeringConnection");
    expect(SENT).toContain("sts:AssumeRole");
    expect(SENT).toContain("events:PutEvents");
    expect(SENT).toContain("sns:Publish");
  });

  it("can be assumed by Lambda and by nobody else", async () => {
    const trust = trustPolicy(service, role);
    const assume = (principal: string) =>
      evaluate(
        {
          principal,
          action: "sts:AssumeRole",
          resource: service.arn(role),
          resourceAccount: SERVICE_ACCOUNT,
        },
        { resource: trust },
      );
    expect(await assume("lambda.amazonaws.com")).toBe("Allowed");
    expect(await assume("events.amazonaws.com")).not.toBe("Allowed");
    expect(await assume(`arn:aws:sts::${STRANGER_ACCOUNT}:assumed-role/${roleName}/x`)).not.toBe("Allowed");
  });

  it.each(SENT)("allows %s wherever the code sends it", async (action) => {
    for (const request of functionRequests(action, SERVICE_ACCOUNT, fn.settings)) {
      const verdict = await evaluate(
        { principal: fn.session, ...request, resourceAccount: accountOf(request) },
        { identity, resource: resourcePolicyFor(request) },
      );
      expect(verdict, `${action} for ${request.what} (${request.resource})`).toBe("Allowed");
    }
  });

  it.each(functions.map((f) => [f.id, f] as const))(
    "lets Lambda run %s: its logs, its queue",
    async (_, f) => {
      const requests = lambdaRequests(service, f.id);
      expect(requests.map((r) => r.action)).toContain("logs:PutLogEvents");
      for (const request of requests) {
        const verdict = await evaluate(
          { principal: f.session, ...request, resourceAccount: SERVICE_ACCOUNT },
          { identity, resource: request.resourcePolicy },
        );
        expect(verdict, `${request.action} for ${request.what} (${request.resource})`).toBe("Allowed");
      }
    },
  );

  it.each(forbiddenEc2Requests(SERVICE_ACCOUNT).map((r) => [`${r.action}: ${r.what}`, r] as const))(
    "denies %s",
    async (_, request) => {
      const verdict = await evaluate(
        { principal: fn.session, ...request, resourceAccount: SERVICE_ACCOUNT },
        { identity },
      );
      expect(verdict).not.toBe("Allowed");
    },
  );

  // Each as if the target trusted the function role fully: only the function role's policy may say no.
  it.each([
    [
      "sts:AssumeRole",
      roleArn(MEMBER_ACCOUNT, "OrganizationAccountAccessRole"),
      "into another role of a member",
    ],
    [
      "sts:AssumeRole",
      roleArn(SERVICE_ACCOUNT, "peering-autopilot-execution-admin"),
      "into a look-alike name",
    ],
    ["iam:PassRole", roleArn(SERVICE_ACCOUNT, roleName), "passing its own role"],
    ["iam:CreateRole", roleArn(SERVICE_ACCOUNT, "new-role"), "creating a role"],
    ["iam:PutRolePolicy", roleArn(SERVICE_ACCOUNT, roleName), "widening its own role"],
    ["sts:GetFederationToken", `arn:aws:sts::${SERVICE_ACCOUNT}:federated-user/x`, "federating"],
    ["events:PutEvents", busArn(SERVICE_ACCOUNT, "default"), "putting events on another bus"],
    ["sns:Publish", `arn:aws:sns:us-east-1:${SERVICE_ACCOUNT}:someone-elses`, "publishing to another topic"],
    [
      "sns:Publish",
      `arn:aws:sns:us-east-1:${STRANGER_ACCOUNT}:notifications`,
      "publishing to another account",
    ],
  ])("denies %s %s (%s)", async (action, resource) => {
    const account = resource.split(":")[4] || SERVICE_ACCOUNT;
    const trustsAll = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow" as const,
          // The account, not the role: a policy naming the role itself would need nothing of its own.
          Principal: { AWS: `arn:aws:iam::${SERVICE_ACCOUNT}:root` },
          Action: action,
          Resource: resource,
        },
      ],
    };
    const verdict = await evaluate(
      { principal: fn.session, action, resource, resourceAccount: account },
      // A role is assumed only if its trust allows it, even in the same account.
      {
        identity,
        resource: action === "sts:AssumeRole" || account !== SERVICE_ACCOUNT ? trustsAll : undefined,
      },
    );
    expect(verdict).not.toBe("Allowed");
  });

  // How many actions each service has at least: the lists are read, not empty.
  it.each([
    ["ec2", 100],
    ["iam", 100],
    ["sts", 5],
    ["sns", 20],
  ] as const)("allows no %s action the code does not send", async (prefix, atLeast) => {
    const others = await actionsOtherThan(prefix, new Set(SENT), SERVICE_ACCOUNT);
    expect(others.length).toBeGreaterThan(atLeast);
    const allowed: string[] = [];
    for (const { action, resource } of others) {
      const verdict = await evaluate(
        { principal: fn.session, action, resource, resourceAccount: SERVICE_ACCOUNT },
        { identity },
      );
      if (verdict === "Allowed") allowed.push(`${action} on ${resource}`);
    }
    expect(allowed).toEqual([]);
  });

  it("cannot route in another account's route tables with its own credentials", async () => {
    const verdict = await evaluate(
      {
        principal: fn.session,
        action: "ec2:CreateRoute",
        resource: routeTableArn(STRANGER_ACCOUNT),
        resourceAccount: SERVICE_ACCOUNT,
        context: {
          "ec2:RouteTableID": "rtb-0a1b2c3d",
          "ec2:Vpc": `arn:aws:ec2:us-east-1:${STRANGER_ACCOUNT}:vpc/vpc-1`,
        },
      },
      { identity },
    );
    expect(verdict).not.toBe("Allowed");
  });
});
