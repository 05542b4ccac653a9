import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Resource, Template } from "./templates/cloudformation";
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
const cloudTrailPattern = (eventName: string[]) => ({
  source: ["aws.ec2"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventSource: ["ec2.amazonaws.com"], eventName, errorCode: [{ exists: false }] },
});
const targetsOf = (rule: Resource) => rule.Properties.Targets as Record<string, unknown>[];
/** The event source mappings that invoke a function, by the function's logical name prefix. */
const mappingsOf = (fn: string) =>
  ofType("AWS::Lambda::EventSourceMapping")
    .map(([, m]) => m.Properties)
    .filter((m) => JSON.stringify(m.FunctionName) === JSON.stringify(getAtt(`${fn}LambdaFunction`)));

const EVENT_FUNCTIONS = [
  ["OnPeeringRequest", "PeeringRequestQueue", ["CreateVpcPeeringConnection"]],
  [
    "OnPeeringChange",
    "PeeringChangeQueue",
    ["AcceptVpcPeeringConnection", "RejectVpcPeeringConnection", "DeleteVpcPeeringConnection"],
  ],
  ["OnVpcCidrChange", "VpcCidrChangeQueue", ["AssociateVpcCidrBlock", "DisassociateVpcCidrBlock"]],
] as const;
const FUNCTIONS = ["OnPeeringRequest", "OnPeeringChange", "OnVpcCidrChange", "Reconcile"];

describe("serverless package", () => {
  it("builds every function for nodejs24.x, the Node.js this suite runs on", () => {
    const handlers = ofType("AWS::Lambda::Function").map(([, fn]) => {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      return fn.Properties.Handler;
    });
    expect(handlers.sort()).toEqual([
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
    (fn, queue, names) => {
      const rules = ofType("AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties.Targets).includes(`"${queue}"`),
      );
      expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual([
        cloudTrailPattern([...names]),
        cloudTrailPattern([...names]),
      ]);
      expect(rules.map(([, r]) => r.Properties.EventBusName ?? "default")).toEqual([
        "default",
        { Ref: "PeeringBus" },
      ]);
      expect(mappingsOf(fn).map((m) => m.EventSourceArn)).toEqual([getAtt(queue)]);
    },
  );

  it("invokes no function but through its queue: the queue's cap is the only way in", () => {
    const functionTargets = ofType("AWS::Events::Rule").flatMap(([, r]) =>
      targetsOf(r).filter((t) => JSON.stringify(t.Arn).includes("LambdaFunction")),
    );
    expect(functionTargets).toEqual([]);
    expect(ofType("AWS::Lambda::Permission")).toEqual([]);
    expect(ofType("AWS::Lambda::EventInvokeConfig")).toEqual([]);
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
    expect(schedules.map(([, r]) => r.Properties.ScheduleExpression)).toEqual(["rate(5 minutes)"]);
    expect(targetsOf(schedules[0]?.[1] as Resource)).toEqual([
      expect.objectContaining({ Arn: getAtt("SweepQueue"), SqsParameters: { MessageGroupId: "sweep" } }),
    ]);
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

  it("retries EventBridge deliveries to the queues deliberately and parks undeliverable events", () => {
    const queueRules = ofType("AWS::Events::Rule").filter(([name]) => name !== "NotifyRule");
    expect(queueRules).toHaveLength(7);
    for (const [, rule] of queueRules) {
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

  it("sends decisions marked notify, and only those, to the notification topic", () => {
    const rule = resources.NotifyRule;
    expect(rule?.Properties.EventBusName).toEqual({ Ref: "PeeringBus" });
    expect(rule?.Properties.EventPattern).toEqual({
      source: ["peering-autopilot"],
      "detail-type": ["Peering Decision"],
      detail: { notify: [true] },
    });
    expect(rule?.Properties.Targets).toEqual([
      { Id: "notification-topic", Arn: { Ref: "NotificationTopic" } },
    ]);
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
