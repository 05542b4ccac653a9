// The linter on small templates: each class of defect gives exactly the expected finding, and a valid
// template that uses every kind of intrinsic function gives none.
import { beforeAll, describe, expect, it } from "vitest";
import { parseTemplate } from "../templates/cloudformation";
import { lintTemplate } from "./lint-template";
import { loadResourceSpec, type ResourceSpec } from "./resource-spec";

let spec: ResourceSpec;
beforeAll(async () => {
  spec = await loadResourceSpec();
});

/** The findings for a template written as YAML, as `path: message` lines. */
const lint = (yaml: string): string[] =>
  lintTemplate(spec, parseTemplate(yaml)).map((f) => `${f.path}: ${f.message}`);

/** A valid template plus `resources` (YAML lines under Resources, indented by 2). */
const withResources = (resources: string, extra = "") => `
${extra}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
${resources}
`;

describe("the linter's own fixture", () => {
  it("is valid, so each test below sees only the defect it adds", () => {
    expect(lint(withResources(""))).toEqual([]);
  });
});

describe("resource types and properties", () => {
  it("reports a resource type CloudFormation does not have", () => {
    expect(lint(withResources("  Topic:\n    Type: AWS::SNS::Topics\n"))).toEqual([
      "Resources.Topic.Type: AWS::SNS::Topics is not a CloudFormation resource type",
    ]);
  });

  it("reports an unknown property, at the top and nested", () => {
    const yaml = withResources(`
  Dlq:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeoutSeconds: 60
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Targets:
        - Id: queue
          Arn: !GetAtt Queue.Arn
          RetryPolicy: { MaximumRetries: 3 }
`);
    expect(lint(yaml)).toEqual([
      "Resources.Dlq.Properties.VisibilityTimeoutSeconds: not a property of AWS::SQS::Queue",
      "Resources.Rule.Properties.Targets[0].RetryPolicy.MaximumRetries: not a property of RetryPolicy",
    ]);
  });

  it("reports a missing required property, at the top and nested", () => {
    const yaml = withResources(`
  Bus:
    Type: AWS::Events::EventBus
    Properties: {}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      EventPattern: { source: [peering-autopilot] }
      Targets: [{ Arn: !GetAtt Queue.Arn }]
`);
    expect(lint(yaml)).toEqual([
      "Resources.Bus.Properties: missing required property Name of AWS::Events::EventBus",
      "Resources.Rule.Properties.Targets[0]: missing required property Id of Target",
    ]);
  });

  it("reports a missing required property when Properties is left out", () => {
    expect(lint(withResources("  Bus:\n    Type: AWS::Events::EventBus\n"))).toEqual([
      "Resources.Bus.Properties: missing required property Name of AWS::Events::EventBus",
    ]);
  });

  it("reports values of the wrong type: scalar, list, nested, and an enum value", () => {
    const yaml = withResources(`
  Slow:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: thirty
      FifoQueue: yes please
  Policy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: arn:aws:sns:us-east-1:123456789012:topic
      PolicyDocument: { Statement: [] }
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Targets:
        - Id: queue
          Arn: [!GetAtt Queue.Arn]
          RetryPolicy: { MaximumRetryAttempts: ten }
  Function:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: zip
      Role: arn:aws:iam::123456789012:role/r
      Code: { ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/f:1 }
`);
    expect(lint(yaml)).toEqual([
      'Resources.Slow.Properties.VisibilityTimeout: expected integer, got "thirty"',
      'Resources.Slow.Properties.FifoQueue: expected boolean, got "yes please"',
      'Resources.Policy.Properties.Topics: expected list of string, got "arn:aws:sns:us-east-1:123456789012:topic"',
      'Resources.Rule.Properties.Targets[0].Arn: expected string, got [{"Fn::GetAtt":["Queue","Arn"]}]',
      'Resources.Rule.Properties.Targets[0].RetryPolicy.MaximumRetryAttempts: expected integer, got "ten"',
      'Resources.Function.Properties.PackageType: "zip" is not one of Image, Zip',
    ]);
  });

  it("accepts what CloudFormation converts: numbers as strings, scalars for strings", () => {
    const yaml = withResources(`
  Quoted:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: "60"
      FifoQueue: "true"
      QueueName: 2026.fifo
`);
    expect(lint(yaml)).toEqual([]);
  });

  it("reports an intrinsic function that cannot stand for the value's type", () => {
    const yaml = withResources(
      `
  Policy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: !Sub arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:topic
      PolicyDocument: { Statement: [] }
  Named:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Split [",", !Ref Names]
`,
      "Parameters:\n  Names: { Type: CommaDelimitedList }",
    );
    expect(lint(yaml)).toEqual([
      "Resources.Policy.Properties.Topics: Fn::Sub yields a single value, expected list of string",
      "Resources.Named.Properties.QueueName: Fn::Split yields a list, expected string",
    ]);
  });

  it("checks both branches of a Fn::If", () => {
    const yaml = withResources(
      `
  Branchy:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !If [Long, 900, long]
`,
      'Parameters:\n  Mode: { Type: String }\nConditions:\n  Long: !Equals [!Ref Mode, "long"]',
    );
    expect(lint(yaml)).toEqual([
      'Resources.Branchy.Properties.VisibilityTimeout.Fn::If[2]: expected integer, got "long"',
    ]);
  });
});

describe("references", () => {
  it("reports a Fn::GetAtt of an attribute the resource type does not have", () => {
    const yaml = withResources(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Targets: [{ Id: queue, Arn: !GetAtt Queue.Url }]
`);
    expect(lint(yaml)).toEqual([
      "Resources.Rule.Properties.Targets[0].Arn: Fn::GetAtt Queue.Url: AWS::SQS::Queue has no attribute Url (it has Arn, QueueName, QueueUrl)",
    ]);
  });

  it("reports a Ref, a Fn::Sub variable and a Fn::GetAtt that name nothing", () => {
    const yaml = withResources(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Description: !Sub "forwards to \${Nowhere} in \${AWS::Region}, not \${!Literal}"
      Targets:
        - Id: queue
          Arn: !Ref DeadLetters
          RoleArn: !GetAtt Role.Arn
`);
    expect(lint(yaml)).toEqual([
      `Resources.Rule.Properties.Description: Fn::Sub \${Nowhere} names no parameter, resource or pseudo parameter`,
      "Resources.Rule.Properties.Targets[0].Arn: Ref DeadLetters names no parameter, resource or pseudo parameter",
      "Resources.Rule.Properties.Targets[0].RoleArn: Fn::GetAtt Role.Arn: Role is not a resource",
    ]);
  });

  it("reports DependsOn, Condition and Fn::If names that do not exist", () => {
    const yaml = withResources(`
  Dlq:
    Type: AWS::SQS::Queue
    Condition: Enabled
    DependsOn: [Queue, Topic]
    Properties:
      DelaySeconds: !If [Delayed, 5, 0]
`);
    expect(lint(yaml)).toEqual([
      "Resources.Dlq.Condition: condition Enabled is not defined",
      "Resources.Dlq.DependsOn[1]: DependsOn Topic: Topic is not a resource",
      "Resources.Dlq.Properties.DelaySeconds.Fn::If[0]: condition Delayed is not defined",
    ]);
  });

  it("reports a use of a conditional resource where its condition may not hold", () => {
    const yaml = withResources(
      `
  Dlq:
    Type: AWS::SQS::Queue
    Condition: WithDlq
  Guarded:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !If [WithDlq, { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 }, !Ref AWS::NoValue]
  Unguarded:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 }
`,
      'Parameters:\n  DlqWanted: { Type: String }\nConditions:\n  WithDlq: !Equals [!Ref DlqWanted, "yes"]',
    );
    expect(lint(yaml)).toEqual([
      "Resources.Unguarded.Properties.RedrivePolicy.deadLetterTargetArn: Fn::GetAtt Dlq.Arn: Dlq exists only when WithDlq is true, and WithDlq may not hold here",
    ]);
  });

  it("reports resource-level keys and template sections CloudFormation does not know", () => {
    const yaml = withResources(
      "  Topic:\n    Type: AWS::SNS::Topic\n    Condtion: Enabled\n    DeletionPolicy: Keep\n",
      "Output: {}",
    );
    expect(lint(yaml)).toEqual([
      "Output: not a template section",
      "Resources.Topic.Condtion: not a resource attribute",
      'Resources.Topic.DeletionPolicy: "Keep" is not one of Delete, Retain, RetainExceptOnCreate, Snapshot',
    ]);
  });

  it("reports an output without a value, and an output of a list", () => {
    const yaml = withResources(
      "",
      "Outputs:\n  Empty: { Description: nothing }\n  Zones: { Value: !GetAZs '' }",
    );
    expect(lint(yaml)).toEqual([
      "Outputs.Empty: missing Value",
      "Outputs.Zones.Value: an output's value must be a string (Fn::Join a list)",
    ]);
  });

  it("reports an export name exported twice", () => {
    const yaml = withResources(
      "",
      "Outputs:\n  A: { Value: !Ref Queue, Export: { Name: q } }\n  B: { Value: !Ref Queue, Export: { Name: q } }",
    );
    expect(lint(yaml)).toEqual(["Outputs.B.Export: export name q is also exported by A"]);
  });

  it("reports a Fn::Join of something that is no list", () => {
    const yaml = withResources(
      `  Named:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !Join ["-", !Sub "\${AWS::StackName}"] }\n`,
    );
    expect(lint(yaml)).toEqual([
      `Resources.Named.Properties.QueueName: Fn::Join needs a list, got {"Fn::Sub":"\${AWS::StackName}"}`,
    ]);
  });

  it("reports an unknown intrinsic function, malformed arguments and a missing transform", () => {
    const yaml = withResources(`
  Named:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: { "Fn::Concat": [a, b] }
      KmsMasterKeyId: !GetAtt Queue
      RedriveAllowPolicy: !ToJsonString { redrivePermission: denyAll }
`);
    expect(lint(yaml)).toEqual([
      "Resources.Named.Properties.QueueName: Fn::Concat is not an intrinsic function",
      'Resources.Named.Properties.KmsMasterKeyId: Fn::GetAtt takes ["Resource", "Attribute"], got ["Queue"]',
      "Resources.Named.Properties.RedriveAllowPolicy: Fn::ToJsonString needs Transform: AWS::LanguageExtensions",
    ]);
  });

  it("reports a circular dependency", () => {
    const yaml = withResources(`
  A:
    Type: AWS::SQS::Queue
    Properties: { QueueName: !GetAtt B.QueueName }
  B:
    Type: AWS::SQS::Queue
    DependsOn: A
`);
    expect(lint(yaml)).toEqual(["Resources.A: circular dependency: A -> B -> A"]);
  });

  it("reports a resource used from Conditions, and a condition function outside them", () => {
    const yaml = withResources(
      "  Named:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !Equals [a, b] }\n",
      'Conditions:\n  Bad: !Equals [!Ref Queue, ""]',
    );
    expect(lint(yaml)).toEqual([
      "Conditions.Bad.Fn::Equals[0]: Ref Queue: Conditions can use only parameters, not resources",
      "Resources.Named.Properties.QueueName: Fn::Equals is usable only in Conditions (Fn::If takes a condition's name)",
      "Conditions.Bad: condition is never used",
    ]);
  });

  it("reports a parameter named like a resource", () => {
    expect(lint(withResources("", "Parameters:\n  Queue: { Type: String }"))).toEqual([
      "Parameters.Queue: Queue is also a resource's name",
      "Parameters.Queue: parameter is never used",
    ]);
  });

  it("reports parameters and conditions that nothing uses", () => {
    const yaml = withResources(
      "",
      "Parameters:\n  Stage: { Type: String }\nConditions:\n  Prod: !Equals [a, b]",
    );
    expect(lint(yaml)).toEqual([
      "Conditions.Prod: condition is always false",
      "Parameters.Stage: parameter is never used",
      "Conditions.Prod: condition is never used",
    ]);
  });
});

describe("constant conditions", () => {
  // Conditions over literals only, as the Serverless Framework leaves them once it has resolved ${param:…}.
  const conditions = (lines: string) => `
Parameters:
  Stage: { Type: String }
  Flag: { Type: String, AllowedValues: ["true", "false"] }
Conditions:
${lines}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Used, 1, 0]
      QueueName: !Sub "\${Stage}-\${Flag}"
`;

  it("reports a condition that compares two literals", () => {
    expect(lint(conditions('  Used: !Not [!Equals ["o-abc", ""]]'))).toEqual([
      "Conditions.Used: condition is always true",
    ]);
  });

  it("reports the service's bus-policy conditions as serverless package used to write them", () => {
    const yaml = conditions(`
  Used: !Not [!Equals ["o-a1b2c3d4e5", ""]]
  AdmitAccounts: !Not [!Equals ["", ""]]
`);
    expect(lint(yaml)).toEqual([
      "Conditions.Used: condition is always true",
      "Conditions.AdmitAccounts: condition is always false",
      "Conditions.AdmitAccounts: condition is never used",
    ]);
  });

  it("sees through Fn::And, Fn::Or, Fn::Not and Condition references", () => {
    const yaml = conditions(`
  Used: !And [!Condition Prod, !Condition Never]
  Prod: !Equals [!Ref Stage, prod]
  Never: !Or [!Equals ["", x], !Not [!Equals [1, "1"]]]
`);
    expect(lint(yaml)).toEqual([
      "Conditions.Used: condition is always false",
      "Conditions.Never: condition is always false",
    ]);
  });

  it("reports a condition that is no condition function", () => {
    expect(lint(conditions("  Used: !Or [true, !Equals [!Ref Stage, prod]]"))).toEqual([
      "Conditions.Used.Fn::Or[0]: expected a condition: Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition",
    ]);
  });

  it("reports a comparison with a value the parameter does not allow", () => {
    expect(lint(conditions('  Used: !Equals [!Ref Flag, "True"]'))).toEqual([
      "Conditions.Used: condition is always false",
    ]);
  });

  it("reports a constant operand of a condition that otherwise depends on the parameters", () => {
    expect(lint(conditions('  Used: !Or [!Equals [!Ref Stage, prod], !Equals ["", "x"]]'))).toEqual([
      "Conditions.Used.Fn::Or[1]: operand is always false, so it changes nothing",
    ]);
  });

  it("accepts conditions that depend on the parameters", () => {
    expect(
      lint(conditions('  Used: !And [!Equals [!Ref Stage, prod], !Equals [!Ref Flag, "true"]]')),
    ).toEqual([]);
  });
});

describe("a valid, realistic template", () => {
  it("gives no finding, with every intrinsic function where it can stand for a value", () => {
    const yaml = `
AWSTemplateFormatVersion: "2010-09-09"
Description: Forwards events to a queue, alarms on its dead letters
Parameters:
  Stage: { Type: String, AllowedValues: [dev, prod], Default: dev }
  AlertEmails: { Type: CommaDelimitedList, Default: "" }
  VpcCidr: { Type: String, Default: 10.0.0.0/16 }
  SharedTopicExport: { Type: String, Default: shared-topic-arn }
Mappings:
  Retention:
    dev: { Days: 7 }
    prod: { Days: 30 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  HasEmails: !Not [!Equals [!Join ["", !Ref AlertEmails], ""]]
  AlertByEmail: !And [!Condition IsProd, !Condition HasEmails]
Resources:
  DeadLetters:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      QueueName: !Sub "\${AWS::StackName}-\${Stage}-dead-letters"
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
      Tags:
        - { Key: stage, Value: !Ref Stage }
        - { Key: first-zone, Value: !Select [0, !GetAZs ""] }
        - { Key: subnet, Value: !Select [0, !Cidr [!Ref VpcCidr, 2, 8]] }
  Inbox:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !If [IsProd, 300, 60]
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DeadLetters.Arn
        maxReceiveCount: 5
  InboxPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Inbox]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: events.amazonaws.com }
            Action: sqs:SendMessage
            Resource: !GetAtt Inbox.Arn
            Condition: { ArnEquals: { aws:SourceArn: !GetAtt Forward.Arn } }
  Forward:
    Type: AWS::Events::Rule
    Properties:
      State: ENABLED
      EventPattern: { source: [aws.ec2], detail: { eventName: [CreateVpcPeeringConnection] } }
      Targets:
        - Id: inbox
          Arn: !GetAtt Inbox.Arn
          DeadLetterConfig: { Arn: !GetAtt DeadLetters.Arn }
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 }
          Input: !Join ["", ['{"stage":"', !Ref Stage, '"}']]
  Alerts:
    Type: AWS::SNS::Topic
    Condition: AlertByEmail
    Properties:
      Subscription:
        - Protocol: email
          Endpoint: !Select [0, !Ref AlertEmails]
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !FindInMap [Retention, !Ref Stage, Days]
  DeadLetterAlarm:
    Type: AWS::CloudWatch::Alarm
    DependsOn: Logs
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions: [{ Name: QueueName, Value: !GetAtt DeadLetters.QueueName }]
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !If [AlertByEmail, !Ref Alerts, !ImportValue { "Fn::Sub": "\${SharedTopicExport}" }]
      AlarmDescription: !Base64 dead letters are waiting
  Seed:
    Type: Custom::Seed
    Properties:
      ServiceToken: !ImportValue seed-function-arn
      Anything: { goes: [here] }
Outputs:
  InboxUrl:
    Description: Where events wait
    Value: !Ref Inbox
    Export: { Name: !Sub "\${AWS::StackName}-inbox-url" }
  AlertsArn:
    Condition: AlertByEmail
    Value: !Ref Alerts
  Zones:
    Value: !Join [",", !GetAZs { Ref: AWS::Region }]
`;
    expect(lint(yaml)).toEqual([]);
  });
});
