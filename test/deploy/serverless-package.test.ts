import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Resource, Template } from "./templates/cloudformation";
import { memberTemplate } from "./templates/member-template";
import { packageService } from "./templates/service-template";

let template: Template;
let resources: Template["Resources"];
let esbuildTarget: unknown;

beforeAll(async () => {
  // The same command a user runs; it must work offline, without AWS credentials.
  const packaged = await packageService();
  template = packaged.template;
  resources = template.Resources;
  const state = JSON.parse(readFileSync(join(packaged.dir, "serverless-state.json"), "utf8"));
  esbuildTarget = state.service.custom.esbuild.target;
}, 120_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const getAtt = (name: string, attribute = "Arn") => ({ "Fn::GetAtt": [name, attribute] });
const cloudTrailPattern = (eventName: string[], requestParameters?: object) => ({
  source: ["aws.ec2"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["ec2.amazonaws.com"],
    eventName,
    errorCode: [{ exists: false }],
    ...(requestParameters && { requestParameters }),
  },
});
// CreateTags setting peering-approval on a peering connection; every other CreateTags stays out.
const APPROVAL_TAG_CALL = {
  resourcesSet: { items: { resourceId: [{ prefix: "pcx-" }] } },
  tagSet: { items: { key: ["peering-approval"] } },
};
const targetsOf = (rule: Resource) => rule.Properties.Targets as Record<string, unknown>[];
/** The event source mappings that invoke a function, by the function's logical name prefix. */
const mappingsOf = (fn: string) =>
  ofType("AWS::Lambda::EventSourceMapping")
    .map(([, m]) => m.Properties)
    .filter((m) => JSON.stringify(m.FunctionName) === JSON.stringify(getAtt(`${fn}LambdaFunction`)));

const EVENT_FUNCTIONS = [
  ["OnPeeringRequest", "PeeringRequestQueue", cloudTrailPattern(["CreateVpcPeeringConnection"])],
  [
    "OnPeeringChange",
    "PeeringChangeQueue",
    cloudTrailPattern([
      "AcceptVpcPeeringConnection",
      "RejectVpcPeeringConnection",
      "DeleteVpcPeeringConnection",
    ]),
  ],
  [
    "OnVpcCidrChange",
    "VpcCidrChangeQueue",
    cloudTrailPattern(["AssociateVpcCidrBlock", "DisassociateVpcCidrBlock"]),
  ],
  ["OnApprovalTag", "ApprovalTagQueue", cloudTrailPattern(["CreateTags"], APPROVAL_TAG_CALL)],
] as const;
const FUNCTIONS = [
  "OnPeeringRequest",
  "OnPeeringChange",
  "OnVpcCidrChange",
  "OnApprovalTag",
  "Notify",
  "Reconcile",
];

describe("serverless package", () => {
  it("builds every function for nodejs24.x, the Node.js this suite runs on", () => {
    const handlers = ofType("AWS::Lambda::Function").map(([, fn]) => {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      return fn.Properties.Handler;
    });
    expect(handlers.sort()).toEqual([
      "functions/notify.handler",
      "functions/on-approval-tag.handler",
      "functions/on-peering-change.handler",
      "functions/on-peering-request.handler",
      "functions/on-vpc-cidr-change.handler",
      "functions/reconcile.handler",
    ]);
    expect(esbuildTarget).toBe("node24");
    // The runtime that ships is the runtime that is tested (.ci/run; package.json optionalDependencies).
    expect(`nodejs${process.versions.node.split(".")[0]}.x`).toBe("nodejs24.x");
  });

  it.each(EVENT_FUNCTIONS)(
    "hands successful CloudTrail calls to %s through %s, from the default bus and from the service's bus",
    (fn, queue, pattern) => {
      const rules = ofType("AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties.Targets).includes(`"${queue}"`),
      );
      expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual([pattern, pattern]);
      expect(rules.map(([, r]) => r.Properties.EventBusName ?? "default")).toEqual([
        "default",
        { Ref: "PeeringBus" },
      ]);
      expect(mappingsOf(fn).map((m) => m.EventSourceArn)).toEqual([getAtt(queue)]);
    },
  );

  it("forwards from the member accounts exactly what the service's rules take", () => {
    const member = Object.values(memberTemplate().Resources).filter((r) => r.Type === "AWS::Events::Rule");
    const memberPatterns = member.map(
      (r) => r.Properties.EventPattern as ReturnType<typeof cloudTrailPattern>,
    );
    const approval = memberPatterns.filter((p) => p.detail.requestParameters);
    const calls = memberPatterns.filter((p) => !p.detail.requestParameters);
    expect(approval).toEqual([resources.ApprovalTagForwardedRule?.Properties.EventPattern]);
    expect(calls).toHaveLength(1);
    const served = EVENT_FUNCTIONS.filter(([, , p]) => !p.detail.requestParameters).flatMap(
      ([, , p]) => p.detail.eventName,
    );
    expect(calls[0]?.detail.eventName.toSorted()).toEqual(served.toSorted());
  });

  it("invokes the event functions only through their queues, and notify only from the NotifyRule", () => {
    const functionTargets = ofType("AWS::Events::Rule").flatMap(([name, r]) =>
      targetsOf(r)
        .filter((t) => JSON.stringify(t.Arn).includes("LambdaFunction"))
        .map((t) => [name, t.Arn]),
    );
    expect(functionTargets).toEqual([["NotifyRule", getAtt("NotifyLambdaFunction")]]);
    // The queue's cap is the only way into the event functions; EventBridge may invoke notify for its
    // rule only (evaluated in test/deploy/iam/resource-policies.test.ts).
    expect(ofType("AWS::Lambda::Permission").map(([, p]) => p.Properties)).toEqual([
      {
        Action: "lambda:InvokeFunction",
        FunctionName: getAtt("NotifyLambdaFunction"),
        Principal: "events.amazonaws.com",
        SourceArn: getAtt("NotifyRule"),
      },
    ]);
    // A notification Lambda could not deliver after its own retries is parked with the other failures.
    expect(ofType("AWS::Lambda::EventInvokeConfig").map(([, c]) => c.Properties)).toEqual([
      expect.objectContaining({
        FunctionName: { Ref: "NotifyLambdaFunction" },
        DestinationConfig: { OnFailure: { Destination: getAtt("DeadLetterQueue") } },
      }),
    ]);
  });

  it("reserves no concurrency, so that it deploys on an account whose concurrency limit is 10", () => {
    // Lambda keeps 100 of an account's concurrency unreserved: any reservation fails below 100 + it.
    for (const [, fn] of ofType("AWS::Lambda::Function")) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it.each(EVENT_FUNCTIONS)(
    "lets a flood of events wait in the queue: %s takes one event per invocation, five at once",
    (fn, queue) => {
      expect(mappingsOf(fn)).toEqual([
        expect.objectContaining({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 5 } }),
      ]);
      const properties = resources[queue]?.Properties ?? {};
      const timeout = resources[`${fn}LambdaFunction`]?.Properties.Timeout as number;
      // Events wait for days, not seconds, while the function is busy; a message is not handed out
      // again while an invocation may still be working on it (AWS advises six times the timeout).
      expect(properties.MessageRetentionPeriod).toBeGreaterThanOrEqual(86_400);
      expect(properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      // Three attempts in all (every step is idempotent), then the dead-letter queue.
      expect(properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt("DeadLetterQueue"),
        maxReceiveCount: 3,
      });
    },
  );

  it("runs the reconciler on a schedule, one sweep at a time, without reserving concurrency", () => {
    const schedules = ofType("AWS::Events::Rule").filter(([, r]) => r.Properties.ScheduleExpression);
    expect(schedules.map(([name, r]) => [name, r.Properties.ScheduleExpression])).toEqual([
      ["SweepSchedule", "rate(5 minutes)"],
      ["PendingPassSchedule", "rate(1 minute)"],
    ]);
    // Both in the one message group: a pending pass never runs beside a full sweep.
    for (const [, schedule] of schedules) {
      expect(targetsOf(schedule)).toEqual([
        expect.objectContaining({ Arn: getAtt("SweepQueue"), SqsParameters: { MessageGroupId: "sweep" } }),
      ]);
    }
    // The full sweep gets the scheduled event; the pending pass asks for its pass, with the tick's time
    // so that content-based deduplication does not keep one tick in five minutes.
    expect(targetsOf(resources.SweepSchedule as Resource)[0]).not.toHaveProperty("InputTransformer");
    expect(targetsOf(resources.PendingPassSchedule as Resource)[0]?.InputTransformer).toEqual({
      InputPathsMap: { time: "$.time" },
      InputTemplate: '{"pass": "pending", "time": <time>}',
    });
    // A FIFO queue hands out a message group's next batch only when the batch before it is done.
    const queue = resources.SweepQueue?.Properties ?? {};
    expect(queue).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: true });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
      resources.ReconcileLambdaFunction?.Properties.Timeout as number,
    );
    expect(mappingsOf("Reconcile")).toEqual([
      expect.objectContaining({ EventSourceArn: getAtt("SweepQueue") }),
    ]);
  });

  it("retries EventBridge deliveries deliberately and parks undeliverable events", () => {
    const rules = ofType("AWS::Events::Rule");
    expect(rules).toHaveLength(11);
    for (const [, rule] of rules) {
      expect(targetsOf(rule)).toEqual([
        expect.objectContaining({
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
          DeadLetterConfig: { Arn: getAtt("DeadLetterQueue") },
        }),
      ]);
    }
  });

  it("creates the service's bus", () => {
    expect(resources.PeeringBus?.Properties.Name).toBe("peering-autopilot-ci");
    // Constant conditions are gone: who may put events on the bus is settled when packaging.
    expect(template.Conditions).toBeUndefined();
  });

  it("sends the service's own decisions marked notify, and only those, to the notify function, which publishes to the topic", () => {
    const rule = resources.NotifyRule;
    expect(rule?.Properties.EventBusName).toEqual({ Ref: "PeeringBus" });
    expect(rule?.Properties.EventPattern).toEqual({
      account: [{ Ref: "AWS::AccountId" }],
      source: ["peering-autopilot"],
      "detail-type": ["Peering Decision"],
      detail: { notify: [true] },
    });
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({ Id: "notify", Arn: getAtt("NotifyLambdaFunction") }),
    ]);
    const env = resources.NotifyLambdaFunction?.Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.NOTIFICATION_TOPIC_ARN).toEqual({ Ref: "NotificationTopic" });
    // Who may publish to the topic is evaluated in test/deploy/iam/resource-policies.test.ts.
  });

  it("outputs what member accounts need: the bus and the role to trust", () => {
    expect(template.Outputs?.ServiceEventBusArn?.Value).toEqual({ "Fn::GetAtt": ["PeeringBus", "Arn"] });
    expect(template.Outputs?.ServiceRoleArns?.Value).toEqual({
      "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"],
    });
  });

  // The function role's grants are evaluated as AWS would in test/deploy/iam/function-roles.test.ts.

  describe("operations", () => {
    it.each(
      FUNCTIONS.flatMap((fn) => [
        [`${fn}ErrorsAlarm`, "AWS/Lambda", "Errors"],
        [`${fn}ThrottlesAlarm`, "AWS/Lambda", "Throttles"],
      ]),
    )("alarms on %s and tells the notification topic", (name, namespace, metric) => {
      const alarm = resources[name];
      expect(alarm?.Type).toBe("AWS::CloudWatch::Alarm");
      expect(alarm?.Properties).toMatchObject({
        Namespace: namespace,
        MetricName: metric,
        Threshold: 1,
        AlarmActions: [{ Ref: "NotificationTopic" }],
      });
    });

    it("alarms when anything waits in the dead-letter queue", () => {
      expect(resources.DeadLetterAlarm?.Properties).toMatchObject({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: getAtt("DeadLetterQueue", "QueueName") }],
        AlarmActions: [{ Ref: "NotificationTopic" }],
      });
    });

    it("sizes each event handler's timeout to its bounded waits", () => {
      const env = resources.OnPeeringRequestLambdaFunction?.Properties.Environment as {
        Variables: Record<string, string>;
      };
      // The defaults the code uses when the variables are unset (shared/config.ts).
      const visible = Number(env.Variables.VISIBLE_WAIT_SECONDS ?? 30);
      const active = Number(env.Variables.ACTIVE_WAIT_SECONDS ?? 60);
      for (const [fn] of EVENT_FUNCTIONS) {
        const timeout = resources[`${fn}LambdaFunction`]?.Properties.Timeout as number;
        expect(timeout).toBeGreaterThanOrEqual(visible + active + 20);
        expect(timeout).toBeLessThanOrEqual(300);
      }
    });
  });
});
