import * as z from "zod";

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** The notification topic, and the account and region it (and the service that feeds it) lives in. */
export interface NotificationTopic {
  arn: string;
  account: string;
  region: string;
}

const NotifyConfigSchema = z.object({
  NOTIFICATION_TOPIC_ARN: z
    .string({ error: "is not set: it must name the SNS topic that notifications are published to" })
    .regex(TOPIC_ARN, "must be the ARN of a standard SNS topic, arn:aws:sns:<region>:<account>:<name>"),
});

/** Reads the topic from the environment; a missing or malformed ARN fails with a message that says so. */
export function notificationTopic(env: NodeJS.ProcessEnv = process.env): NotificationTopic {
  const parsed = NotifyConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `NOTIFICATION_TOPIC_ARN ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  const arn = parsed.data.NOTIFICATION_TOPIC_ARN;
  const [, region = "", account = ""] = TOPIC_ARN.exec(arn) ?? [];
  return { arn, account, region };
}
