import type {
  IpPermission,
  IpRange,
  Ipv6Range,
  PrefixListId,
  RevokedSecurityGroupRule,
  SecurityGroup,
  SecurityGroupRule,
  UserIdGroupPair,
} from "@aws-sdk/client-ec2";
import { hasPorts } from "../security-group-rules";
import type { RuleSource, SecurityGroupRecord, SecurityGroupRuleRecord } from "../state";
import { toTagList } from "./tag-list";

// How EC2 shows groups and rules: a group's rules as IpPermissions (one per protocol and port range, its
// sources listed inside), each rule on its own as a SecurityGroupRule with its id and tags.

export function securityGroupView(group: SecurityGroupRecord): SecurityGroup {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: group.ownerId,
    SecurityGroupArn: `arn:aws:ec2:${group.region}:${group.ownerId}:security-group/${group.id}`,
    IpPermissions: permissionsView(group.rules.filter((rule) => !rule.isEgress)),
    IpPermissionsEgress: permissionsView(group.rules.filter((rule) => rule.isEgress)),
    Tags: toTagList(group.tags),
  };
}

export function ruleView(group: SecurityGroupRecord, rule: SecurityGroupRuleRecord): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.id,
    GroupId: group.id,
    GroupOwnerId: group.ownerId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...sourceView(rule.source),
    ...(rule.description !== undefined && { Description: rule.description }),
    Tags: toTagList(rule.tags),
    SecurityGroupRuleArn: ruleArn(group, rule),
  };
}

export function revokedView(rule: SecurityGroupRuleRecord): RevokedSecurityGroupRule {
  const { source } = rule;
  return {
    SecurityGroupRuleId: rule.id,
    GroupId: rule.groupId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...("cidrIpv4" in source && { CidrIpv4: source.cidrIpv4 }),
    ...("cidrIpv6" in source && { CidrIpv6: source.cidrIpv6 }),
    ...("prefixListId" in source && { PrefixListId: source.prefixListId }),
    ...("referencedGroup" in source && { ReferencedGroupId: source.referencedGroup.groupId }),
    ...(rule.description !== undefined && { Description: rule.description }),
  };
}

export function ruleArn(group: SecurityGroupRecord, rule: SecurityGroupRuleRecord): string {
  return `arn:aws:ec2:${group.region}:${group.ownerId}:security-group-rule/${rule.id}`;
}

interface PermissionView extends IpPermission {
  IpRanges: IpRange[];
  Ipv6Ranges: Ipv6Range[];
  PrefixListIds: PrefixListId[];
  UserIdGroupPairs: UserIdGroupPair[];
}

function permissionsView(rules: SecurityGroupRuleRecord[]): IpPermission[] {
  const permissions = new Map<string, PermissionView>();
  for (const rule of rules) {
    const key = `${rule.protocol} ${rule.fromPort} ${rule.toPort}`;
    const permission = permissions.get(key) ?? {
      IpProtocol: rule.protocol,
      ...(hasPorts(rule.protocol) && { FromPort: rule.fromPort, ToPort: rule.toPort }),
      IpRanges: [],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    };
    permissions.set(key, permission);
    const described = rule.description !== undefined ? { Description: rule.description } : {};
    const { source } = rule;
    if ("cidrIpv4" in source) permission.IpRanges.push({ CidrIp: source.cidrIpv4, ...described });
    if ("cidrIpv6" in source) permission.Ipv6Ranges.push({ CidrIpv6: source.cidrIpv6, ...described });
    if ("prefixListId" in source) {
      permission.PrefixListIds.push({ PrefixListId: source.prefixListId, ...described });
    }
    if ("referencedGroup" in source) {
      const { groupId, userId, vpcId, vpcPeeringConnectionId } = source.referencedGroup;
      permission.UserIdGroupPairs.push({
        GroupId: groupId,
        UserId: userId,
        ...(vpcId !== undefined && { VpcId: vpcId }),
        ...(vpcPeeringConnectionId !== undefined && { VpcPeeringConnectionId: vpcPeeringConnectionId }),
        ...described,
      });
    }
  }
  return [...permissions.values()];
}

function sourceView(source: RuleSource): SecurityGroupRule {
  if ("cidrIpv4" in source) return { CidrIpv4: source.cidrIpv4 };
  if ("cidrIpv6" in source) return { CidrIpv6: source.cidrIpv6 };
  if ("prefixListId" in source) return { PrefixListId: source.prefixListId };
  const { groupId, userId, vpcId, vpcPeeringConnectionId } = source.referencedGroup;
  return {
    ReferencedGroupInfo: {
      GroupId: groupId,
      UserId: userId,
      ...(vpcId !== undefined && { VpcId: vpcId }),
      ...(vpcPeeringConnectionId !== undefined && { VpcPeeringConnectionId: vpcPeeringConnectionId }),
    },
  };
}
