import { timeLeft } from "../decision/expiry";
import { type ChatNotification, chatNotification } from "./chat-notification";
import type { NotifiedDecision } from "./decision-event";
import { emailText } from "./email-text";
import { headlinePhrase } from "./headline";
import { withStringsOnOneLine } from "./one-line";
import { toSnsSubject } from "./sns-subject";

/** One decision told three ways: an SNS subject, plain text for email, a chat notification. */
export interface Notification {
  subject: string;
  text: string;
  chat: ChatNotification;
}

export interface FormatOptions {
  /** The time the notification is written: time left before expiry is counted from it. */
  now: Date;
  /** The id of the event that carried the decision. */
  eventId?: string;
}

/** A decision that people should hear about, as the messages they read. Pure. */
export function formatNotification(decision: NotifiedDecision, options: FormatOptions): Notification {
  const record = withStringsOnOneLine(decision);
  const left = pendingTimeLeft(record, options.now);
  const { connectionId, requester } = record;
  const subject = toSnsSubject(
    `Peering ${connectionId} from ${requester.account} ${requester.region}: ${headlinePhrase(record, left)}`,
  );
  return {
    subject,
    text: emailText({ record, subject, timeLeft: left }),
    chat: chatNotification({
      record,
      subject,
      timeLeft: left,
      ...(options.eventId && { eventId: options.eventId }),
    }),
  };
}

/** How long a pending request has left, in words; nothing for a connection no longer pending. */
function pendingTimeLeft(record: NotifiedDecision, now: Date): string | undefined {
  if (!record.expiresAt || record.status !== "pending-acceptance") return undefined;
  return timeLeft(Date.parse(record.expiresAt) - now.getTime());
}
