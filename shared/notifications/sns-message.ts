import type { Notification } from "./format-notification";

/** What one SNS Publish sends: a subject and a body per protocol (`MessageStructure: "json"`). */
export interface SnsMessage {
  subject: string;
  /** JSON: one message body per subscription protocol, `default` for any protocol not named. */
  message: string;
}

/**
 * The body each kind of subscriber gets from one publish:
 * - `email` and `default` (any protocol not named, `email-json` among them): the plain text;
 * - `https` and `http` (Amazon Q Developer in chat applications, webhooks): the chat notification JSON;
 * - `sqs` and `lambda` (programs): the same chat notification JSON, whose metadata names the connection,
 *   the action, the findings and where to answer; the full decision record is on the service's bus as
 *   the `Peering Decision` event;
 * - `sms`: the subject alone.
 */
export function snsMessage(notification: Notification): SnsMessage {
  const chat = JSON.stringify(notification.chat);
  const bodies = {
    default: notification.text,
    email: notification.text,
    https: chat,
    http: chat,
    sqs: chat,
    lambda: chat,
    sms: notification.subject,
  };
  return { subject: notification.subject, message: JSON.stringify(bodies) };
}
