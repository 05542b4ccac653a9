import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { NotificationTopic } from "../../notifications/notify-config";
import type { SnsMessage } from "../../notifications/sns-message";
import { AwsCallError } from "../aws-call-error";
import { errorCode } from "../error-code";

/** Publishes notifications to the service's SNS topic, one body per subscription protocol. */
export class NotificationPublisher {
  constructor(
    readonly topic: NotificationTopic,
    private readonly client: SNSClient = new SNSClient({
      region: topic.region,
      retryMode: "adaptive",
      maxAttempts: 5,
    }),
  ) {}

  /** Sends one message; answers SNS's message id. A failure names the call, account and region. */
  async publish(message: SnsMessage): Promise<string | undefined> {
    const { arn, account, region } = this.topic;
    try {
      const result = await this.client.send(
        new PublishCommand({
          TopicArn: arn,
          Subject: message.subject,
          Message: message.message,
          MessageStructure: "json",
        }),
      );
      return result.MessageId;
    } catch (error) {
      throw new AwsCallError("Publish", account, region, errorCode(error), error);
    }
  }
}
