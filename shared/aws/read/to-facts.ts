import type {
  RouteTable as Ec2RouteTable,
  SecurityGroup as Ec2SecurityGroup,
  SecurityGroupRule as Ec2SecurityGroupRule,
  Subnet as Ec2Subnet,
  IpPermission,
  Vpc,
  VpcPeeringConnection,
  VpcPeeringConnectionVpcInfo,
} from "@aws-sdk/client-ec2";
import type {
  IngressRule,
  PeeringConnection,
  PeeringSide,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  TaggedRule,
} from "../../facts";
import { CONNECTION_TAG, canonicalProtocol } from "../../security-groups/rule-key";

/** SDK shapes to plain facts: the only place that knows how EC2 spells things. */

export function toPeeringConnection(pcx: VpcPeeringConnection): PeeringConnection {
  return {
    id: pcx.VpcPeeringConnectionId ?? "",
    status: pcx.Status?.Code ?? "unknown",
    requester: toPeeringSide(pcx.RequesterVpcInfo),
    accepter: toPeeringSide(pcx.AccepterVpcInfo),
    tags: toTagMap(pcx.Tags),
    ...(pcx.ExpirationTime && { expiresAt: new Date(pcx.ExpirationTime).toISOString() }),
    dnsResolution: {
      requester: pcx.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc === true,
      accepter: pcx.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc === true,
    },
  };
}

/** The set when present, else the primary block (older responses and some emulators give only that). */
function toPeeringSide(info: VpcPeeringConnectionVpcInfo | undefined): PeeringSide {
  const ipv4 = info?.CidrBlockSet?.length ? info.CidrBlockSet.map((c) => c.CidrBlock) : [info?.CidrBlock];
  const ipv6 = (info?.Ipv6CidrBlockSet ?? []).map((c) => c.Ipv6CidrBlock);
  return {
    account: info?.OwnerId ?? "",
    region: info?.Region ?? "",
    vpcId: info?.VpcId ?? "",
    cidrs: [...ipv4, ...ipv6].filter((c): c is string => Boolean(c)),
  };
}

/** Only associated blocks count: one being added or removed is not yet (or no longer) the VPC's. */
export function toVpcCidrs(vpc: Vpc): string[] {
  const ipv4 = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => a.CidrBlockState?.State === "associated")
    .map((a) => a.CidrBlock);
  const ipv6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
    .filter((a) => a.Ipv6CidrBlockState?.State === "associated")
    .map((a) => a.Ipv6CidrBlock);
  const cidrs = [...ipv4, ...ipv6].filter((c): c is string => Boolean(c));
  return cidrs.length > 0 ? cidrs : [vpc.CidrBlock].filter((c): c is string => Boolean(c));
}

/** A subnet's IPv4 block and the IPv6 blocks associated with it (those being removed are left out). */
export function toSubnet(subnet: Ec2Subnet): Subnet {
  const ipv6 = (subnet.Ipv6CidrBlockAssociationSet ?? [])
    .filter(
      (a) => a.Ipv6CidrBlockState?.State === "associated" || a.Ipv6CidrBlockState?.State === "associating",
    )
    .map((a) => a.Ipv6CidrBlock);
  return {
    id: subnet.SubnetId ?? "",
    cidrs: [subnet.CidrBlock, ...ipv6].filter((c): c is string => typeof c === "string" && c !== ""),
    tags: toTagMap(subnet.Tags),
  };
}

/** A group's tags and ingress rules as DescribeSecurityGroups lists them: one rule per source of a permission. */
export function toSecurityGroup(group: Ec2SecurityGroup): SecurityGroup {
  return {
    id: group.GroupId ?? "",
    tags: toTagMap(group.Tags),
    ingress: (group.IpPermissions ?? []).flatMap(rulesOfPermission),
    tagged: [],
  };
}

function rulesOfPermission(permission: IpPermission): IngressRule[] {
  const base = {
    protocol: canonicalProtocol(permission.IpProtocol ?? "-1"),
    // EC2 leaves the ports out for a protocol that has none.
    fromPort: permission.FromPort ?? -1,
    toPort: permission.ToPort ?? -1,
  };
  const cidrs = [
    ...(permission.IpRanges ?? []).map((range) => range.CidrIp),
    ...(permission.Ipv6Ranges ?? []).map((range) => range.CidrIpv6),
  ].filter((cidr): cidr is string => Boolean(cidr));
  const others = (permission.UserIdGroupPairs ?? []).length + (permission.PrefixListIds ?? []).length;
  return [...cidrs.map((cidr) => ({ ...base, cidr })), ...Array.from({ length: others }, () => base)];
}

/** An ingress rule carrying the service's connection tag; egress rules and untagged ones are none of its. */
export function toTaggedRule(rule: Ec2SecurityGroupRule): TaggedRule | undefined {
  const connectionId = toTagMap(rule.Tags)[CONNECTION_TAG];
  if (rule.IsEgress || !connectionId || !rule.SecurityGroupRuleId) return undefined;
  return { id: rule.SecurityGroupRuleId, connectionId, ...toIngressRule(rule) };
}

/** A rule as DescribeSecurityGroupRules and AuthorizeSecurityGroupIngress show it: what it admits. */
export function toIngressRule(rule: Ec2SecurityGroupRule): IngressRule {
  const cidr = rule.CidrIpv4 ?? rule.CidrIpv6;
  return {
    protocol: canonicalProtocol(rule.IpProtocol ?? "-1"),
    fromPort: rule.FromPort ?? -1,
    toPort: rule.ToPort ?? -1,
    ...(cidr && { cidr }),
  };
}

export function toRouteTable(table: Ec2RouteTable): RouteTable {
  return {
    id: table.RouteTableId ?? "",
    main: (table.Associations ?? []).some((a) => a.Main),
    tags: toTagMap(table.Tags),
    routes: (table.Routes ?? []).flatMap((r): Route[] => {
      const destination = r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock;
      const target =
        r.VpcPeeringConnectionId ??
        r.GatewayId ??
        r.NatGatewayId ??
        r.TransitGatewayId ??
        r.NetworkInterfaceId ??
        r.InstanceId ??
        r.LocalGatewayId ??
        r.CarrierGatewayId ??
        r.EgressOnlyInternetGatewayId ??
        r.CoreNetworkArn ??
        "unknown";
      // Prefix-list routes have no CIDR destination; they cannot be planned against, so they are skipped.
      return destination ? [{ destination, target, ...(r.State && { state: r.State }) }] : [];
    }),
  };
}

function toTagMap(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key, t.Value ?? ""]));
}
