// The member template's roles, evaluated as AWS would: the execution role can make every EC2 call the
// service sends, in its own account only, and is assumed only by the service's function roles with the
// external id; the forwarding role is EventBridge's, for this account, and can only put events on the bus.
import { describe, expect, it } from "vitest";
import { MEMBER_ACCOUNT, SERVICE_ACCOUNT, STRANGER_ACCOUNT } from "./accounts";
import { busArn, ruleArn, sessionArn } from "./arns";
import { memberDeployment, serviceDeployment, serviceRoles } from "./deployments";
import { forbiddenEc2Requests } from "./forbidden-requests";
import { actionsUsed } from "./operations-used";
import { ec2Requests } from "./service-requests";
import { evaluate } from "./simulate";
import { busPolicy, identityPolicies, trustPolicy } from "./template-policies";
import { actionsOtherThan } from "./unlisted-actions";

const service = await serviceDeployment();
const member = memberDeployment(service);
const functionRoles = serviceRoles(service);
const settings = functionRoles[0]?.functions[0]?.settings;
if (!settings) throw new Error("the service has no function");

// The role the service assumes is the one of the name it assumes; the forwarding role, the one the rule uses.
const [executionRole = ""] =
  member
    .ofType("AWS::IAM::Role")
    .find(([id]) => member.properties(id).RoleName === settings.assumeRoleName) ?? [];
const forwardingRole =
  member
    .ofType("AWS::IAM::Role")
    .map(([id]) => id)
    .find((id) =>
      member
        .ofType("AWS::Events::Rule")
        .some(([rule]) => JSON.stringify(member.properties(rule).Targets).includes(member.arn(id))),
    ) ?? "";
const EC2_SENT = actionsUsed("client-ec2");

const mayAssume = (role: string) => ({
  name: "may-assume",
  policy: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: role }],
  },
});

describe("the execution role", () => {
  const identity = identityPolicies(member, executionRole);
  const name = String(member.properties(executionRole).RoleName);
  const session = sessionArn(MEMBER_ACCOUNT, name, "peering-autopilot");
  const call = (request: { action: string; resource: string; context: Record<string, string | string[]> }) =>
    evaluate({ principal: session, ...request, resourceAccount: MEMBER_ACCOUNT }, { identity });

  it("has the name the service assumes", () => {
    expect(name).toBe(settings.assumeRoleName);
  });

  it.each(EC2_SENT)("allows %s wherever the service sends it", async (action) => {
    for (const request of ec2Requests(action, MEMBER_ACCOUNT)) {
      expect(await call(request), `${action} for ${request.what} (${request.resource})`).toBe("Allowed");
    }
  });

  it.each(forbiddenEc2Requests(MEMBER_ACCOUNT).map((r) => [`${r.action}: ${r.what}`, r] as const))(
    "denies %s",
    async (_, request) => {
      expect(await call(request)).not.toBe("Allowed");
    },
  );

  it.each(["ec2", "iam", "sts", "events"])(
    "allows no %s action the service does not send",
    async (prefix) => {
      const allowed: string[] = [];
      for (const { action, resource } of await actionsOtherThan(prefix, new Set(EC2_SENT), MEMBER_ACCOUNT)) {
        if ((await call({ action, resource, context: {} })) === "Allowed")
          allowed.push(`${action} on ${resource}`);
      }
      expect(allowed).toEqual([]);
    },
  );

  describe("is assumed", () => {
    const trust = trustPolicy(member, executionRole);
    const arn = member.arn(executionRole);
    const assume = async (principal: string, externalId: string | undefined) => {
      return evaluate(
        {
          principal,
          action: "sts:AssumeRole",
          resource: arn,
          resourceAccount: MEMBER_ACCOUNT,
          context: externalId === undefined ? {} : { "sts:ExternalId": externalId },
        },
        // The caller's own policy allows it (the service's function role does): only the trust decides.
        { identity: [mayAssume(arn)], resource: trust },
      );
    };

    it.each(functionRoles.flatMap((r) => r.functions.map((f) => [f.id, f.session] as const)))(
      "by %s, with the external id",
      async (_, principal) => {
        expect(await assume(principal, settings.externalId)).toBe("Allowed");
      },
    );

    const [first] = functionRoles;
    const roleName = first?.roleName ?? "";
    it.each([
      [
        "another role of the service's account",
        sessionArn(SERVICE_ACCOUNT, "deploy-admin"),
        settings.externalId,
      ],
      ["the function role without the external id", sessionArn(SERVICE_ACCOUNT, roleName), undefined],
      [
        "the function role with a wrong external id",
        sessionArn(SERVICE_ACCOUNT, roleName),
        `${settings.externalId}-x`,
      ],
      [
        "a role of the same name in another account",
        sessionArn(STRANGER_ACCOUNT, roleName),
        settings.externalId,
      ],
      [
        "a role of the same name in the member account",
        sessionArn(MEMBER_ACCOUNT, roleName),
        settings.externalId,
      ],
      ["EventBridge", "events.amazonaws.com", settings.externalId],
    ])("not by %s", async (_, principal, externalId) => {
      expect(await assume(principal, externalId)).not.toBe("Allowed");
    });
  });
});

describe("the forwarding role", () => {
  const identity = identityPolicies(member, forwardingRole);
  const name = String(member.properties(forwardingRole).RoleName ?? forwardingRole);
  const session = sessionArn(MEMBER_ACCOUNT, name, "events");
  const bus = busArn(SERVICE_ACCOUNT, settings.busName);
  const rules = member.ofType("AWS::Events::Rule").map(([id]) => member.arn(id));
  const rule = rules[0] ?? "";

  const assume = (principal: string, sourceAccount: string, sourceArn = rule) =>
    evaluate(
      {
        principal,
        action: "sts:AssumeRole",
        resource: member.arn(forwardingRole),
        resourceAccount: MEMBER_ACCOUNT,
        context: principal.endsWith(".amazonaws.com")
          ? { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn }
          : {},
      },
      // A role session's own policy allows it: only the trust decides.
      {
        identity: principal.startsWith("arn:") ? [mayAssume(member.arn(forwardingRole))] : [],
        resource: trustPolicy(member, forwardingRole),
      },
    );

  it.each(rules)("is assumed by EventBridge for this account's rule %s", async (source) => {
    expect(await assume("events.amazonaws.com", MEMBER_ACCOUNT, source)).toBe("Allowed");
  });

  it.each([
    [
      "EventBridge for another account",
      "events.amazonaws.com",
      STRANGER_ACCOUNT,
      ruleArn(STRANGER_ACCOUNT, "x"),
    ],
    ["another service", "lambda.amazonaws.com", MEMBER_ACCOUNT, rule],
    ["a role of this account", sessionArn(MEMBER_ACCOUNT, "admin"), MEMBER_ACCOUNT, rule],
    ["the service's function role", functionRoles[0]?.functions[0]?.session ?? "", SERVICE_ACCOUNT, rule],
  ])("is not assumed by %s", async (_, principal, account, source) => {
    expect(await assume(principal, account, source)).not.toBe("Allowed");
  });

  it("puts events on the service's bus, which admits it", async () => {
    const verdict = await evaluate(
      {
        principal: session,
        action: "events:PutEvents",
        resource: bus,
        resourceAccount: SERVICE_ACCOUNT,
        context: { "events:source": "aws.ec2", "events:detail-type": "AWS API Call via CloudTrail" },
      },
      { identity, resource: busPolicy(service, "PeeringBus") },
    );
    expect(verdict).toBe("Allowed");
  });

  it.each([
    ["this account's default bus", busArn(MEMBER_ACCOUNT, "default"), MEMBER_ACCOUNT],
    ["another bus of the service's account", busArn(SERVICE_ACCOUNT, "default"), MEMBER_ACCOUNT],
  ])("puts no events on %s", async (_, resource, account) => {
    const verdict = await evaluate(
      { principal: session, action: "events:PutEvents", resource, resourceAccount: account },
      { identity },
    );
    expect(verdict).not.toBe("Allowed");
  });

  it.each(["events", "ec2", "iam", "sts"])("allows no other %s action", async (prefix) => {
    const allowed: string[] = [];
    for (const { action, resource } of await actionsOtherThan(
      prefix,
      new Set(["events:PutEvents"]),
      MEMBER_ACCOUNT,
    )) {
      const verdict = await evaluate(
        { principal: session, action, resource, resourceAccount: MEMBER_ACCOUNT },
        { identity },
      );
      if (verdict === "Allowed") allowed.push(`${action} on ${resource}`);
    }
    expect(allowed).toEqual([]);
  });
});
