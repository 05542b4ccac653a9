import { ec2Error, stsError } from "./errors";
import type { Caller, CallRecord } from "./state";
import type { World } from "./world";

export type Operation<I, O> = (world: World, caller: Caller, input: I) => O;

/**
 * Logs the call, then plays EC2 throttling, injected faults, expired sessions and the operation itself.
 * A crashed invocation makes no call at all; a crash point fires after its call took effect. Shared by
 * both ways of reaching the model: in place of `send` (install.ts) and below the SDK (request-handler.ts).
 */
export async function perform<I, O>(
  world: World,
  service: CallRecord["service"],
  operation: string,
  input: I,
  identify: () => Promise<Caller>,
  run: Operation<I, O>,
): Promise<O & { $metadata: object }> {
  if (world.crashed) throw world.crashed;
  const caller = await identify();
  if (world.crashed) throw world.crashed;
  const call: CallRecord = { service, operation, account: caller.account, region: caller.region, input };
  world.calls.push(call);
  // The token is spent when the call is issued; a throttled call still costs its time on the wire.
  const throttled =
    service === "EC2" &&
    world.rateLimits?.take(caller.account, caller.region, operation, world.now().getTime()) === false;
  // The time the call spends on the wire, when a benchmark's virtual clock models it.
  if (world.network) await world.network(call);
  let output: O;
  try {
    if (throttled) throw ec2Error("RequestLimitExceeded", "Request limit exceeded.");
    const failure = world.faults.takeFailure({ service, operation, caller, input });
    if (failure && !failure.afterEffect) throw failure.error;
    if (caller.session && world.now() >= caller.session.expiration) {
      throw service === "EC2"
        ? ec2Error("RequestExpired", "Request has expired.")
        : stsError("ExpiredToken", "The security token included in the request is expired");
    }
    output = run(world, caller, input);
    if (failure) throw failure.error;
  } catch (error) {
    call.error = error instanceof Error ? error.name : String(error);
    throw error;
  }
  try {
    world.faults.crashIfDue({ service, operation, caller, input });
  } catch (crash) {
    call.crashedAfter = true;
    throw crash;
  }
  return {
    ...output,
    $metadata: { httpStatusCode: 200, requestId: `model-request-${world.calls.length}` },
  };
}
