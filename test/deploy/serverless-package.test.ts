import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const ORG = "o-a1b2c3d4e5";
const out = mkdtempSync(join(tmpdir(), "peering-autopilot-package-"));
interface Template {
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
  Conditions: Record<string, unknown>;
  Outputs: Record<string, { Value: unknown }>;
}
let template: Template;
let resources: Template["Resources"];
let statements: Statement[];

beforeAll(async () => {
  // The same command a user runs; it must work offline, without AWS credentials.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" };
  const args = ["serverless", "package", "--stage", "ci", "--package", out, `--param=orgId=${ORG}`];
  await promisify(execFile)("npx", args, { env });
  template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"));
  resources = template.Resources;
  const role = Object.values(resources).find((r) => r.Type === "AWS::IAM::Role");
  const policies = role?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  statements = policies.flatMap((p) => p.PolicyDocument.Statement);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const actions = (s: Statement) => [s.Action].flat();
const grantFor = (action: string) =>
  statements.filter((s) => s.Effect === "Allow" && actions(s).includes(action));

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const cloudTrailPattern = (eventName: string[]) => ({
  source: ["aws.ec2"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventSource: ["ec2.amazonaws.com"], eventName, errorCode: [{ exists: false }] },
});

describe("serverless package", () => {
  it("builds every function on a supported Node.js runtime", () => {
    const handlers = ofType("AWS::Lambda::Function").map(([, fn]) => {
      expect(fn.Properties.Runtime).toMatch(/^nodejs(22|24)\.x$/);
      return fn.Properties.Handler;
    });
    expect(handlers.sort()).toEqual([
      "functions/on-peering-change.handler",
      "functions/on-peering-request.handler",
      "functions/on-vpc-cidr-change.handler",
      "functions/reconcile.handler",
    ]);
  });

  it.each([
    ["OnPeeringRequest", ["CreateVpcPeeringConnection"]],
    [
      "OnPeeringChange",
      ["AcceptVpcPeeringConnection", "RejectVpcPeeringConnection", "DeleteVpcPeeringConnection"],
    ],
    ["OnVpcCidrChange", ["AssociateVpcCidrBlock", "DisassociateVpcCidrBlock"]],
  ])(
    "routes successful CloudTrail calls to %s from the default bus and from the service's bus",
    (fn, names) => {
      const rules = ofType("AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties.Targets).includes(`"${fn}LambdaFunction"`),
      );
      expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual([
        cloudTrailPattern(names),
        cloudTrailPattern(names),
      ]);
      expect(rules.map(([, r]) => r.Properties.EventBusName ?? "default")).toEqual([
        "default",
        { "Fn::GetAtt": ["PeeringBus", "Name"] },
      ]);
    },
  );

  it("runs the reconciler on a schedule", () => {
    const schedules = ofType("AWS::Events::Rule").filter(([, r]) => r.Properties.ScheduleExpression);
    expect(schedules.map(([, r]) => r.Properties.ScheduleExpression)).toEqual(["rate(5 minutes)"]);
    expect(JSON.stringify(schedules[0]?.[1].Properties.Targets)).toContain("ReconcileLambdaFunction");
  });

  it("creates the service's bus and admits only the organisation to it", () => {
    const bus = resources.PeeringBus;
    expect(bus?.Properties.Name).toBe("peering-autopilot-ci");
    expect(template.Conditions.AdmitOrganisation).toEqual({ "Fn::Not": [{ "Fn::Equals": [ORG, ""] }] });
    expect(template.Conditions.AdmitAccounts).toEqual({ "Fn::Not": [{ "Fn::Equals": ["", ""] }] });
    const policy = resources.OrganisationMayPutEvents;
    expect(policy?.Condition).toBe("AdmitOrganisation");
    expect(policy?.Properties.Statement).toEqual({
      Effect: "Allow",
      Principal: "*",
      Action: "events:PutEvents",
      Resource: { "Fn::GetAtt": ["PeeringBus", "Arn"] },
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
    });
    expect(resources.AccountsMayPutEvents?.Condition).toBe("AdmitAccounts");
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
    const topicPolicy = resources.NotificationTopicPolicy?.Properties.PolicyDocument as {
      Statement: Statement[];
    };
    expect(topicPolicy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": ["NotifyRule", "Arn"] } } },
      }),
    ]);
  });

  it("outputs what member accounts need: the bus and the role to trust", () => {
    expect(template.Outputs.ServiceEventBusArn?.Value).toEqual({ "Fn::GetAtt": ["PeeringBus", "Arn"] });
    expect(template.Outputs.ServiceRoleArns?.Value).toEqual({
      "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"],
    });
  });

  it("grants no wildcard action and only reads on every resource", () => {
    for (const s of statements) {
      for (const action of actions(s)) expect(action).not.toContain("*");
    }
    const unscoped = statements.filter((s) => s.Resource === "*").flatMap(actions);
    expect(unscoped.every((a) => /^ec2:Describe/.test(a) || a.startsWith("logs:"))).toBe(true);
  });

  it.each([
    ["ec2:AcceptVpcPeeringConnection", "vpc-peering-connection/*"],
    ["ec2:RejectVpcPeeringConnection", "vpc-peering-connection/*"],
    ["ec2:CreateRoute", "route-table/*"],
    ["ec2:DeleteRoute", "route-table/*"],
    ["ec2:ModifyVpcPeeringConnectionOptions", "vpc-peering-connection/*"],
    ["ec2:CreateTags", "vpc-peering-connection/*"],
  ])("scopes %s to this account's %s", (action, resource) => {
    const grants = grantFor(action);
    expect(grants).toHaveLength(1);
    const text = JSON.stringify(grants[0]?.Resource);
    expect(text).toContain(resource);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not a JS template
    expect(text).toContain(":${AWS::AccountId}:");
  });

  it("lets the function tag only with the service's own tag keys", () => {
    expect(grantFor("ec2:CreateTags")[0]?.Condition).toEqual({
      "ForAllValues:StringLike": { "aws:TagKeys": ["peering-autopilot:*"] },
    });
  });

  it("assumes only the fixed-name execution role, and puts events only on its own bus", () => {
    expect(JSON.stringify(grantFor("sts:AssumeRole")[0]?.Resource)).toMatch(
      /:role\/peering-autopilot-execution"/,
    );
    expect(grantFor("events:PutEvents").map((s) => s.Resource)).toEqual([
      { "Fn::GetAtt": ["PeeringBus", "Arn"] },
    ]);
  });

  it("never grants what no code path needs", () => {
    for (const action of [
      "ec2:ReplaceRoute",
      "ec2:DeleteVpcPeeringConnection",
      "ec2:CreateVpcPeeringConnection",
    ]) {
      expect(grantFor(action)).toEqual([]);
    }
  });

  describe("operations", () => {
    const functions = ["OnPeeringRequest", "OnPeeringChange", "OnVpcCidrChange", "Reconcile"];
    const dlq = { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] };

    it.each(functions)("%s sends failed asynchronous invocations to the dead-letter queue", (fn) => {
      const config = ofType("AWS::Lambda::EventInvokeConfig").find(
        ([, c]) =>
          JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: `${fn}LambdaFunction` }),
      )?.[1];
      expect(config?.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: dlq } });
      // Every step is idempotent, so Lambda may retry; the reconciler's next run is its retry.
      expect(config?.Properties.MaximumRetryAttempts).toBe(fn === "Reconcile" ? 0 : 2);
      if (fn !== "Reconcile") expect(config?.Properties.MaximumEventAgeInSeconds).toBe(3600);
    });

    it("retries EventBridge deliveries deliberately and parks undeliverable events in the queue", () => {
      const cloudTrailRules = ofType("AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties.EventPattern ?? {}).includes("aws.ec2"),
      );
      expect(cloudTrailRules).toHaveLength(6);
      for (const [, rule] of cloudTrailRules) {
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
            DeadLetterConfig: { Arn: dlq },
          }),
        ]);
      }
      const policy = resources.DeadLetterQueuePolicy?.Properties.PolicyDocument as { Statement: Statement[] };
      expect(policy.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
        }),
      ]);
    });

    it.each(
      functions.flatMap((fn) => [
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
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": ["DeadLetterQueue", "QueueName"] } }],
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
      for (const fn of functions.slice(0, 3)) {
        const timeout = resources[`${fn}LambdaFunction`]?.Properties.Timeout as number;
        expect(timeout).toBeGreaterThanOrEqual(visible + active + 20);
        expect(timeout).toBeLessThanOrEqual(300);
      }
    });

    it("caps concurrency so that a flood of events cannot use up an account's EC2 request quota", () => {
      const reserved = Object.fromEntries(
        functions.map((fn) => [
          fn,
          resources[`${fn}LambdaFunction`]?.Properties.ReservedConcurrentExecutions,
        ]),
      );
      expect(reserved).toEqual({ OnPeeringRequest: 5, OnPeeringChange: 5, OnVpcCidrChange: 5, Reconcile: 1 });
    });
  });
});
