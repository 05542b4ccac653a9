import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import type { ParsedResult } from "@aws-lambda-powertools/parser/types";
import middy from "@middy/core";
import { NotificationPublisher } from "../shared/aws/publish/notification-publisher";
import { describeIssues, InvalidEventError } from "../shared/events/invalid-event-error";
import { logger } from "../shared/log";
import { type DecisionEvent, DecisionEventSchema } from "../shared/notifications/decision-event";
import { formatNotification } from "../shared/notifications/format-notification";
import { notificationTopic } from "../shared/notifications/notify-config";
import { snsMessage } from "../shared/notifications/sns-message";

// Read once, when the container starts: without a topic the function cannot do anything.
const publisher = new NotificationPublisher(notificationTopic());

// The parser reports Standard Schema issues as the ParseError's cause.
type Issues = Parameters<typeof describeIssues>[0];

/**
 * A `Peering Decision` marked `notify` (EventBridge rule on the service bus): told as a message people
 * read, published to the notification topic with an email body and a chat body.
 */
export const handler = middy(async (event: ParsedResult<unknown, DecisionEvent>) => {
  if (!event.success) {
    throw new InvalidEventError(
      eventId(event.originalEvent),
      `not a Peering Decision to notify: ${describeIssues(event.error.cause as Issues)}`,
    );
  }
  const decision = event.data;
  // Anyone the bus admits can put an event that looks like ours; the service publishes from the account
  // its topic is in, and people act on what these messages say.
  if (decision.account !== publisher.topic.account) {
    throw new InvalidEventError(
      decision.id,
      `published by account ${decision.account}, not by this service's account ${publisher.topic.account}`,
    );
  }
  const notification = formatNotification(decision.detail, { now: new Date(), eventId: decision.id });
  const messageId = await publisher.publish(snsMessage(notification));
  logger.info("notification published", {
    eventId: decision.id,
    connectionId: decision.detail.connectionId,
    findings: decision.detail.findings,
    subject: notification.subject,
    messageId,
  });
  return { messageId, subject: notification.subject };
})
  .use(injectLambdaContext(logger))
  .use(parser({ schema: DecisionEventSchema, safeParse: true }));

function eventId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}
