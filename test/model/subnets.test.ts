import {
  CreateTagsCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  type DescribeSubnetsRequest,
  EC2Client,
  paginateDescribeSubnets,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { installModel, ModelRequestHandler, World } from "../../model";
import { ACCEPTER, ec2In, errorCode, REQUESTER, useWorld } from "./fixtures";

const REGION = "us-east-1";

describe("adding subnets to the model", () => {
  const world = () => {
    const w = new World({ homeAccount: ACCEPTER });
    const vpcId = w.addVpc({
      ownerId: ACCEPTER,
      region: REGION,
      cidrs: ["10.0.0.0/16", "10.1.0.0/16"],
      ipv6Cidrs: ["fd00:10::/56"],
    });
    return { w, vpcId };
  };

  it("places a subnet in its VPC's account and region, with its blocks and tags", () => {
    const { w, vpcId } = world();
    const id = w.addSubnet({
      vpcId,
      cidr: "10.1.2.0/24",
      ipv6Cidr: "fd00:10:0:2::/64",
      tags: { Tier: "app" },
    });
    expect(id).toMatch(/^subnet-0[0-9a-f]{16}$/);
    expect(w.subnet(id)).toMatchObject({
      vpcId,
      ownerId: ACCEPTER,
      region: REGION,
      availabilityZone: "us-east-1a",
      cidr: "10.1.2.0/24",
      ipv6Cidr: { cidr: "fd00:10:0:2::/64", associationId: expect.stringMatching(/^subnet-cidr-assoc-/) },
      tags: { Tier: "app" },
    });
    expect(w.subnetsOfVpc(vpcId).map((subnet) => subnet.id)).toEqual([id]);
  });

  it.each([
    ["an IPv4 block outside every VPC block", { cidr: "10.2.0.0/24" }, "lies outside every IPv4 block"],
    [
      "an IPv6 block wider than its VPC's",
      { cidr: "10.0.9.0/24", ipv6Cidr: "fd00:10::/52" },
      "lies outside every IPv6 block",
    ],
    ["an IPv4 block larger than /16", { cidr: "10.0.0.0/8" }, "from /16 to /28"],
    ["an IPv4 block smaller than /28", { cidr: "10.0.0.0/29" }, "from /16 to /28"],
    ["a host address instead of a network", { cidr: "10.0.0.1/24" }, "must be a network CIDR"],
    ["an IPv6 address as the IPv4 block", { cidr: "fd00:10::/64" }, "must be a network CIDR"],
    [
      "an IPv6 block outside the VPC's",
      { cidr: "10.0.9.0/24", ipv6Cidr: "fd00:99::/64" },
      "lies outside every IPv6 block",
    ],
    ["a block overlapping another subnet", { cidr: "10.0.1.128/25" }, "overlaps 10.0.1.0/24"],
    [
      "an IPv6 block overlapping another subnet",
      { cidr: "10.0.9.0/24", ipv6Cidr: "fd00:10:0:1::/64" },
      "overlaps fd00:10:0:1::/64",
    ],
  ])("refuses %s", (_, blocks, message) => {
    const { w, vpcId } = world();
    w.addSubnet({ vpcId, cidr: "10.0.1.0/24", ipv6Cidr: "fd00:10:0:1::/64" });
    expect(() => w.addSubnet({ vpcId, ...blocks })).toThrow(message);
    expect(w.subnetsOfVpc(vpcId)).toHaveLength(1);
  });

  it("refuses an IPv6 block in a VPC that has none", () => {
    const w = new World({ homeAccount: ACCEPTER });
    const vpcId = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.0.0.0/16"] });
    expect(() => w.addSubnet({ vpcId, cidr: "10.0.1.0/24", ipv6Cidr: "fd00::/64" })).toThrow(
      `lies outside every IPv6 block of ${vpcId} (none)`,
    );
  });

  it("refuses a subnet of an unknown VPC", () => {
    const { w } = world();
    expect(() => w.addSubnet({ vpcId: "vpc-nope", cidr: "10.0.1.0/24" })).toThrow("no VPC vpc-nope");
  });

  it("removes a subnet and its route-table associations, as DeleteSubnet does", () => {
    const { w, vpcId } = world();
    const gone = w.addSubnet({ vpcId, cidr: "10.0.1.0/24" });
    const kept = w.addSubnet({ vpcId, cidr: "10.0.2.0/24" });
    const table = w.addRouteTable({ vpcId, subnetIds: [gone, kept] });
    w.removeSubnet(gone);
    expect(w.subnets.has(gone)).toBe(false);
    expect(w.routeTable(table).subnetIds).toEqual([kept]);
    expect(() => w.removeSubnet(gone)).toThrow(`no subnet ${gone}`);
  });
});

describe("DescribeSubnets and DeleteSubnet through the SDK", () => {
  const ids = { vpc: "", otherVpc: "", app: "", db: "", web: "", requester: "", far: "" };
  const world = useWorld((w) => {
    ids.vpc = w.addVpc({
      ownerId: ACCEPTER,
      region: REGION,
      cidrs: ["10.0.0.0/16"],
      ipv6Cidrs: ["fd00:10::/56"],
    });
    ids.otherVpc = w.addVpc({ ownerId: ACCEPTER, region: REGION, cidrs: ["10.5.0.0/16"] });
    ids.app = w.addSubnet({
      vpcId: ids.vpc,
      cidr: "10.0.1.0/24",
      ipv6Cidr: "fd00:10:0:1::/64",
      tags: { Tier: "shared", Name: "app" },
    });
    ids.db = w.addSubnet({
      vpcId: ids.vpc,
      cidr: "10.0.2.0/24",
      availabilityZone: "us-east-1b",
      tags: { Tier: "data" },
    });
    ids.web = w.addSubnet({ vpcId: ids.otherVpc, cidr: "10.5.0.0/20" });
    const requesterVpc = w.addVpc({ ownerId: REQUESTER, region: REGION, cidrs: ["10.20.0.0/16"] });
    ids.requester = w.addSubnet({ vpcId: requesterVpc, cidr: "10.20.1.0/24" });
    const farVpc = w.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.40.0.0/16"] });
    ids.far = w.addSubnet({ vpcId: farVpc, cidr: "10.40.1.0/24" });
  });

  const listed = async (ec2: EC2Client, input: DescribeSubnetsRequest = {}) => {
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand(input));
    return Subnets.map((subnet) => subnet.SubnetId);
  };
  const filtered = async (name: string, values: string[]) =>
    listed(await ec2In(ACCEPTER, REGION), { Filters: [{ Name: name, Values: values }] });

  it("describes a subnet as EC2 does", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids.app] }));
    const association = world().subnet(ids.app).ipv6Cidr?.associationId;
    expect(Subnets).toEqual([
      {
        SubnetId: ids.app,
        SubnetArn: `arn:aws:ec2:${REGION}:${ACCEPTER}:subnet/${ids.app}`,
        VpcId: ids.vpc,
        OwnerId: ACCEPTER,
        AvailabilityZone: "us-east-1a",
        State: "available",
        CidrBlock: "10.0.1.0/24",
        AvailableIpAddressCount: 251,
        Ipv6CidrBlockAssociationSet: [
          {
            AssociationId: association,
            Ipv6CidrBlock: "fd00:10:0:1::/64",
            Ipv6CidrBlockState: { State: "associated" },
          },
        ],
        Ipv6Native: false,
        DefaultForAz: false,
        MapPublicIpOnLaunch: false,
        AssignIpv6AddressOnCreation: false,
        Tags: [
          { Key: "Tier", Value: "shared" },
          { Key: "Name", Value: "app" },
        ],
      },
    ]);
    const { Subnets: [db] = [] } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids.db] }));
    expect(db).toMatchObject({ Ipv6CidrBlockAssociationSet: [], AvailabilityZone: "us-east-1b" });
  });

  it("shows each account-region only its own subnets", async () => {
    expect(await listed(await ec2In(ACCEPTER, REGION))).toEqual([ids.app, ids.db, ids.web]);
    expect(await listed(await ec2In(REQUESTER, REGION))).toEqual([ids.requester]);
    expect(await listed(await ec2In(ACCEPTER, "eu-west-1"))).toEqual([ids.far]);
    expect(await listed(await ec2In(REQUESTER, "eu-west-1"))).toEqual([]);
  });

  it("answers InvalidSubnetID.NotFound for an unknown id or another account's or region's subnet", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    for (const id of ["subnet-0000000000000ffff", ids.requester, ids.far]) {
      expect(await errorCode(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [ids.app, id] })))).toBe(
        "InvalidSubnetID.NotFound",
      );
    }
  });

  // Values and expected results name subnets and VPCs by their key in `ids`, resolved once the world is built.
  it.each([
    ["vpc-id", ["otherVpc"], ["web"]],
    ["subnet-id", ["db", "web"], ["db", "web"]],
    ["tag:Tier", ["shared"], ["app"]],
    ["tag:Tier", ["sha*", "d?ta"], ["app", "db"]],
    ["tag-key", ["Name"], ["app"]],
    ["tag-value", ["data"], ["db"]],
    ["cidr-block", ["10.0.2.0/24"], ["db"]],
    ["cidr-block", ["10.0.*"], ["app", "db"]],
    ["ipv6-cidr-block-association.ipv6-cidr-block", ["fd00:10:0:1::/64"], ["app"]],
    ["owner-id", [ACCEPTER], ["app", "db", "web"]],
    ["owner-id", [REQUESTER], []],
    ["state", ["available"], ["app", "db", "web"]],
    ["state", ["pending"], []],
    ["availability-zone", ["us-east-1b"], ["db"]],
  ])("filters by %s %j", async (name, values, expected) => {
    const resolve = (key: string) => ids[key as keyof typeof ids] ?? key;
    expect(await filtered(name, values.map(resolve))).toEqual(expected.map(resolve));
  });

  it("combines filters (all must match) and ids with filters", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    const filters = [
      { Name: "vpc-id", Values: [ids.vpc] },
      { Name: "tag-key", Values: ["Tier"] },
      { Name: "cidr-block", Values: ["10.0.2.0/24"] },
    ];
    expect(await listed(ec2, { Filters: filters })).toEqual([ids.db]);
    const byIds = { SubnetIds: [ids.app, ids.web], Filters: [{ Name: "vpc-id", Values: [ids.vpc] }] };
    expect(await listed(ec2, byIds)).toEqual([ids.app]);
  });

  it("refuses a filter it does not model rather than ignoring it", async () => {
    const call = filtered("map-public-ip-on-launch", ["false"]);
    await expect(call).rejects.toThrow(
      "does not implement filter 'map-public-ip-on-launch' for DescribeSubnets",
    );
  });

  it("pages with MaxResults and NextToken, as the SDK's paginator reads them", async () => {
    const w = world();
    const many = Array.from({ length: 7 }, (_, i) =>
      w.addSubnet({ vpcId: ids.otherVpc, cidr: `10.5.${16 + i}.0/24` }),
    );
    const ec2 = await ec2In(ACCEPTER, REGION);
    const filter = { Filters: [{ Name: "vpc-id", Values: [ids.otherVpc] }] };

    const first = await ec2.send(new DescribeSubnetsCommand({ ...filter, MaxResults: 5 }));
    expect(first.Subnets?.map((subnet) => subnet.SubnetId)).toEqual([ids.web, ...many.slice(0, 4)]);
    expect(first.NextToken).toBeDefined();
    const second = await ec2.send(
      new DescribeSubnetsCommand({ ...filter, MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.Subnets?.map((subnet) => subnet.SubnetId)).toEqual(many.slice(4));
    expect(second.NextToken).toBeUndefined();

    const pages: string[][] = [];
    for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 5 }, filter)) {
      pages.push((page.Subnets ?? []).map((subnet) => subnet.SubnetId ?? ""));
    }
    expect(pages).toEqual([[ids.web, ...many.slice(0, 4)], many.slice(4)]);
    expect(w.calls.filter((call) => call.operation === "DescribeSubnets")).toHaveLength(4);
  });

  it.each([4, 1001])("refuses MaxResults %d (EC2 takes 5 to 1000)", async (maxResults) => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    expect(await errorCode(ec2.send(new DescribeSubnetsCommand({ MaxResults: maxResults })))).toBe(
      "InvalidParameterValue",
    );
  });

  it("accepts MaxResults at both bounds", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    expect(await listed(ec2, { MaxResults: 5 })).toHaveLength(3);
    expect(await listed(ec2, { MaxResults: 1000 })).toHaveLength(3);
  });

  it("re-tags through CreateTags and DeleteTags, seen by the tag: filters", async () => {
    const ec2 = await ec2In(ACCEPTER, REGION);
    await ec2.send(
      new CreateTagsCommand({ Resources: [ids.db, ids.web], Tags: [{ Key: "Tier", Value: "shared" }] }),
    );
    expect(await filtered("tag:Tier", ["shared"])).toEqual([ids.app, ids.db, ids.web]);

    await ec2.send(new DeleteTagsCommand({ Resources: [ids.app], Tags: [{ Key: "Tier", Value: "other" }] }));
    expect(world().subnet(ids.app).tags).toEqual({ Tier: "shared", Name: "app" });
    await ec2.send(new DeleteTagsCommand({ Resources: [ids.app], Tags: [{ Key: "Tier" }] }));
    expect(await filtered("tag:Tier", ["shared"])).toEqual([ids.db, ids.web]);
    await ec2.send(new DeleteTagsCommand({ Resources: [ids.web] }));
    expect(await filtered("tag-key", ["Tier"])).toEqual([ids.db]);
  });

  it("tags only the owner's subnets, leaving all untouched when one id is not the caller's", async () => {
    const ec2 = await ec2In(REQUESTER, REGION);
    const call = ec2.send(
      new CreateTagsCommand({ Resources: [ids.requester, ids.app], Tags: [{ Key: "Tier", Value: "x" }] }),
    );
    expect(await errorCode(call)).toBe("InvalidSubnetID.NotFound");
    expect(world().subnet(ids.requester).tags).toEqual({});
    expect(world().subnet(ids.app).tags.Tier).toBe("shared");
  });

  it("deletes a subnet for its owner only, with its route-table association", async () => {
    const table = world().addRouteTable({ vpcId: ids.vpc, subnetIds: [ids.app] });
    expect(
      await errorCode((await ec2In(REQUESTER, REGION)).send(new DeleteSubnetCommand({ SubnetId: ids.app }))),
    ).toBe("InvalidSubnetID.NotFound");
    expect(world().subnets.has(ids.app)).toBe(true);

    const ec2 = await ec2In(ACCEPTER, REGION);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: ids.app }));
    expect(await listed(ec2)).toEqual([ids.db, ids.web]);
    const { RouteTables = [] } = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table] }));
    expect(RouteTables[0]?.Associations).toEqual([]);
    expect(await errorCode(ec2.send(new DeleteSubnetCommand({ SubnetId: ids.app })))).toBe(
      "InvalidSubnetID.NotFound",
    );
    expect(
      world()
        .mutatingCalls()
        .map((call) => `${call.operation} ${call.error ?? "ok"}`),
    ).toEqual([
      "DeleteSubnet InvalidSubnetID.NotFound",
      "DeleteSubnet ok",
      "DeleteSubnet InvalidSubnetID.NotFound",
    ]);
  });

  it("draws DescribeSubnets from the describe bucket and DeleteSubnet from the mutating one", () => {
    world().options.ec2RateLimits = {
      describe: { capacity: 100, refillPerSecond: 20 },
      mutating: { capacity: 50, refillPerSecond: 5 },
    };
    const limits = world().rateLimits;
    expect(limits?.shapeOf("DescribeSubnets").capacity).toBe(100);
    expect(limits?.shapeOf("DeleteSubnet").capacity).toBe(50);
  });
});

describe("subnets through the model as the SDK's HTTP handler", () => {
  function build() {
    const world = new World({ homeAccount: ACCEPTER });
    const vpcId = world.addVpc({
      ownerId: ACCEPTER,
      region: REGION,
      cidrs: ["10.0.0.0/16"],
      ipv6Cidrs: ["fd00:10::/56"],
    });
    for (let i = 0; i < 6; i++) {
      world.addSubnet({
        vpcId,
        cidr: `10.0.${i}.0/24`,
        ...(i % 2 === 0 && { ipv6Cidr: `fd00:10:0:${i}::/64` }),
        tags: { Tier: i < 3 ? "shared" : "private" },
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
      const tagged = { Filters: [{ Name: "tag:Tier", Values: ["shared", "private"] }], MaxResults: 5 };
      const first = await ec2.send(new DescribeSubnetsCommand(tagged));
      const rest = await ec2.send(new DescribeSubnetsCommand({ ...tagged, NextToken: first.NextToken }));
      const doomed = first.Subnets?.[0]?.SubnetId;
      await ec2.send(new DeleteSubnetCommand({ SubnetId: doomed }));
      const after = await ec2.send(new DescribeSubnetsCommand({}));
      const missing = await errorCode(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [doomed ?? ""] })));
      return { results: strip([first, rest, after, missing]), calls: world.calls };
    } finally {
      restore();
    }
  }

  it("answers DescribeSubnets and DeleteSubnet as the model in place of send does", async () => {
    const viaSend = await answers("send");
    const viaHttp = await answers("http");
    expect(viaHttp.results).toEqual(viaSend.results);
    expect(viaHttp.calls).toEqual(viaSend.calls);
    // The comparison compares something: pages, IPv6 associations, tags and the error came through.
    const [first, rest, after, missing] = viaHttp.results as [
      { Subnets: unknown[]; NextToken: string },
      { Subnets: unknown[] },
      { Subnets: unknown[] },
      string,
    ];
    expect([first.Subnets.length, rest.Subnets.length, after.Subnets.length]).toEqual([5, 1, 5]);
    expect(first.Subnets[0]).toMatchObject({
      Ipv6CidrBlockAssociationSet: [
        { Ipv6CidrBlock: "fd00:10:0:0::/64", Ipv6CidrBlockState: { State: "associated" } },
      ],
      Tags: [{ Key: "Tier", Value: "shared" }],
    });
    expect(missing).toBe("InvalidSubnetID.NotFound");
  });
});

/** $metadata differs by transport (attempts, request ids); everything else must not. */
function strip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === "$metadata" ? undefined : v)));
}
