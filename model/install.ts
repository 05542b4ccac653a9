import {
  AcceptVpcPeeringConnectionCommand,
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteRouteCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  EC2Client,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
  RevokeSecurityGroupIngressCommand,
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
import {
  authorizeSecurityGroupIngress,
  describeSecurityGroupRules,
  describeSecurityGroups,
  revokeSecurityGroupIngress,
} from "./ec2/security-groups";
import { deleteSubnet, describeSubnets } from "./ec2/subnets";
import { createTags, deleteTags } from "./ec2/tags";
import { associateVpcCidrBlock, describeVpcs, disassociateVpcCidrBlock } from "./ec2/vpcs";
import { putEvents } from "./eventbridge";
import { type Operation, perform } from "./perform";
import type { CallRecord } from "./state";
import { assumeRole, getCallerIdentity } from "./sts";
import type { World } from "./world";

type Service = CallRecord["service"];

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
    .on(DescribeSubnetsCommand)
    .callsFake(ec2("DescribeSubnets", describeSubnets))
    .on(DeleteSubnetCommand)
    .callsFake(ec2("DeleteSubnet", deleteSubnet))
    .on(DescribeSecurityGroupsCommand)
    .callsFake(ec2("DescribeSecurityGroups", describeSecurityGroups))
    .on(DescribeSecurityGroupRulesCommand)
    .callsFake(ec2("DescribeSecurityGroupRules", describeSecurityGroupRules))
    .on(AuthorizeSecurityGroupIngressCommand)
    .callsFake(ec2("AuthorizeSecurityGroupIngress", authorizeSecurityGroupIngress))
    .on(RevokeSecurityGroupIngressCommand)
    .callsFake(ec2("RevokeSecurityGroupIngress", revokeSecurityGroupIngress))
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
    return perform(world, service, operation, input, () => resolveCaller(world, client), run);
  };
}

function notModelled(commandName: string): Promise<never> {
  return Promise.reject(new Error(`the AWS model does not implement ${commandName}`));
}
