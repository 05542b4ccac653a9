import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type PublishedEvent, requestPeering } from "../../model";
import { ACCEPTER, lambdaContext, useService } from "../handlers/harness";
import { addShadowingRoute, sharedServices } from "../handlers/worlds";
import { CustomNotificationSchema } from "./custom-notification-schema";
import { notified } from "./decisions";

const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCEPTER}:peering-autopilot-test-notifications`;

type Handler = (event: unknown, context: unknown) => Promise<{ messageId?: string; subject: string }>;

/** The notify function as a fresh container loads it, with the environment it is deployed with. */
async function loadHandler(env: Record<string, string | undefined> = { NOTIFICATION_TOPIC_ARN: TOPIC_ARN }) {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  vi.resetModules();
  const module = (await import("../../functions/notify")) as { handler: Handler };
  return (event: unknown) => module.handler(structuredClone(event), lambdaContext(ACCEPTER));
}

/** A `Peering Decision` as EventBridge hands it to a Lambda target. */
function decisionEvent(detail: object, account = ACCEPTER) {
  return {
    version: "0",
    id: "0d4b9c1e-3f57-4c8e-9a51-6b0e2f7d8a90",
    "detail-type": "Peering Decision",
    source: "peering-autopilot",
    account,
    time: "2026-12-01T12:00:00Z",
    region: "us-east-1",
    resources: [],
    detail,
  };
}

function delivered(published: PublishedEvent) {
  return { ...decisionEvent(published.detail, published.account), region: published.region };
}

const sns = mockClient(SNSClient);
const savedTopic = process.env.NOTIFICATION_TOPIC_ARN;

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: "8f1d7a2c-0000-4000-8000-000000000001" });
});
afterEach(() => {
  if (savedTopic === undefined) delete process.env.NOTIFICATION_TOPIC_ARN;
  else process.env.NOTIFICATION_TOPIC_ARN = savedTopic;
});

/** The one message the function published: its subject and its body for each protocol. */
function publishedMessage() {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input;
  return { input, bodies: JSON.parse(input?.Message ?? "{}") as Record<string, string> };
}

describe("the notify function", () => {
  it("publishes one message with an email body and a chat body per protocol", async () => {
    const handler = await loadHandler();
    const record = notified("awaiting-approval");

    const answer = await handler(decisionEvent(record));

    const { input, bodies } = publishedMessage();
    expect(input).toMatchObject({
      TopicArn: TOPIC_ARN,
      MessageStructure: "json",
      Subject: "Peering pcx-0123456789abcdef0 from 666666666666 eu-west-1: awaiting approval",
    });
    expect(answer).toEqual({ messageId: "8f1d7a2c-0000-4000-8000-000000000001", subject: input?.Subject });
    expect(Object.keys(bodies).sort()).toEqual(
      ["default", "email", "http", "https", "lambda", "sms", "sqs"].sort(),
    );
    expect(bodies.email).toContain(
      "Approve:  npm run peering -- approve pcx-0123456789abcdef0 --account 111111111111 --region us-east-1",
    );
    expect(bodies.default).toBe(bodies.email);
    expect(bodies.sms).toBe(input?.Subject);
    const chat = CustomNotificationSchema.parse(JSON.parse(bodies.https ?? ""));
    expect(chat.metadata?.threadId).toBe("pcx-0123456789abcdef0");
    expect(chat.id).toBe("0d4b9c1e-3f57-4c8e-9a51-6b0e2f7d8a90");
    for (const protocol of ["http", "sqs", "lambda"]) expect(bodies[protocol]).toBe(bodies.https);
  });

  it.each([
    {
      name: "a decision not marked notify",
      event: decisionEvent({ ...notified("rejected"), notify: false }),
    },
    {
      name: "another detail-type",
      event: { ...decisionEvent(notified("rejected")), "detail-type": "Peering Routes Changed" },
    },
    { name: "another source", event: { ...decisionEvent(notified("rejected")), source: "aws.ec2" } },
    {
      name: "a record without its sides",
      event: decisionEvent({ ...notified("rejected"), accepter: undefined }),
    },
    {
      name: "a connection id that is not one",
      event: decisionEvent({ ...notified("rejected"), connectionId: "pcx-1; rm -rf /" }),
    },
    { name: "no event at all", event: null },
  ])("refuses $name with an invalid-event error and publishes nothing", async ({ event }) => {
    const handler = await loadHandler();

    const failure = await handler(event).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: "InvalidEventError" });
    expect(String((failure as Error).message)).toMatch(
      /^invalid event .*: not a Peering Decision to notify: /,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("refuses a decision published from another account, and publishes nothing", async () => {
    const handler = await loadHandler();

    const failure = await handler(decisionEvent(notified("awaiting-approval"), "222222222222")).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({ name: "InvalidEventError" });
    expect((failure as Error).message).toContain(
      "published by account 222222222222, not by this service's account 111111111111",
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("fails with the call, account and region when SNS refuses the message", async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error("Topic does not exist"), { name: "NotFoundException" }));
    const handler = await loadHandler();

    const failure = await handler(decisionEvent(notified("denied"))).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: "AwsCallError", operation: "Publish", code: "NotFoundException" });
    expect((failure as Error).message).toBe(
      "Publish in account 111111111111 region us-east-1 failed: NotFoundException: Topic does not exist",
    );
  });

  it.each([
    { name: "is not set", value: undefined, message: /NOTIFICATION_TOPIC_ARN[\s\S]*is not set/ },
    {
      name: "is not a topic ARN",
      value: "peering-notifications",
      message: /NOTIFICATION_TOPIC_ARN[\s\S]*SNS topic/,
    },
  ])("fails when the container starts if NOTIFICATION_TOPIC_ARN $name", async ({ value, message }) => {
    await expect(loadHandler({ NOTIFICATION_TOPIC_ARN: value })).rejects.toThrow(message);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe("the notify function behind the service's bus", () => {
  const service = useService(sharedServices, { env: { EVENT_BUS_NAME: "peering-autopilot-test" } });

  it("tells a decision the service really made and published, as the bus delivers it", async () => {
    const notifications = await loadHandler();
    const publishedBy = service.world();
    const { shared, app, sharedPrivate } = service.ids();
    addShadowingRoute(publishedBy, sharedPrivate);
    const { connectionId, event } = requestPeering(publishedBy, {
      requesterVpcId: app,
      accepterVpcId: shared,
    });
    await service.invoke(event);
    const decision = publishedBy.published.find((e) => e.detailType === "Peering Decision");
    if (!decision) throw new Error("the service published no decision");

    await notifications(delivered(decision));

    const { input, bodies } = publishedMessage();
    expect(input?.Subject).toBe(
      `Peering ${connectionId} from 222222222222 us-east-1: rejected, route conflict`,
    );
    expect(bodies.email).toContain("Conflicting routes");
    expect(CustomNotificationSchema.safeParse(JSON.parse(bodies.https ?? "")).success).toBe(true);
  });
});
