// Both templates this project deploys, linted against the CloudFormation resource specification: the
// service's as `serverless package` writes it, and member-account/template.yml.
import { beforeAll, describe, expect, it } from "vitest";
import type { Template } from "../templates/cloudformation";
import { memberTemplate } from "../templates/member-template";
import { packageService } from "../templates/service-template";
import { formatFindings, lintTemplate } from "./lint-template";
import { loadResourceSpec, type ResourceSpec } from "./resource-spec";

const SERVICE = "service (serverless package)";
const MEMBER = "member-account/template.yml";

let spec: ResourceSpec;
let service: Template;
beforeAll(async () => {
  [spec, { template: service }] = await Promise.all([loadResourceSpec(), packageService()]);
}, 180_000);

describe("the templates this project deploys", () => {
  it("the packaged service template has no finding", () => {
    expect(formatFindings(SERVICE, lintTemplate(spec, service))).toEqual([]);
  });

  it("member-account/template.yml has no finding", () => {
    expect(formatFindings(MEMBER, lintTemplate(spec, memberTemplate()))).toEqual([]);
  });
});

describe("the lint of the real templates covers all of them", () => {
  it("finds defects put into the service template", () => {
    const broken: Template = structuredClone(service);
    const rule = broken.Resources.NotifyRule?.Properties as { Targets: Record<string, unknown>[] };
    rule.Targets[0] = { ...rule.Targets[0], Arn: { "Fn::GetAtt": ["NotificationTopic", "Arn"] } };
    broken.Resources.DeadLetterQueue = {
      ...broken.Resources.DeadLetterQueue,
      Type: "AWS::SQS::Queue",
      Properties: { MessageRetentionPeriod: "two weeks" },
    };
    expect(formatFindings(SERVICE, lintTemplate(spec, broken))).toEqual([
      `${SERVICE}: Resources.NotifyRule.Properties.Targets[0].Arn: Fn::GetAtt NotificationTopic.Arn: AWS::SNS::Topic has no attribute Arn (it has TopicArn, TopicName)`,
      `${SERVICE}: Resources.DeadLetterQueue.Properties.MessageRetentionPeriod: expected integer, got "two weeks"`,
    ]);
  });

  it("finds defects put into the member template", () => {
    const broken = memberTemplate();
    delete broken.Resources.ForwardingRule?.Condition;
    const role = broken.Resources.ExecutionRole?.Properties as Record<string, unknown>;
    role.MaxSessionDurationSeconds = role.MaxSessionDuration;
    delete role.MaxSessionDuration;
    expect(formatFindings(MEMBER, lintTemplate(spec, broken))).toEqual([
      `${MEMBER}: Resources.ForwardingRule.Properties.Targets[0].RoleArn: Fn::GetAtt ForwardingRole.Arn: ForwardingRole exists only when ForwardingEnabled is true, and ForwardingEnabled may not hold here`,
      `${MEMBER}: Resources.ExecutionRole.Properties.MaxSessionDurationSeconds: not a property of AWS::IAM::Role`,
    ]);
  });
});
