// The service's resource policies, evaluated as AWS would: the bus admits events only from the
// organisation or the listed accounts; the notification topic only from this account's alarms (the
// notify function publishes by its role's own grant, test/deploy/iam/function-roles.test.ts); each queue
// only from the service's rules that deliver to it; the notify function only from the NotifyRule.
import { describe, expect, it } from "vitest";
import type { Json } from "../templates/cloudformation";
import { PACKAGE_PARAMS } from "../templates/service-template";
import { MEMBER_ACCOUNT, REQUESTER_ACCOUNT, SERVICE_ACCOUNT, STRANGER_ACCOUNT } from "./accounts";
import { alarmArn, ruleArn, sessionArn } from "./arns";
import { serviceDeployment } from "./deployments";
import type { ResolvedTemplate } from "./resolved-template";
import { evaluate } from "./simulate";
import { busPolicy, functionPolicy, queuePolicy, topicPolicy } from "./template-policies";

const byOrganisation = await serviceDeployment();
const byAccounts = await serviceDeployment({
  externalId: PACKAGE_PARAMS.externalId,
  memberAccounts: `${MEMBER_ACCOUNT},${REQUESTER_ACCOUNT}`,
});

/** A caller of another account whose own policy allows everything: only the resource's policy decides. */
const allowsAll = [
  {
    name: "all",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
];

const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Rules of the template that send to `arn`, as a target or as a target's dead-letter queue. */
function rulesSendingTo(t: ResolvedTemplate, arn: string): string[] {
  return t
    .ofType("AWS::Events::Rule")
    .filter(([id]) =>
      list(t.properties(id).Targets).some((target) => {
        const { Arn, DeadLetterConfig } = target as { Arn?: string; DeadLetterConfig?: { Arn?: string } };
        return Arn === arn || DeadLetterConfig?.Arn === arn;
      }),
    )
    .map(([id]) => t.arn(id));
}

const fromService = (principal: string, sourceArn: string, sourceAccount = SERVICE_ACCOUNT) => ({
  principal,
  context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount },
});

describe.each([
  ["the organisation", byOrganisation],
  ["the listed accounts", byAccounts],
])("the service's bus, admitting %s", (_, t) => {
  const [busId] = t.ofType("AWS::Events::EventBus")[0] ?? [];
  const bus = t.arn(busId ?? "");
  const put = (principal: string, action = "events:PutEvents", resource = bus) =>
    evaluate(
      { principal, action, resource, resourceAccount: SERVICE_ACCOUNT },
      { identity: allowsAll, resource: busPolicy(t, busId ?? "") },
    );

  it.each([MEMBER_ACCOUNT, REQUESTER_ACCOUNT])("takes events from account %s", async (account) => {
    expect(await put(sessionArn(account, "ForwardingRole"))).toBe("Allowed");
  });

  it("takes no events from an account outside the organisation and the list", async () => {
    expect(await put(sessionArn(STRANGER_ACCOUNT, "ForwardingRole"))).not.toBe("Allowed");
  });

  it.each([
    ["events:PutRule", ruleArn(SERVICE_ACCOUNT, `${bus.split("/").pop()}/member-rule`)],
    ["events:PutTargets", ruleArn(SERVICE_ACCOUNT, `${bus.split("/").pop()}/member-rule`)],
    ["events:DeleteEventBus", bus],
  ])("lets no member account %s", async (action, resource) => {
    expect(await put(sessionArn(MEMBER_ACCOUNT, "ForwardingRole"), action, resource)).not.toBe("Allowed");
  });
});

describe.each(byOrganisation.ofType("AWS::SNS::Topic").map(([id]) => [id] as const))(
  "the topic %s",
  (topicId) => {
    const t = byOrganisation;
    const topic = t.arn(topicId);
    const policy = topicPolicy(t, topic);
    const alarms = t
      .ofType("AWS::CloudWatch::Alarm")
      .filter(([id]) => {
        const p = t.properties(id);
        return [...list(p.AlarmActions), ...list(p.OKActions), ...list(p.InsufficientDataActions)].includes(
          topic,
        );
      })
      .map(([id]) => t.arn(id));
    const publish = (call: { principal: string; context?: Record<string, string> }, action = "sns:Publish") =>
      evaluate({ ...call, action, resource: topic, resourceAccount: SERVICE_ACCOUNT }, { resource: policy });

    it("has the alarms as publishers, and no rule", () => {
      expect(alarms.length).toBeGreaterThan(0);
      expect(rulesSendingTo(t, topic)).toEqual([]);
    });

    it.each(alarms)("takes the alarm %s", async (alarm) => {
      expect(await publish(fromService("cloudwatch.amazonaws.com", alarm))).toBe("Allowed");
    });

    it.each([
      ["the rule that used to target it", fromService("events.amazonaws.com", t.arn("NotifyRule"))],
      [
        "another rule of this account",
        fromService("events.amazonaws.com", ruleArn(SERVICE_ACCOUNT, "someone-elses")),
      ],
      [
        "Lambda, for any function",
        fromService("lambda.amazonaws.com", `arn:aws:lambda:us-east-1:${SERVICE_ACCOUNT}:function:x`),
      ],
      [
        "another account's alarm",
        fromService("cloudwatch.amazonaws.com", alarmArn(STRANGER_ACCOUNT, "x"), STRANGER_ACCOUNT),
      ],
      [
        "an alarm claiming this account for another's",
        fromService("cloudwatch.amazonaws.com", alarmArn(STRANGER_ACCOUNT, "x")),
      ],
      ["another service", fromService("s3.amazonaws.com", `arn:aws:s3:::bucket`)],
    ])("takes nothing from %s", async (_, call) => {
      expect(await publish(call)).not.toBe("Allowed");
    });

    it("takes nothing from a principal of another account", async () => {
      const verdict = await evaluate(
        {
          principal: sessionArn(STRANGER_ACCOUNT, "someone"),
          action: "sns:Publish",
          resource: topic,
          resourceAccount: SERVICE_ACCOUNT,
        },
        { identity: allowsAll, resource: policy },
      );
      expect(verdict).not.toBe("Allowed");
    });

    it("takes nothing from a role of this account that has no grant of its own", async () => {
      const verdict = await evaluate(
        {
          principal: sessionArn(SERVICE_ACCOUNT, "someone"),
          action: "sns:Publish",
          resource: topic,
          resourceAccount: SERVICE_ACCOUNT,
        },
        { resource: policy },
      );
      expect(verdict).not.toBe("Allowed");
    });

    it.each(["sns:Subscribe", "sns:SetTopicAttributes", "sns:DeleteTopic"])(
      "lets no publisher %s",
      async (action) => {
        for (const call of alarms.map((a) => fromService("cloudwatch.amazonaws.com", a))) {
          expect(await publish(call, action)).not.toBe("Allowed");
        }
      },
    );
  },
);

describe.each(
  byOrganisation
    .ofType("AWS::SQS::QueuePolicy")
    .flatMap(([id]) =>
      list(byOrganisation.properties(id).Queues).map(
        (url) => [String(url).split("/").pop() ?? "", String(url)] as const,
      ),
    ),
)("the queue %s", (_, url) => {
  const t = byOrganisation;
  const [queueId] = t.ofType("AWS::SQS::Queue").find(([id]) => t.value({ Ref: id }) === url) ?? [];
  const queue = t.arn(queueId ?? "");
  const policy = queuePolicy(t, url);
  const senders = rulesSendingTo(t, queue);
  const send = (call: { principal: string; context?: Record<string, string> }, action = "sqs:SendMessage") =>
    evaluate({ ...call, action, resource: queue, resourceAccount: SERVICE_ACCOUNT }, { resource: policy });

  it.each(senders)("takes events from the rule %s", async (rule) => {
    expect(await send(fromService("events.amazonaws.com", rule))).toBe("Allowed");
  });

  it("takes nothing from the service's rules that do not send to it", async () => {
    const others = t
      .ofType("AWS::Events::Rule")
      .map(([id]) => t.arn(id))
      .filter((rule) => !senders.includes(rule));
    for (const rule of others)
      expect(await send(fromService("events.amazonaws.com", rule)), rule).not.toBe("Allowed");
  });

  it.each([
    [
      "another rule of this account",
      fromService("events.amazonaws.com", ruleArn(SERVICE_ACCOUNT, "someone-elses")),
    ],
    [
      "another account's rule",
      fromService("events.amazonaws.com", ruleArn(STRANGER_ACCOUNT, "x"), STRANGER_ACCOUNT),
    ],
    ["another service", fromService("sns.amazonaws.com", `arn:aws:sns:us-east-1:${SERVICE_ACCOUNT}:topic`)],
  ])("takes nothing from %s", async (_, call) => {
    expect(await send(call)).not.toBe("Allowed");
  });

  it("takes nothing from a principal of another account", async () => {
    const verdict = await evaluate(
      {
        principal: sessionArn(STRANGER_ACCOUNT, "someone"),
        action: "sqs:SendMessage",
        resource: queue,
        resourceAccount: SERVICE_ACCOUNT,
      },
      { identity: allowsAll, resource: policy },
    );
    expect(verdict).not.toBe("Allowed");
  });

  it.each(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:PurgeQueue", "sqs:SetQueueAttributes"])(
    "lets no sender %s",
    async (action) => {
      for (const rule of senders)
        expect(await send(fromService("events.amazonaws.com", rule), action)).not.toBe("Allowed");
    },
  );
});

describe("queues that rules deliver to", () => {
  it.each(byOrganisation.ofType("AWS::SQS::Queue").map(([id]) => [id] as const))(
    "%s admits every rule that sends to it",
    async (id) => {
      const t = byOrganisation;
      const url = String(t.value({ Ref: id }));
      for (const rule of rulesSendingTo(t, t.arn(id))) {
        const verdict = await evaluate(
          {
            ...fromService("events.amazonaws.com", rule),
            action: "sqs:SendMessage",
            resource: t.arn(id),
            resourceAccount: SERVICE_ACCOUNT,
          },
          { resource: queuePolicy(t, url) },
        );
        expect(verdict, rule).toBe("Allowed");
      }
    },
  );
});

describe("queues fed by their own rules", () => {
  const t = byOrganisation;
  it.each([
    ["ApprovalTagQueue", ["ApprovalTagRule", "ApprovalTagForwardedRule"]],
    ["SweepQueue", ["SweepSchedule", "PendingPassSchedule"]],
  ])("%s takes events from %j only", (queue, rules) => {
    expect(rulesSendingTo(t, t.arn(queue)).sort()).toEqual(rules.map((r) => t.arn(r)).sort());
  });
});

describe("the notify function", () => {
  const t = byOrganisation;
  const notify = t.arn("NotifyLambdaFunction");
  const policy = functionPolicy(t, notify);
  const invoke = (
    call: { principal: string; context?: Record<string, string> },
    action = "lambda:InvokeFunction",
  ) =>
    evaluate({ ...call, action, resource: notify, resourceAccount: SERVICE_ACCOUNT }, { resource: policy });

  it("is the target of the NotifyRule, and of no other rule", () => {
    const rules = t
      .ofType("AWS::Events::Rule")
      .filter(([id]) =>
        list(t.properties(id).Targets).some((target) => (target as { Arn?: string }).Arn === notify),
      )
      .map(([id]) => id);
    expect(rules).toEqual(["NotifyRule"]);
  });

  it("is invoked by EventBridge for the NotifyRule", async () => {
    expect(await invoke(fromService("events.amazonaws.com", t.arn("NotifyRule")))).toBe("Allowed");
  });

  it.each([
    ["another rule of this account", fromService("events.amazonaws.com", t.arn("PeeringRequestRule"))],
    [
      "a rule of the same name in another account",
      fromService(
        "events.amazonaws.com",
        ruleArn(STRANGER_ACCOUNT, "peering-autopilot-ci/NotifyRule"),
        STRANGER_ACCOUNT,
      ),
    ],
    ["EventBridge without a source rule", { principal: "events.amazonaws.com" }],
    ["another service", fromService("sns.amazonaws.com", `arn:aws:sns:us-east-1:${SERVICE_ACCOUNT}:topic`)],
  ])("is not invoked by %s", async (_, call) => {
    expect(await invoke(call)).not.toBe("Allowed");
  });

  it("is not invoked by a principal of another account", async () => {
    const verdict = await evaluate(
      {
        principal: sessionArn(STRANGER_ACCOUNT, "someone"),
        action: "lambda:InvokeFunction",
        resource: notify,
        resourceAccount: SERVICE_ACCOUNT,
      },
      { identity: allowsAll, resource: policy },
    );
    expect(verdict).not.toBe("Allowed");
  });

  it.each(["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:AddPermission"])(
    "lets the NotifyRule not %s",
    async (action) => {
      expect(await invoke(fromService("events.amazonaws.com", t.arn("NotifyRule")), action)).not.toBe(
        "Allowed",
      );
    },
  );
});
