import {
  AuthorizeSecurityGroupIngressCommand,
  type AuthorizeSecurityGroupIngressRequest,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupRulesCommand,
  type DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsRequest,
  EC2Client,
  type IpPermission,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { installModel, ModelRequestHandler, World } from "../../model";
import { ACCEPTER, ec2In, errorCode, REQUESTER, useWorld } from "./fixtures";

const REGION = "us-east-1";
const HTTPS = { IpProtocol: "tcp", FromPort: 443, ToPort: 443 };
const CONNECTION_TAG = { Key: "peering-autopilot:connection", Value: "pcx-0000000000000000a" };
const RULE_TAGS = [{ ResourceType: "security-group-rule" as const, Tags: [CONNECTION_TAG] }];

describe("adding security groups to the model", () => {
  const world = () => {
    const w = new World({ homeAccount: ACCEPTER });
    const vpcId = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.0.0.0/16"] });
    return { w, vpcId };
  };

  it("places a group in its VPC's account and region, with EC2's default outbound rule", () => {
    const { w, vpcId } = world();
    const id = w.addSecurityGroup({
      vpcId,
      name: "payments",
      tags: { Peering: "payments" },
      ingress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.9.0.0/16", tags: { Team: "a" } },
      ],
    });
    expect(id).toMatch(/^sg-0[0-9a-f]{16}$/);
    expect(w.securityGroup(id)).toMatchObject({
      vpcId,
      ownerId: ACCEPTER,
      region: REGION,
      name: "payments",
      description: "payments",
      tags: { Peering: "payments" },
    });
    expect(w.securityGroupRules(id)).toEqual([
      {
        id: expect.stringMatching(/^sgr-0[0-9a-f]{16}$/),
        groupId: id,
        isEgress: false,
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        source: { cidrIpv4: "10.9.0.0/16" },
        tags: { Team: "a" },
      },
      {
        id: expect.stringMatching(/^sgr-/),
        groupId: id,
        isEgress: true,
        protocol: "-1",
        fromPort: -1,
        toPort: -1,
        source: { cidrIpv4: "0.0.0.0/0" },
        tags: {},
      },
    ]);
    expect(w.securityGroupsOfVpc(vpcId).map((group) => group.id)).toEqual([id]);
  });

  it("stores rules as EC2 shows them: canonical blocks, protocols by name, no ports for all traffic", () => {
    const { w, vpcId } = world();
    const id = w.addSecurityGroup({
      vpcId,
      egress: [],
      ingress: [
        { protocol: "TCP", fromPort: 22, toPort: 22, cidrIpv4: "100.68.0.18/18" },
        { protocol: "17", fromPort: 53, toPort: 53, cidrIpv6: "FD00:10:0:0::/64" },
        { protocol: "-1", fromPort: 80, toPort: 90, cidrIpv4: "10.1.0.0/16" },
        { protocol: "icmpv6", cidrIpv6: "fd00:20::/56" },
      ],
    });
    expect(
      w.securityGroupRules(id).map(({ protocol, fromPort, toPort, source }) => ({
        protocol,
        fromPort,
        toPort,
        source,
      })),
    ).toEqual([
      { protocol: "tcp", fromPort: 22, toPort: 22, source: { cidrIpv4: "100.68.0.0/18" } },
      { protocol: "udp", fromPort: 53, toPort: 53, source: { cidrIpv6: "fd00:10::/64" } },
      { protocol: "-1", fromPort: -1, toPort: -1, source: { cidrIpv4: "10.1.0.0/16" } },
      { protocol: "icmpv6", fromPort: -1, toPort: -1, source: { cidrIpv6: "fd00:20::/56" } },
    ]);
  });

  it.each([
    ["a name starting with sg-", { name: "sg-web" }, "cannot start with sg-"],
    ["a name another group of the VPC has", { name: "taken" }, "already has a security group named taken"],
    [
      "a rule with two sources",
      {
        ingress: [{ protocol: "tcp", fromPort: 1, toPort: 1, cidrIpv4: "10.0.0.0/8", prefixListId: "pl-1" }],
      },
      "exactly one of",
    ],
    [
      "a TCP rule without ports",
      { ingress: [{ protocol: "tcp", cidrIpv4: "10.0.0.0/8" }] },
      "Must specify both from and to ports",
    ],
    ["a malformed block", { ingress: [{ protocol: "-1", cidrIpv4: "10.0.0.300/8" }] }, "is malformed"],
    [
      "the same rule twice",
      {
        ingress: [
          { protocol: "tcp", fromPort: 1, toPort: 1, cidrIpv4: "10.0.0.0/8" },
          { protocol: "tcp", fromPort: 1, toPort: 1, cidrIpv4: "10.0.0.0/8", description: "again" },
        ],
      },
      "already exists",
    ],
  ])("refuses %s, adding nothing", (_, spec, message) => {
    const { w, vpcId } = world();
    w.addSecurityGroup({ vpcId, name: "taken" });
    expect(() => w.addSecurityGroup({ vpcId, ...spec })).toThrow(message);
    expect(w.securityGroupsOfVpc(vpcId)).toHaveLength(1);
  });

  it("adds a foreign rule referencing a group in a peered VPC only through the connection", () => {
    const { w, vpcId } = world();
    w.addAccount(REQUESTER);
    const peerVpc = w.addVpc({ ownerId: REQUESTER, region: REGION, cidrs: ["10.20.0.0/16"] });
    const peerGroup = w.addSecurityGroup({ vpcId: peerVpc });
    const group = w.addSecurityGroup({ vpcId });
    const rule = { protocol: "tcp", fromPort: 5432, toPort: 5432, referencedGroupId: peerGroup };
    expect(() => w.addSecurityGroupRule(group, rule)).toThrow("name the peering connection");
    const elsewhere = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.30.0.0/16"] });
    const unrelated = w.addPeering({ requesterVpcId: elsewhere, accepterVpcId: vpcId, status: "active" });
    expect(() => w.addSecurityGroupRule(group, { ...rule, vpcPeeringConnectionId: unrelated })).toThrow(
      `${unrelated} does not connect`,
    );
    const pcx = w.addPeering({ requesterVpcId: peerVpc, accepterVpcId: vpcId, status: "active" });
    const id = w.addSecurityGroupRule(group, { ...rule, vpcPeeringConnectionId: pcx });
    expect(w.securityGroupRules(group).find((candidate) => candidate.id === id)?.source).toEqual({
      referencedGroup: {
        groupId: peerGroup,
        userId: REQUESTER,
        vpcId: peerVpc,
        vpcPeeringConnectionId: pcx,
      },
    });
  });
});

describe("security groups and their rules through the SDK", () => {
  const ids = { vpc: "", otherVpc: "", payments: "", web: "", empty: "", requester: "", far: "" };
  const world = useWorld((w) => {
    ids.vpc = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.0.0.0/16"] });
    ids.otherVpc = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.5.0.0/16"] });
    ids.payments = w.addSecurityGroup({
      vpcId: ids.vpc,
      name: "payments",
      description: "payments api",
      tags: { Peering: "payments", Name: "pay" },
      ingress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16", description: "from the vpc" },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "fd00:10::/56" },
        { protocol: "tcp", fromPort: 8000, toPort: 8100, prefixListId: "pl-0123456789abcdef0" },
      ],
    });
    ids.web = w.addSecurityGroup({ vpcId: ids.vpc, name: "web", tags: { Peering: "web" } });
    ids.empty = w.addSecurityGroup({ vpcId: ids.otherVpc, name: "empty", egress: [] });
    const requesterVpc = w.addVpc({ ownerId: REQUESTER, region: REGION, cidrs: ["10.20.0.0/16"] });
    ids.requester = w.addSecurityGroup({ vpcId: requesterVpc, name: "payments" });
    const farVpc = w.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.40.0.0/16"] });
    ids.far = w.addSecurityGroup({ vpcId: farVpc });
  });

  const groups = async (ec2: EC2Client, input: DescribeSecurityGroupsRequest = {}) => {
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand(input));
    return SecurityGroups.map((group) => group.GroupId);
  };
  const rules = async (ec2: EC2Client, input: DescribeSecurityGroupRulesRequest = {}) => {
    const { SecurityGroupRules = [] } = await ec2.send(new DescribeSecurityGroupRulesCommand(input));
    return SecurityGroupRules;
  };
  const ruleIds = (groupId: string) =>
    world()
      .securityGroupRules(groupId)
      .map((rule) => rule.id);
  const authorize = async (input: Partial<AuthorizeSecurityGroupIngressRequest>, account = ACCEPTER) =>
    (await ec2In(account, REGION)).send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: ids.payments, ...input }),
    );
  const fromPeer = (cidr = "10.20.0.0/16"): IpPermission => ({ ...HTTPS, IpRanges: [{ CidrIp: cidr }] });

  it("describes a group as EC2 does: rules grouped by protocol and ports, all-traffic rules without ports", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [ids.payments] }),
    );
    expect(SecurityGroups).toEqual([
      {
        GroupId: ids.payments,
        GroupName: "payments",
        Description: "payments api",
        VpcId: ids.vpc,
        OwnerId: ACCEPTER,
        SecurityGroupArn: `arn:aws:ec2:${REGION}:${ACCEPTER}:security-group/${ids.payments}`,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "from the vpc" }],
            Ipv6Ranges: [{ CidrIpv6: "fd00:10::/56" }],
            PrefixListIds: [],
            UserIdGroupPairs: [],
          },
          {
            IpProtocol: "tcp",
            FromPort: 8000,
            ToPort: 8100,
            IpRanges: [],
            Ipv6Ranges: [],
            PrefixListIds: [{ PrefixListId: "pl-0123456789abcdef0" }],
            UserIdGroupPairs: [],
          },
        ],
        IpPermissionsEgress: [
          {
            IpProtocol: "-1",
            IpRanges: [{ CidrIp: "0.0.0.0/0" }],
            Ipv6Ranges: [],
            PrefixListIds: [],
            UserIdGroupPairs: [],
          },
        ],
        Tags: [
          { Key: "Peering", Value: "payments" },
          { Key: "Name", Value: "pay" },
        ],
      },
    ]);
  });

  it("describes each rule with its id, owner, source and tags", async () => {
    const [https, , prefixList, egress] = ruleIds(ids.payments);
    const ec2 = await ec2In(ACCEPTER, REGION);
    const arn = (id: string | undefined) => `arn:aws:ec2:${REGION}:${ACCEPTER}:security-group-rule/${id}`;
    expect(await rules(ec2, { SecurityGroupRuleIds: [https ?? "", prefixList ?? "", egress ?? ""] })).toEqual(
      [
        {
          SecurityGroupRuleId: https,
          GroupId: ids.payments,
          GroupOwnerId: ACCEPTER,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 443,
          ToPort: 443,
          CidrIpv4: "10.0.0.0/16",
          Description: "from the vpc",
          Tags: [],
          SecurityGroupRuleArn: arn(https),
        },
        {
          SecurityGroupRuleId: prefixList,
          GroupId: ids.payments,
          GroupOwnerId: ACCEPTER,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 8000,
          ToPort: 8100,
          PrefixListId: "pl-0123456789abcdef0",
          Tags: [],
          SecurityGroupRuleArn: arn(prefixList),
        },
        {
          SecurityGroupRuleId: egress,
          GroupId: ids.payments,
          GroupOwnerId: ACCEPTER,
          IsEgress: true,
          IpProtocol: "-1",
          FromPort: -1,
          ToPort: -1,
          CidrIpv4: "0.0.0.0/0",
          Tags: [],
          SecurityGroupRuleArn: arn(egress),
        },
      ],
    );
  });

  it("shows each account-region only its own groups and rules", async () => {
    expect(await groups(await ec2In(ACCEPTER, REGION))).toEqual([ids.payments, ids.web, ids.empty]);
    expect(await groups(await ec2In(REQUESTER, REGION))).toEqual([ids.requester]);
    expect(await groups(await ec2In(ACCEPTER, "eu-west-1"))).toEqual([ids.far]);
    const requesterRules = await rules(await ec2In(REQUESTER, REGION));
    expect(requesterRules.map((rule) => rule.SecurityGroupRuleId)).toEqual(ruleIds(ids.requester));
  });

  it("answers InvalidGroup.NotFound and InvalidSecurityGroupRuleId.NotFound for ids not the caller's", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    for (const id of ["sg-0000000000000ffff", ids.requester, ids.far]) {
      expect(
        await errorCode(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [ids.payments, id] }))),
      ).toBe("InvalidGroup.NotFound");
    }
    for (const id of ["sgr-0000000000000ffff", ...ruleIds(ids.requester), ...ruleIds(ids.far)]) {
      expect(await errorCode(rules(ec2, { SecurityGroupRuleIds: [id] }))).toBe(
        "InvalidSecurityGroupRuleId.NotFound",
      );
    }
  });

  it("answers VPCIdNotSpecified for group names (the model has no default VPC)", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    expect(await errorCode(groups(ec2, { GroupNames: ["payments"] }))).toBe("VPCIdNotSpecified");
  });

  // Values and expected results name groups by their key in `ids`, resolved once the world is built.
  it.each([
    ["group-id", ["web", "empty"], ["web", "empty"]],
    ["vpc-id", ["otherVpc"], ["empty"]],
    ["group-name", ["pay*"], ["payments"]],
    ["description", ["payments api"], ["payments"]],
    ["owner-id", [ACCEPTER], ["payments", "web", "empty"]],
    ["owner-id", [REQUESTER], []],
    ["tag:Peering", ["paym*", "we?"], ["payments", "web"]],
    ["tag:Peering", ["pay*"], ["payments"]],
    ["tag-key", ["Name"], ["payments"]],
    ["ip-permission.cidr", ["10.0.0.0/16"], ["payments"]],
    ["ip-permission.ipv6-cidr", ["fd00:10::/56"], ["payments"]],
    ["ip-permission.from-port", ["8000"], ["payments"]],
    ["ip-permission.prefix-list-id", ["pl-0123456789abcdef0"], ["payments"]],
    ["egress.ip-permission.cidr", ["0.0.0.0/0"], ["payments", "web"]],
    ["egress.ip-permission.protocol", ["-1"], ["payments", "web"]],
  ])("filters groups by %s %j", async (name, values, expected) => {
    const resolve = (key: string) => ids[key as keyof typeof ids] ?? key;
    const ec2 = await ec2In(ACCEPTER, REGION);
    expect(await groups(ec2, { Filters: [{ Name: name, Values: values.map(resolve) }] })).toEqual(
      expected.map(resolve),
    );
  });

  it("refuses a filter it does not model rather than ignoring it", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    await expect(groups(ec2, { Filters: [{ Name: "tag-value", Values: ["web"] }] })).rejects.toThrow(
      "does not implement filter 'tag-value' for DescribeSecurityGroups",
    );
    await expect(rules(ec2, { Filters: [{ Name: "ip-protocol", Values: ["tcp"] }] })).rejects.toThrow(
      "does not implement filter 'ip-protocol' for DescribeSecurityGroupRules",
    );
  });

  it("pages groups and rules with MaxResults and NextToken, as the SDK's paginators read them", async () => {
    const w = world();
    const many = Array.from({ length: 6 }, (_, i) =>
      w.addSecurityGroup({
        vpcId: ids.otherVpc,
        egress: [],
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: `10.${i}.0.0/16` }],
      }),
    );
    const ec2 = await ec2In(ACCEPTER, REGION);
    const inOtherVpc = { Filters: [{ Name: "vpc-id", Values: [ids.otherVpc] }] };
    const first = await ec2.send(new DescribeSecurityGroupsCommand({ ...inOtherVpc, MaxResults: 5 }));
    expect(first.SecurityGroups?.map((group) => group.GroupId)).toEqual([ids.empty, ...many.slice(0, 4)]);
    const second = await ec2.send(
      new DescribeSecurityGroupsCommand({ ...inOtherVpc, MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.SecurityGroups?.map((group) => group.GroupId)).toEqual(many.slice(4));
    expect(second.NextToken).toBeUndefined();

    const groupPages: number[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize: 5 }, inOtherVpc)) {
      groupPages.push(page.SecurityGroups?.length ?? 0);
    }
    expect(groupPages).toEqual([5, 2]);
    const rulePages: string[][] = [];
    const ofMany = { Filters: [{ Name: "group-id", Values: many }] };
    for await (const page of paginateDescribeSecurityGroupRules({ client: ec2, pageSize: 5 }, ofMany)) {
      rulePages.push((page.SecurityGroupRules ?? []).map((rule) => rule.GroupId ?? ""));
    }
    expect(rulePages).toEqual([many.slice(0, 5), many.slice(5)]);
  });

  it.each([4, 1001])("refuses MaxResults %d on both describes (EC2 takes 5 to 1000)", async (maxResults) => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    expect(await errorCode(groups(ec2, { MaxResults: maxResults }))).toBe("InvalidParameterValue");
    expect(await errorCode(rules(ec2, { MaxResults: maxResults }))).toBe("InvalidParameterValue");
    expect(await groups(ec2, { MaxResults: maxResults < 5 ? 5 : 1000 })).toHaveLength(3);
  });

  it("authorizes ingress with tags on the new rules, found again by the rules' tag filters", async () => {
    const before = ruleIds(ids.payments);
    const answer = await authorize({
      IpPermissions: [
        {
          ...HTTPS,
          IpRanges: [{ CidrIp: "10.20.1.0/24", Description: "peer app" }],
          Ipv6Ranges: [{ CidrIpv6: "fd00:20:0:1::/64" }],
        },
        { IpProtocol: "udp", FromPort: 8000, ToPort: 8100, IpRanges: [{ CidrIp: "10.20.2.7/24" }] },
      ],
      TagSpecifications: RULE_TAGS,
    });
    const added = ruleIds(ids.payments).filter((id) => !before.includes(id));
    expect(answer.Return).toBe(true);
    expect(answer.SecurityGroupRules?.map((rule) => rule.SecurityGroupRuleId)).toEqual(added);
    expect(
      answer.SecurityGroupRules?.map(
        ({ IpProtocol, FromPort, ToPort, CidrIpv4, CidrIpv6, Description, Tags }) => ({
          IpProtocol,
          FromPort,
          ToPort,
          CidrIpv4,
          CidrIpv6,
          Description,
          Tags,
        }),
      ),
    ).toEqual([
      {
        ...HTTPS,
        CidrIpv4: "10.20.1.0/24",
        CidrIpv6: undefined,
        Description: "peer app",
        Tags: [CONNECTION_TAG],
      },
      {
        ...HTTPS,
        CidrIpv4: undefined,
        CidrIpv6: "fd00:20:0:1::/64",
        Description: undefined,
        Tags: [CONNECTION_TAG],
      },
      // EC2 keeps the block's network address.
      {
        IpProtocol: "udp",
        FromPort: 8000,
        ToPort: 8100,
        CidrIpv4: "10.20.2.0/24",
        CidrIpv6: undefined,
        Description: undefined,
        Tags: [CONNECTION_TAG],
      },
    ]);

    const ec2 = await ec2In(ACCEPTER, REGION);
    const tagged = await rules(ec2, {
      Filters: [
        { Name: "group-id", Values: [ids.payments] },
        { Name: `tag:${CONNECTION_TAG.Key}`, Values: [CONNECTION_TAG.Value] },
      ],
    });
    expect(tagged.map((rule) => rule.SecurityGroupRuleId)).toEqual(added);
    const byKey = await rules(ec2, { Filters: [{ Name: "tag-key", Values: ["peering-autopilot:*"] }] });
    expect(byKey.map((rule) => rule.SecurityGroupRuleId)).toEqual(added);
  });

  it("authorizes with the older top-level parameters as one permission", async () => {
    const answer = await authorize({ IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: "10.20.0.0/16" });
    expect(answer.SecurityGroupRules?.map((rule) => [rule.IpProtocol, rule.FromPort, rule.CidrIpv4])).toEqual(
      [["tcp", 22, "10.20.0.0/16"]],
    );
    expect(await errorCode(authorize({ CidrIp: "10.21.0.0/16", IpPermissions: [fromPeer()] }))).toBe(
      "InvalidParameterCombination",
    );
  });

  it("refuses a duplicate rule (in the group or twice in one call), adding none of the call's rules", async () => {
    const before = ruleIds(ids.payments);
    const duplicate = { ...HTTPS, IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "other words" }] };
    expect(await errorCode(authorize({ IpPermissions: [fromPeer(), duplicate] }))).toBe(
      "InvalidPermission.Duplicate",
    );
    // EC2 compares the canonical block: 10.20.0.7/16 is 10.20.0.0/16.
    expect(await errorCode(authorize({ IpPermissions: [fromPeer(), fromPeer("10.20.0.7/16")] }))).toBe(
      "InvalidPermission.Duplicate",
    );
    expect(ruleIds(ids.payments)).toEqual(before);
  });

  it.each([
    [
      "TCP without ports",
      { IpProtocol: "tcp", IpRanges: [{ CidrIp: "10.20.0.0/16" }] },
      "InvalidParameterValue",
    ],
    [
      "a reversed port range",
      { ...HTTPS, FromPort: 444, IpRanges: [{ CidrIp: "10.20.0.0/16" }] },
      "InvalidParameterValue",
    ],
    [
      "a port above 65535",
      { ...HTTPS, ToPort: 65536, IpRanges: [{ CidrIp: "10.20.0.0/16" }] },
      "InvalidParameterValue",
    ],
    [
      "ICMP code without a type",
      { IpProtocol: "icmp", FromPort: -1, ToPort: 0, IpRanges: [{ CidrIp: "10.20.0.0/16" }] },
      "InvalidParameterValue",
    ],
    [
      "an unknown protocol",
      { IpProtocol: "tcpx", IpRanges: [{ CidrIp: "10.20.0.0/16" }] },
      "InvalidParameterValue",
    ],
    ["a malformed block", { ...HTTPS, IpRanges: [{ CidrIp: "10.20.0/16" }] }, "InvalidParameterValue"],
    ["an IPv6 block as CidrIp", { ...HTTPS, IpRanges: [{ CidrIp: "fd00::/64" }] }, "InvalidParameterValue"],
    ["no source at all", { ...HTTPS }, "InvalidParameterValue"],
    [
      "a description with quotes",
      { ...HTTPS, IpRanges: [{ CidrIp: "10.20.0.0/16", Description: 'say "hi"' }] },
      "InvalidParameterValue",
    ],
  ])("refuses %s", async (_, permission, code) => {
    const before = ruleIds(ids.payments);
    expect(await errorCode(authorize({ IpPermissions: [permission] }))).toBe(code);
    expect(ruleIds(ids.payments)).toEqual(before);
  });

  it("refuses tag specifications for another resource type", async () => {
    const specifications = [{ ResourceType: "security-group" as const, Tags: [CONNECTION_TAG] }];
    expect(
      await errorCode(authorize({ IpPermissions: [fromPeer()], TagSpecifications: specifications })),
    ).toBe("InvalidParameterValue");
  });

  it.each([
    ["an unknown group", "unknown", ACCEPTER],
    ["another account's group", "payments", REQUESTER],
    ["a group in the caller's account seen from another", "requester", ACCEPTER],
    ["a group in another region", "far", ACCEPTER],
  ])(
    "answers InvalidGroup.NotFound to authorize and revoke on %s, changing nothing",
    async (_, key, account) => {
      const groupId = ids[key as keyof typeof ids] ?? "sg-0000000000000ffff";
      const everyRule = () =>
        [...world().securityGroups.values()].flatMap((group) => group.rules.map((rule) => rule.id));
      const before = everyRule();
      expect(await errorCode(authorize({ GroupId: groupId, IpPermissions: [fromPeer()] }, account))).toBe(
        "InvalidGroup.NotFound",
      );
      const ec2 = await ec2In(account, REGION);
      const revoke = ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: before.slice(0, 1) }),
      );
      expect(await errorCode(revoke)).toBe("InvalidGroup.NotFound");
      expect(everyRule()).toEqual(before);
    },
  );

  it("holds 60 inbound rules per group by default, IPv4 and IPv6 counted apart", async () => {
    const ipv4 = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ CidrIp: `10.${from + i}.0.0/16` }));
    const ipv6 = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ CidrIpv6: `fd00:${(i + 1).toString(16)}::/32` }));
    const web = { GroupId: ids.web, TagSpecifications: RULE_TAGS };
    await authorize({ ...web, IpPermissions: [{ ...HTTPS, IpRanges: ipv4(100, 60), Ipv6Ranges: ipv6(60) }] });
    const full = world().securityGroupRules(ids.web).length;
    expect(full).toBe(121); // and the default outbound rule
    expect(
      await errorCode(authorize({ ...web, IpPermissions: [{ ...HTTPS, IpRanges: ipv4(200, 1) }] })),
    ).toBe("RulesPerSecurityGroupLimitExceeded");
    expect(
      await errorCode(
        authorize({ ...web, IpPermissions: [{ ...HTTPS, Ipv6Ranges: [{ CidrIpv6: "fd01::/32" }] }] }),
      ),
    ).toBe("RulesPerSecurityGroupLimitExceeded");
    expect(world().securityGroupRules(ids.web)).toHaveLength(full);
  });

  it("counts a rule referencing a group against both families, under the rulesPerGroup option", async () => {
    const w = world();
    w.options.rulesPerGroup = 2;
    w.addSecurityGroupRule(ids.web, {
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      referencedGroupId: ids.payments,
    });
    await authorize({
      GroupId: ids.web,
      IpPermissions: [{ ...HTTPS, Ipv6Ranges: [{ CidrIpv6: "fd00:20::/56" }] }],
    });
    // One IPv4 rule left: a call adding two adds neither.
    const two = { ...HTTPS, IpRanges: [{ CidrIp: "10.20.0.0/16" }, { CidrIp: "10.21.0.0/16" }] };
    expect(await errorCode(authorize({ GroupId: ids.web, IpPermissions: [two] }))).toBe(
      "RulesPerSecurityGroupLimitExceeded",
    );
    await authorize({ GroupId: ids.web, IpPermissions: [fromPeer()] });
    const ipv6 = { ...HTTPS, Ipv6Ranges: [{ CidrIpv6: "fd00:21::/56" }] };
    expect(await errorCode(authorize({ GroupId: ids.web, IpPermissions: [ipv6] }))).toBe(
      "RulesPerSecurityGroupLimitExceeded",
    );
    expect(w.securityGroupRules(ids.web).filter((rule) => !rule.isEgress)).toHaveLength(3);
  });

  it("revokes by rule id, answering the revoked rules, and leaves the others", async () => {
    const { SecurityGroupRules: added = [] } = await authorize({
      IpPermissions: [fromPeer(), fromPeer("10.21.0.0/16")],
      TagSpecifications: RULE_TAGS,
    });
    const [first, second] = added.map((rule) => rule.SecurityGroupRuleId ?? "");
    const before = ruleIds(ids.payments);
    const ec2 = await ec2In(ACCEPTER, REGION);
    const answer = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: ids.payments, SecurityGroupRuleIds: [first ?? ""] }),
    );
    expect(answer.Return).toBe(true);
    expect(answer.RevokedSecurityGroupRules).toEqual([
      {
        SecurityGroupRuleId: first,
        GroupId: ids.payments,
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 443,
        ToPort: 443,
        CidrIpv4: "10.20.0.0/16",
      },
    ]);
    expect(ruleIds(ids.payments)).toEqual(before.filter((id) => id !== first));
    expect(await errorCode(rules(ec2, { SecurityGroupRuleIds: [first ?? ""] }))).toBe(
      "InvalidSecurityGroupRuleId.NotFound",
    );
    const tagged = await rules(ec2, { Filters: [{ Name: "tag-key", Values: [CONNECTION_TAG.Key] }] });
    expect(tagged.map((rule) => rule.SecurityGroupRuleId)).toEqual([second]);
  });

  it("revokes nothing when one id is unknown, an egress rule, or another group's rule", async () => {
    const [ingress] = ruleIds(ids.payments);
    const egress = ruleIds(ids.payments).at(-1) ?? "";
    const [webEgress] = ruleIds(ids.web);
    const ec2 = await ec2In(ACCEPTER, REGION);
    for (const id of ["sgr-0000000000000ffff", egress, webEgress ?? ""]) {
      const revoke = ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: ids.payments,
          SecurityGroupRuleIds: [ingress ?? "", id],
        }),
      );
      expect(await errorCode(revoke)).toBe("InvalidSecurityGroupRuleId.NotFound");
    }
    expect(ruleIds(ids.payments)).toContain(ingress);
  });

  it("revokes by IP permissions that match a rule exactly, else InvalidPermission.NotFound", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    const revoke = (permission: IpPermission) =>
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: ids.payments, IpPermissions: [permission] }));
    const before = ruleIds(ids.payments);
    for (const near of [
      { ...HTTPS, ToPort: 444, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
      { ...HTTPS, IpRanges: [{ CidrIp: "10.0.0.0/17" }] },
      { ...HTTPS, IpProtocol: "udp", IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
      { ...HTTPS, IpRanges: [{ CidrIp: "10.0.0.0/16" }, { CidrIp: "10.99.0.0/16" }] },
    ]) {
      expect(await errorCode(revoke(near))).toBe("InvalidPermission.NotFound");
    }
    expect(ruleIds(ids.payments)).toEqual(before);
    // The description does not take part; the block is compared in its canonical form.
    const answer = await revoke({ ...HTTPS, IpRanges: [{ CidrIp: "10.0.7.0/16" }] });
    expect(answer.RevokedSecurityGroupRules?.map((rule) => rule.SecurityGroupRuleId)).toEqual(
      before.slice(0, 1),
    );
    expect(ruleIds(ids.payments)).toEqual(before.slice(1));
    const both = ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: ids.payments,
        SecurityGroupRuleIds: before.slice(1, 2),
        IpPermissions: [{ ...HTTPS, Ipv6Ranges: [{ CidrIpv6: "fd00:10::/56" }] }],
      }),
    );
    expect(await errorCode(both)).toBe("InvalidParameterCombination");
  });

  it("describes and keeps foreign rules: groups referenced through a peering and in the same VPC", async () => {
    const w = world();
    const peerGroup = ids.requester;
    const pcx = w.addPeering({
      requesterVpcId: w.securityGroup(peerGroup).vpcId,
      accepterVpcId: ids.vpc,
      status: "active",
    });
    const foreign = w.addSecurityGroupRule(ids.payments, {
      protocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      referencedGroupId: peerGroup,
      vpcPeeringConnectionId: pcx,
      description: "db from peer",
    });
    const sameVpc = w.addSecurityGroupRule(ids.payments, { protocol: "-1", referencedGroupId: ids.web });
    const ec2 = await ec2In(ACCEPTER, REGION);
    const [described, self] = await rules(ec2, { SecurityGroupRuleIds: [foreign, sameVpc] });
    expect(described?.ReferencedGroupInfo).toEqual({
      GroupId: peerGroup,
      UserId: REQUESTER,
      VpcId: world().securityGroup(peerGroup).vpcId,
      VpcPeeringConnectionId: pcx,
    });
    expect(self?.ReferencedGroupInfo).toEqual({ GroupId: ids.web, UserId: ACCEPTER });
    const { SecurityGroups: [group] = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [ids.payments] }),
    );
    expect(
      group?.IpPermissions?.find((permission) => permission.FromPort === 5432)?.UserIdGroupPairs,
    ).toEqual([
      {
        GroupId: peerGroup,
        UserId: REQUESTER,
        VpcId: world().securityGroup(peerGroup).vpcId,
        VpcPeeringConnectionId: pcx,
        Description: "db from peer",
      },
    ]);
    expect(await groups(ec2, { Filters: [{ Name: "ip-permission.group-name", Values: ["web"] }] })).toEqual([
      ids.payments,
    ]);

    const foreignAndOthers = ruleIds(ids.payments);
    expect(foreignAndOthers).toEqual(expect.arrayContaining([foreign, sameVpc]));
    const { SecurityGroupRules: [mine] = [] } = await authorize({
      IpPermissions: [fromPeer()],
      TagSpecifications: RULE_TAGS,
    });
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: ids.payments,
        SecurityGroupRuleIds: [mine?.SecurityGroupRuleId ?? ""],
      }),
    );
    expect(mine?.SecurityGroupRuleId).toMatch(/^sgr-/);
    expect(ruleIds(ids.payments)).toEqual(foreignAndOthers);
  });

  it("tags groups and rules through CreateTags and DeleteTags, seen by the tag filters", async () => {
    const [rule] = ruleIds(ids.payments);
    const ec2 = await ec2In(ACCEPTER, REGION);
    await ec2.send(new CreateTagsCommand({ Resources: [rule ?? "", ids.web], Tags: [CONNECTION_TAG] }));
    const tagged = await rules(ec2, { Filters: [{ Name: `tag:${CONNECTION_TAG.Key}`, Values: ["pcx-*"] }] });
    expect(tagged.map((found) => found.SecurityGroupRuleId)).toEqual([rule]);
    expect(await groups(ec2, { Filters: [{ Name: "tag-key", Values: [CONNECTION_TAG.Key] }] })).toEqual([
      ids.web,
    ]);

    await ec2.send(new DeleteTagsCommand({ Resources: [rule ?? ""], Tags: [{ Key: CONNECTION_TAG.Key }] }));
    expect(world().securityGroupRules(ids.payments)[0]?.tags).toEqual({});
    expect(world().securityGroup(ids.web).tags[CONNECTION_TAG.Key]).toBe(CONNECTION_TAG.Value);
  });

  it("tags only the owner's groups and rules, leaving all untouched when one id is not the caller's", async () => {
    const [rule] = ruleIds(ids.payments);
    const ec2 = await ec2In(REQUESTER, REGION);
    const tag = (resources: string[]) =>
      ec2.send(new CreateTagsCommand({ Resources: resources, Tags: [CONNECTION_TAG] }));
    expect(await errorCode(tag([ids.requester, rule ?? ""]))).toBe("InvalidSecurityGroupRuleId.NotFound");
    expect(await errorCode(tag([ids.requester, ids.payments]))).toBe("InvalidGroup.NotFound");
    expect(world().securityGroup(ids.requester).tags).toEqual({});
    expect(world().securityGroupRules(ids.payments)[0]?.tags).toEqual({});
  });

  it("records authorize and revoke as mutating calls, drawn from the mutating bucket", async () => {
    await authorize({ IpPermissions: [fromPeer()] });
    expect(await errorCode(authorize({ IpPermissions: [fromPeer()] }))).toBe("InvalidPermission.Duplicate");
    const ec2 = await ec2In(ACCEPTER, REGION);
    await rules(ec2);
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: ids.payments, IpPermissions: [fromPeer()] }),
    );
    expect(
      world()
        .mutatingCalls()
        .map((call) => `${call.operation} ${call.error ?? "ok"}`),
    ).toEqual([
      "AuthorizeSecurityGroupIngress ok",
      "AuthorizeSecurityGroupIngress InvalidPermission.Duplicate",
      "RevokeSecurityGroupIngress ok",
    ]);
    world().options.ec2RateLimits = {
      describe: { capacity: 100, refillPerSecond: 20 },
      mutating: { capacity: 50, refillPerSecond: 5 },
    };
    const limits = world().rateLimits;
    expect(limits?.shapeOf("DescribeSecurityGroups").capacity).toBe(100);
    expect(limits?.shapeOf("DescribeSecurityGroupRules").capacity).toBe(100);
    expect(limits?.shapeOf("AuthorizeSecurityGroupIngress").capacity).toBe(50);
    expect(limits?.shapeOf("RevokeSecurityGroupIngress").capacity).toBe(50);
  });
});

describe("security groups through the model as the SDK's HTTP handler", () => {
  function build() {
    const world = new World({ homeAccount: ACCEPTER });
    const vpcId = world.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.0.0.0/16"] });
    for (let i = 0; i < 6; i++) {
      world.addSecurityGroup({
        vpcId,
        name: `group-${i}`,
        tags: { Peering: i < 3 ? "payments" : "web" },
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16", description: "ssh" }],
      });
    }
    return world;
  }

  async function answers(through: "send" | "http") {
    const world = build();
    const restore = through === "send" ? installModel(world).restore : () => {};
    const handler = through === "http" ? { requestHandler: new ModelRequestHandler(world) } : {};
    try {
      const ec2 = new EC2Client({ region: REGION, ...handler });
      const tagged = { Filters: [{ Name: "tag:Peering", Values: ["payments", "web"] }], MaxResults: 5 };
      const first = await ec2.send(new DescribeSecurityGroupsCommand(tagged));
      const rest = await ec2.send(
        new DescribeSecurityGroupsCommand({ ...tagged, NextToken: first.NextToken }),
      );
      const groupId = first.SecurityGroups?.[0]?.GroupId;
      const permission = {
        ...HTTPS,
        IpRanges: [{ CidrIp: "10.20.0.0/16", Description: "peer" }],
        Ipv6Ranges: [{ CidrIpv6: "fd00:20::/56" }],
      };
      const authorized = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [permission],
          TagSpecifications: RULE_TAGS,
        }),
      );
      const duplicate = await errorCode(
        ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] })),
      );
      const byTag = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: `tag:${CONNECTION_TAG.Key}`, Values: [CONNECTION_TAG.Value] }],
        }),
      );
      const revoked = await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          SecurityGroupRuleIds: byTag.SecurityGroupRules?.map((rule) => rule.SecurityGroupRuleId ?? ""),
        }),
      );
      const after = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId ?? ""] }));
      return {
        results: strip([first, rest, authorized, duplicate, byTag, revoked, after]),
        calls: world.calls,
      };
    } finally {
      restore();
    }
  }

  it("answers the security-group calls as the model in place of send does", async () => {
    const viaSend = await answers("send");
    const viaHttp = await answers("http");
    expect(viaHttp.results).toEqual(viaSend.results);
    expect(viaHttp.calls).toEqual(viaSend.calls);
    // The comparison compares something: pages, permissions, tags, rule ids and the error came through.
    const [first, rest, authorized, duplicate, byTag, revoked, after] = viaHttp.results as [
      { SecurityGroups: Array<{ IpPermissions: unknown[]; IpPermissionsEgress: unknown[] }> },
      { SecurityGroups: unknown[] },
      { Return: boolean; SecurityGroupRules: Array<{ SecurityGroupRuleId: string; Tags: unknown }> },
      string,
      { SecurityGroupRules: Array<{ SecurityGroupRuleId: string }> },
      { Return: boolean; RevokedSecurityGroupRules: unknown[] },
      { SecurityGroups: Array<{ IpPermissions: unknown[] }> },
    ];
    expect([first.SecurityGroups.length, rest.SecurityGroups.length]).toEqual([5, 1]);
    expect(first.SecurityGroups[0]?.IpPermissions).toEqual([
      {
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "ssh" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    expect(first.SecurityGroups[0]?.IpPermissionsEgress).toEqual([
      {
        IpProtocol: "-1",
        IpRanges: [{ CidrIp: "0.0.0.0/0" }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    expect(authorized.Return).toBe(true);
    expect(authorized.SecurityGroupRules.map((rule) => rule.Tags)).toEqual([
      [CONNECTION_TAG],
      [CONNECTION_TAG],
    ]);
    expect(duplicate).toBe("InvalidPermission.Duplicate");
    expect(byTag.SecurityGroupRules.map((rule) => rule.SecurityGroupRuleId)).toEqual(
      authorized.SecurityGroupRules.map((rule) => rule.SecurityGroupRuleId),
    );
    expect(revoked.RevokedSecurityGroupRules).toHaveLength(2);
    expect(after.SecurityGroups[0]?.IpPermissions).toHaveLength(1);
  });
});

/** $metadata differs by transport (attempts, request ids); everything else must not. */
function strip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === "$metadata" ? undefined : v)));
}
