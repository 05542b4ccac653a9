import {
  AcceptVpcPeeringConnectionCommand,
  AssociateVpcCidrBlockCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DeleteTagsCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  EC2Client,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
} from "@aws-sdk/client-ec2";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { type ClientWithConfig, resolveCaller } from "./caller";
import {
  acceptVpcPeeringConnection,
  deleteVpcPeeringConnection,
  rejectVpcPeeringConnection,
} from "./ec2/answer-peering";
import { createVpcPeeringConnection } from "./ec2/create-peering";
import { describeVpcPeeringConnections } from "./ec2/describe-peerings";
import { modifyVpcPeeringConnectionOptions } from "./ec2/peering-options";
import { describeRouteTables } from "./ec2/route-tables";
import { createRoute, deleteRoute } from "./ec2/routes";
import { createTags, deleteTags } from "./ec2/tags";
import { associateVpcCidrBlock, describeVpcs, disassociateVpcCidrBlock } from "./ec2/vpcs";
import { ec2Error, stsError } from "./errors";
import { putEvents } from "./eventbridge";
import type { Caller, CallRecord } from "./state";
import { assumeRole, getCallerIdentity } from "./sts";
import type { World } from "./world";

type Service = CallRecord["service"];
type Operation<I, O> = (world: World, caller: Caller, input: I) => O;

/** Routes every EC2Client and STSClient `send` to the model until `restore()`. */
export function installModel(world: World) {
  const ec2Mock = mockClient(EC2Client);
  const stsMock = mockClient(STSClient);
  const eventsMock = mockClient(EventBridgeClient);
  const ec2 = <I, O>(operation: string, run: Operation<I, O>) => modelled(world, "EC2", operation, run);
  const sts = <I, O>(operation: string, run: Operation<I, O>) => modelled(world, "STS", operation, run);
  const events = <I, O>(operation: string, run: Operation<I, O>) =>
    modelled(world, "EventBridge", operation, run);

  // Registered first so the specific handlers below win; an unmodelled command must not answer undefined.
  ec2Mock.onAnyCommand().callsFake(() => notModelled(ec2Mock.send.lastCall.args[0].constructor.name));
  stsMock.onAnyCommand().callsFake(() => notModelled(stsMock.send.lastCall.args[0].constructor.name));
  eventsMock.onAnyCommand().callsFake(() => notModelled(eventsMock.send.lastCall.args[0].constructor.name));
  eventsMock.on(PutEventsCommand).callsFake(events("PutEvents", putEvents));

  ec2Mock
    .on(DescribeVpcPeeringConnectionsCommand)
    .callsFake(ec2("DescribeVpcPeeringConnections", describeVpcPeeringConnections))
    .on(CreateVpcPeeringConnectionCommand)
    .callsFake(ec2("CreateVpcPeeringConnection", createVpcPeeringConnection))
    .on(AcceptVpcPeeringConnectionCommand)
    .callsFake(ec2("AcceptVpcPeeringConnection", acceptVpcPeeringConnection))
    .on(RejectVpcPeeringConnectionCommand)
    .callsFake(ec2("RejectVpcPeeringConnection", rejectVpcPeeringConnection))
    .on(DeleteVpcPeeringConnectionCommand)
    .callsFake(ec2("DeleteVpcPeeringConnection", deleteVpcPeeringConnection))
    .on(ModifyVpcPeeringConnectionOptionsCommand)
    .callsFake(ec2("ModifyVpcPeeringConnectionOptions", modifyVpcPeeringConnectionOptions))
    .on(DescribeVpcsCommand)
    .callsFake(ec2("DescribeVpcs", describeVpcs))
    .on(AssociateVpcCidrBlockCommand)
    .callsFake(ec2("AssociateVpcCidrBlock", associateVpcCidrBlock))
    .on(DisassociateVpcCidrBlockCommand)
    .callsFake(ec2("DisassociateVpcCidrBlock", disassociateVpcCidrBlock))
    .on(DescribeRouteTablesCommand)
    .callsFake(ec2("DescribeRouteTables", describeRouteTables))
    .on(CreateRouteCommand)
    .callsFake(ec2("CreateRoute", createRoute))
    .on(DeleteRouteCommand)
    .callsFake(ec2("DeleteRoute", deleteRoute))
    .on(CreateTagsCommand)
    .callsFake(ec2("CreateTags", createTags))
    .on(DeleteTagsCommand)
    .callsFake(ec2("DeleteTags", deleteTags));
  stsMock
    .on(AssumeRoleCommand)
    .callsFake(sts("AssumeRole", assumeRole))
    .on(GetCallerIdentityCommand)
    .callsFake(sts("GetCallerIdentity", getCallerIdentity));

  return {
    ec2Mock,
    stsMock,
    eventsMock,
    restore(): void {
      ec2Mock.restore();
      stsMock.restore();
      eventsMock.restore();
    },
  };
}

function modelled<I, O>(world: World, service: Service, operation: string, run: Operation<I, O>) {
  return (input: I, getClient: () => ClientWithConfig): Promise<O & { $metadata: object }> => {
    // getClient() answers the client of the latest send(): read it now, before anything awaits.
    const client = getClient();
    return perform(world, service, operation, input, client, run);
  };
}

/**
 * Logs the call, then plays EC2 throttling, injected faults, expired sessions and the operation itself.
 * A crashed invocation makes no call at all; a crash point fires after its call took effect.
 */
async function perform<I, O>(
  world: World,
  service: Service,
  operation: string,
  input: I,
  client: ClientWithConfig,
  run: Operation<I, O>,
): Promise<O & { $metadata: object }> {
  if (world.crashed) throw world.crashed;
  const caller = await resolveCaller(world, client);
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

function notModelled(commandName: string): Promise<never> {
  return Promise.reject(new Error(`the AWS model does not implement ${commandName}`));
}
