import {
  type EC2Client,
  type Filter,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from "@aws-sdk/client-ec2";
import { chunks, groupBy } from "../../collections";
import type { GroupsRead, RouteTable, SecurityGroup, Subnet, TaggedRule } from "../../facts";
import { CONNECTION_TAG } from "../../security-groups/rule-key";
import { toRouteTable, toSecurityGroup, toSubnet, toTaggedRule, toVpcCidrs } from "./to-facts";

// EC2 takes at most 200 values in one filter.
const FILTER_VALUES = 200;

/**
 * Route tables of one account and region by VPC, in as few pages as EC2 allows: every table when no
 * VPCs are given, else those of the given VPCs.
 */
export async function readRouteTablesByVpc(
  ec2: EC2Client,
  vpcIds?: string[],
): Promise<Map<string, RouteTable[]>> {
  const byVpc = new Map<string, RouteTable[]>();
  const filterSets: Filter[][] = vpcIds
    ? chunks(vpcIds, FILTER_VALUES).map((Values) => [{ Name: "vpc-id", Values }])
    : [[]];
  for (const Filters of filterSets) {
    const pages = paginateDescribeRouteTables({ client: ec2, pageSize: 100 }, { Filters });
    for await (const page of pages) {
      for (const table of page.RouteTables ?? []) {
        const vpcId = table.VpcId ?? "";
        const tables = byVpc.get(vpcId);
        if (tables) tables.push(toRouteTable(table));
        else byVpc.set(vpcId, [toRouteTable(table)]);
      }
    }
  }
  return byVpc;
}

/** The CIDRs of these VPCs of one account and region; a VPC that no longer exists is absent. */
export async function readVpcCidrsById(ec2: EC2Client, vpcIds: string[]): Promise<Map<string, string[]>> {
  const cidrs = new Map<string, string[]>();
  for (const Values of chunks(vpcIds, FILTER_VALUES)) {
    const pages = paginateDescribeVpcs(
      { client: ec2, pageSize: 1000 },
      { Filters: [{ Name: "vpc-id", Values }] },
    );
    for await (const page of pages) {
      for (const vpc of page.Vpcs ?? []) if (vpc.VpcId) cidrs.set(vpc.VpcId, toVpcCidrs(vpc));
    }
  }
  return cidrs;
}

/** The subnets of these VPCs of one account and region, in as few pages as EC2 allows. */
export async function readSubnetsByVpc(ec2: EC2Client, vpcIds: string[]): Promise<Map<string, Subnet[]>> {
  const byVpc = new Map<string, Subnet[]>();
  for (const Values of chunks(vpcIds, FILTER_VALUES)) {
    const pages = paginateDescribeSubnets(
      { client: ec2, pageSize: 1000 },
      { Filters: [{ Name: "vpc-id", Values }] },
    );
    for await (const page of pages) {
      for (const subnet of page.Subnets ?? []) {
        const vpcId = subnet.VpcId ?? "";
        const subnets = byVpc.get(vpcId);
        if (subnets) subnets.push(toSubnet(subnet));
        else byVpc.set(vpcId, [toSubnet(subnet)]);
      }
    }
  }
  return byVpc;
}

/**
 * The security groups of these VPCs of one account and region with every ingress rule, and among those
 * the rules the service tagged: DescribeSecurityGroupRules by the connection tag's key, whose answer is
 * only the service's own rules however many groups there are, then DescribeSecurityGroups by VPC
 * (`all`), or by the ids of the groups holding those rules (`own`; none read when it holds none).
 */
export async function readSecurityGroupsByVpc(
  ec2: EC2Client,
  vpcIds: string[],
  which: GroupsRead,
): Promise<Map<string, SecurityGroup[]>> {
  const owned: { groupId: string; rule: TaggedRule }[] = [];
  const rules = paginateDescribeSecurityGroupRules(
    { client: ec2, pageSize: 1000 },
    { Filters: [{ Name: "tag-key", Values: [CONNECTION_TAG] }] },
  );
  for await (const page of rules) {
    for (const found of page.SecurityGroupRules ?? []) {
      const rule = toTaggedRule(found);
      if (rule) owned.push({ groupId: found.GroupId ?? "", rule });
    }
  }
  const tagged = groupBy(owned, ({ groupId }) => groupId);
  const [Name, ids] = which === "all" ? ["vpc-id", vpcIds] : ["group-id", [...tagged.keys()]];
  const wanted = new Set(vpcIds);
  const byVpc = new Map<string, SecurityGroup[]>();
  for (const Values of chunks(ids, FILTER_VALUES)) {
    const pages = paginateDescribeSecurityGroups(
      { client: ec2, pageSize: 1000 },
      { Filters: [{ Name, Values }] },
    );
    for await (const page of pages) {
      for (const found of page.SecurityGroups ?? []) {
        const vpcId = found.VpcId ?? "";
        // A group of a VPC not asked for belongs to another connection's read.
        if (!wanted.has(vpcId)) continue;
        const own = tagged.get(found.GroupId ?? "") ?? [];
        const group = { ...toSecurityGroup(found), tagged: own.map(({ rule }) => rule) };
        const groups = byVpc.get(vpcId);
        if (groups) groups.push(group);
        else byVpc.set(vpcId, [group]);
      }
    }
  }
  return byVpc;
}
