import {
  EC2Client,
  type EC2ClientConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from "@aws-sdk/client-ec2";
import type { Command, SmithyResolvedConfiguration } from "@smithy/core/client";
import type { HttpHandlerOptions } from "@smithy/core/protocols";
import { AwsCallError } from "../aws-call-error";
import { errorCode } from "../error-code";
import { operationName } from "../pacing/operation-name";
import type { RequestPacer } from "../pacing/request-pacer";
import { countIfThrottled } from "./throttled-answers";

/** Where a client's calls count: EC2 throttles per account, region and action. */
export interface PacedPlace {
  pacer: RequestPacer;
  account: string;
  region: string;
}

type Ec2Command<I extends ServiceInputTypes, O extends ServiceOutputTypes> = Command<
  I,
  O,
  SmithyResolvedConfiguration<HttpHandlerOptions>,
  ServiceInputTypes,
  ServiceOutputTypes
>;

/**
 * An EC2 client whose every call waits for the pacer before it is sent. Paginators and waiters send
 * through `send`, so they are paced too. Only the promise form of `send` is offered. A call that fails
 * (after the SDK's retries) fails with an AwsCallError naming the call, the account and the region,
 * which only this client knows.
 */
export class PacedEC2Client extends EC2Client {
  constructor(
    config: EC2ClientConfig,
    private readonly place: PacedPlace,
  ) {
    super(config);
  }

  override send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: Ec2Command<I, O>,
    options?: HttpHandlerOptions,
  ): Promise<O>;
  // The base class's callback forms are closed off (`never`): such a call would give its slot back at once.
  override send(command: never, cb: never): never;
  override send(command: never, options: never, cb: never): never;
  override send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: Ec2Command<I, O>,
    options?: HttpHandlerOptions,
  ): Promise<O> {
    const { pacer, account, region } = this.place;
    const operation = operationName(command);
    return pacer.pace(account, region, operation, async () => {
      try {
        return await super.send(command, options);
      } catch (error) {
        countIfThrottled(error);
        throw new AwsCallError(operation, account, region, errorCode(error), error);
      }
    });
  }
}
