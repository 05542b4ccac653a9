import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";

/** The bucket that every command not listed below shares, paced as a mutating action. */
export const UNLISTED = "unlisted";

// The bundles are minified, so a command's class name is no operation name; its class is.
const OPERATIONS = new Map<unknown, string>([
  [AcceptVpcPeeringConnectionCommand, "AcceptVpcPeeringConnection"],
  [AuthorizeSecurityGroupIngressCommand, "AuthorizeSecurityGroupIngress"],
  [CreateRouteCommand, "CreateRoute"],
  [CreateTagsCommand, "CreateTags"],
  [DeleteRouteCommand, "DeleteRoute"],
  [DescribeRouteTablesCommand, "DescribeRouteTables"],
  [DescribeSecurityGroupRulesCommand, "DescribeSecurityGroupRules"],
  [DescribeSecurityGroupsCommand, "DescribeSecurityGroups"],
  [DescribeSubnetsCommand, "DescribeSubnets"],
  [DescribeVpcPeeringConnectionsCommand, "DescribeVpcPeeringConnections"],
  [DescribeVpcsCommand, "DescribeVpcs"],
  [ModifyVpcPeeringConnectionOptionsCommand, "ModifyVpcPeeringConnectionOptions"],
  [RejectVpcPeeringConnectionCommand, "RejectVpcPeeringConnection"],
  [RevokeSecurityGroupIngressCommand, "RevokeSecurityGroupIngress"],
]);

/** The EC2 action a command calls: the name of its bucket. */
export function operationName(command: object): string {
  return OPERATIONS.get(command.constructor) ?? UNLISTED;
}
