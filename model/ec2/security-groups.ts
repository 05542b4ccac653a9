import type {
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  IpPermission,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  TagSpecification,
} from "@aws-sdk/client-ec2";
import { ec2Error } from "../errors";
import { draftsOfPermission, sameRule } from "../security-group-rules";
import type { Caller, SecurityGroupRecord, SecurityGroupRuleRecord } from "../state";
import type { World } from "../world";
import { matchesFilters, tagFilterValues } from "./filters";
import { paginate } from "./pagination";
import { revokedView, ruleView, securityGroupView } from "./security-group-views";

interface OwnedRule {
  group: SecurityGroupRecord;
  rule: SecurityGroupRuleRecord;
}

export function describeSecurityGroups(
  world: World,
  caller: Caller,
  input: DescribeSecurityGroupsRequest,
): DescribeSecurityGroupsResult {
  const [name] = input.GroupNames ?? [];
  if (name !== undefined) throw noDefaultVpc();
  const ids = input.GroupIds ?? [];
  const groups =
    ids.length > 0 ? ids.map((id) => findOwnSecurityGroup(world, caller, id)) : ownGroups(world, caller);
  const matching = groups.filter((group) =>
    matchesFilters("DescribeSecurityGroups", input.Filters, (filter) =>
      groupFilterValues(world, group, filter),
    ),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 1000 });
  return { SecurityGroups: page.map(securityGroupView), NextToken: nextToken };
}

export function describeSecurityGroupRules(
  world: World,
  caller: Caller,
  input: DescribeSecurityGroupRulesRequest,
): DescribeSecurityGroupRulesResult {
  const ids = input.SecurityGroupRuleIds ?? [];
  const rules =
    ids.length > 0
      ? ids.map((id) => findOwnSecurityGroupRule(world, caller, id))
      : ownGroups(world, caller).flatMap((group) => group.rules.map((rule) => ({ group, rule })));
  const matching = rules.filter((owned) =>
    matchesFilters("DescribeSecurityGroupRules", input.Filters, (filter) => ruleFilterValues(owned, filter)),
  );
  const { page, nextToken } = paginate(matching, input, { min: 5, max: 1000 });
  return { SecurityGroupRules: page.map(({ group, rule }) => ruleView(group, rule)), NextToken: nextToken };
}

/** Owner only; all rules or none; the tags of `security-group-rule` specifications go on every new rule. */
export function authorizeSecurityGroupIngress(
  world: World,
  caller: Caller,
  input: AuthorizeSecurityGroupIngressRequest,
): AuthorizeSecurityGroupIngressResult {
  const group = targetGroup(world, caller, input);
  const drafts = permissionsOf(input).flatMap((permission) => draftsOfPermission(permission, false));
  const rules = world.insertSecurityGroupRules(group.id, drafts, ruleTags(input.TagSpecifications));
  return { Return: true, SecurityGroupRules: rules.map((rule) => ruleView(group, rule)) };
}

/**
 * Owner only; by rule ids or by IpPermissions matching existing rules exactly (protocol, ports, source;
 * not the description), as EC2 does in a nondefault VPC. One id or permission not found revokes nothing.
 */
export function revokeSecurityGroupIngress(
  world: World,
  caller: Caller,
  input: RevokeSecurityGroupIngressRequest,
): RevokeSecurityGroupIngressResult {
  const group = targetGroup(world, caller, input);
  const ids = input.SecurityGroupRuleIds ?? [];
  if (ids.length > 0 && (hasLegacyPermission(input) || (input.IpPermissions ?? []).length > 0)) {
    throw ec2Error(
      "InvalidParameterCombination",
      "Give either SecurityGroupRuleIds or IP permissions, not both",
    );
  }
  const ingress = group.rules.filter((rule) => !rule.isEgress);
  const doomed =
    ids.length > 0
      ? ids.map((id) => ingressRuleById(ingress, id))
      : permissionsOf(input)
          .flatMap((permission) => draftsOfPermission(permission, false))
          .map((draft) => {
            const rule = ingress.find((candidate) => sameRule(candidate, draft));
            if (!rule) {
              throw ec2Error(
                "InvalidPermission.NotFound",
                "The specified rule does not exist in this security group.",
              );
            }
            return rule;
          });
  const revoked = [...new Set(doomed)];
  group.rules = group.rules.filter((rule) => !revoked.includes(rule));
  return { Return: true, RevokedSecurityGroupRules: revoked.map(revokedView) };
}

/** Security groups are only reachable from their owner's account and region, as for cross-account calls in EC2. */
export function findOwnSecurityGroup(
  world: World,
  caller: Caller,
  id: string | undefined,
): SecurityGroupRecord {
  const group = world.securityGroups.get(id ?? "");
  if (!group || !isOwnedBy(group, caller)) {
    throw ec2Error("InvalidGroup.NotFound", `The security group '${id}' does not exist`);
  }
  return group;
}

export function findOwnSecurityGroupRule(world: World, caller: Caller, id: string): OwnedRule {
  for (const group of ownGroups(world, caller)) {
    const rule = group.rules.find((candidate) => candidate.id === id);
    if (rule) return { group, rule };
  }
  throw ruleNotFound(id);
}

function ownGroups(world: World, caller: Caller): SecurityGroupRecord[] {
  return [...world.securityGroups.values()].filter((group) => isOwnedBy(group, caller));
}

function isOwnedBy(group: SecurityGroupRecord, caller: Caller): boolean {
  return group.ownerId === caller.account && group.region === caller.region;
}

/** GroupName addresses groups of a default VPC only; the model has none. */
function targetGroup(
  world: World,
  caller: Caller,
  input: { GroupId?: string | undefined; GroupName?: string | undefined },
): SecurityGroupRecord {
  if (input.GroupId !== undefined) return findOwnSecurityGroup(world, caller, input.GroupId);
  if (input.GroupName !== undefined) throw noDefaultVpc();
  throw ec2Error("MissingParameter", "The request must contain the parameter groupId");
}

/** IpPermissions, or the single permission of the older top-level parameters (not both). */
function permissionsOf(input: AuthorizeSecurityGroupIngressRequest): IpPermission[] {
  if (input.SourceSecurityGroupName !== undefined || input.SourceSecurityGroupOwnerId !== undefined) {
    throw new Error("the model does not implement source security groups by name");
  }
  const permissions = input.IpPermissions ?? [];
  if (hasLegacyPermission(input)) {
    if (permissions.length > 0) {
      throw ec2Error(
        "InvalidParameterCombination",
        "The parameter 'ipPermissions' may not be used in combination with 'ipProtocol', 'fromPort', 'toPort' or 'cidrIp'",
      );
    }
    const { IpProtocol, FromPort, ToPort, CidrIp } = input;
    return [{ IpProtocol, FromPort, ToPort, IpRanges: CidrIp === undefined ? [] : [{ CidrIp }] }];
  }
  if (permissions.length === 0) {
    throw ec2Error("MissingParameter", "The request must contain the parameter ipPermissions");
  }
  return permissions;
}

function hasLegacyPermission(input: AuthorizeSecurityGroupIngressRequest): boolean {
  return [input.IpProtocol, input.FromPort, input.ToPort, input.CidrIp].some((value) => value !== undefined);
}

function ruleTags(specifications: TagSpecification[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const { ResourceType: type, Tags = [] } of specifications ?? []) {
    if (type !== "security-group-rule") {
      throw ec2Error(
        "InvalidParameterValue",
        `'${type}' is not a valid taggable resource type for this operation.`,
      );
    }
    for (const tag of Tags) tags[tag.Key ?? ""] = tag.Value ?? "";
  }
  return tags;
}

function ingressRuleById(ingress: SecurityGroupRuleRecord[], id: string): SecurityGroupRuleRecord {
  const rule = ingress.find((candidate) => candidate.id === id);
  if (!rule) throw ruleNotFound(id);
  return rule;
}

function ruleNotFound(id: string) {
  return ec2Error("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`);
}

function noDefaultVpc() {
  return ec2Error(
    "VPCIdNotSpecified",
    "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.",
  );
}

/** The filter names EC2 documents for DescribeSecurityGroups; rule filters match any of the group's rules. */
function groupFilterValues(world: World, group: SecurityGroupRecord, name: string): string[] | undefined {
  switch (name) {
    case "group-id":
      return [group.id];
    case "group-name":
      return [group.name];
    case "description":
      return [group.description];
    case "vpc-id":
      return [group.vpcId];
    case "owner-id":
      return [group.ownerId];
  }
  const rule = /^(egress\.)?ip-permission\.(.+)$/.exec(name);
  if (rule) {
    const [, egress, field = ""] = rule;
    return permissionFilterValues(
      world,
      group.rules.filter((candidate) => candidate.isEgress === (egress !== undefined)),
      field,
    );
  }
  return documentedTagFilterValues(name, group.tags);
}

function permissionFilterValues(
  world: World,
  rules: SecurityGroupRuleRecord[],
  field: string,
): string[] | undefined {
  const referenced = rules.flatMap(({ source }) =>
    "referencedGroup" in source ? [source.referencedGroup] : [],
  );
  switch (field) {
    case "cidr":
      return rules.flatMap(({ source }) => ("cidrIpv4" in source ? [source.cidrIpv4] : []));
    case "ipv6-cidr":
      return rules.flatMap(({ source }) => ("cidrIpv6" in source ? [source.cidrIpv6] : []));
    case "prefix-list-id":
      return rules.flatMap(({ source }) => ("prefixListId" in source ? [source.prefixListId] : []));
    case "protocol":
      return rules.map((rule) => rule.protocol);
    case "from-port":
      return rules.map((rule) => String(rule.fromPort));
    case "to-port":
      return rules.map((rule) => String(rule.toPort));
    case "group-id":
      return referenced.map((group) => group.groupId);
    case "group-name":
      return referenced.flatMap((group) => world.securityGroups.get(group.groupId)?.name ?? []);
    case "user-id":
      return referenced.map((group) => group.userId);
    default:
      return undefined;
  }
}

/** The filter names EC2 documents for DescribeSecurityGroupRules, and tag-key. */
function ruleFilterValues({ group, rule }: OwnedRule, name: string): string[] | undefined {
  if (name === "group-id") return [group.id];
  if (name === "security-group-rule-id") return [rule.id];
  return documentedTagFilterValues(name, rule.tags);
}

/** tag:<key> and tag-key; these calls do not document tag-value, so the model refuses it. */
function documentedTagFilterValues(name: string, tags: Record<string, string>): string[] | undefined {
  return name === "tag-value" ? undefined : tagFilterValues(name, tags);
}
