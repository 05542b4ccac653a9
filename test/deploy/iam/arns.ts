// ARNs of the fake world's resources.
import { PARTITION, REGION } from "./accounts";

export const vpcArn = (account: string, id = "vpc-0a1b2c3d", region = REGION) =>
  `arn:${PARTITION}:ec2:${region}:${account}:vpc/${id}`;
export const pcxArn = (account: string, region = REGION, id = "pcx-0a1b2c3d4e5f") =>
  `arn:${PARTITION}:ec2:${region}:${account}:vpc-peering-connection/${id}`;
export const routeTableArn = (account: string, id = "rtb-0a1b2c3d") =>
  `arn:${PARTITION}:ec2:${REGION}:${account}:route-table/${id}`;
export const roleArn = (account: string, name: string) => `arn:${PARTITION}:iam::${account}:role/${name}`;
/** The ARN a role's session calls AWS with, as Lambda and sts:AssumeRole make them. */
export const sessionArn = (account: string, role: string, session = "session") =>
  `arn:${PARTITION}:sts::${account}:assumed-role/${role}/${session}`;
export const busArn = (account: string, name: string) =>
  `arn:${PARTITION}:events:${REGION}:${account}:event-bus/${name}`;
export const ruleArn = (account: string, name: string) =>
  `arn:${PARTITION}:events:${REGION}:${account}:rule/${name}`;
export const alarmArn = (account: string, name: string) =>
  `arn:${PARTITION}:cloudwatch:${REGION}:${account}:alarm:${name}`;
export const securityGroupArn = (account: string, id = "sg-0a1b2c3d") =>
  `arn:${PARTITION}:ec2:${REGION}:${account}:security-group/${id}`;
export const securityGroupRuleArn = (account: string, id = "sgr-0a1b2c3d") =>
  `arn:${PARTITION}:ec2:${REGION}:${account}:security-group-rule/${id}`;
