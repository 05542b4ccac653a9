import {
  AcceptVpcPeeringConnectionCommand,
  AssociateVpcCidrBlockCommand,
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeVpcPeeringConnectionsCommand,
  type EC2Client,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { ACCEPTER, ec2In, errorCode, REQUESTER, useWorld } from "./fixtures";

const vpcs = { accepter: "", requester: "", far: "", overlapping: "" };
const world = useWorld((w) => {
  vpcs.accepter = w.addVpc({
    ownerId: ACCEPTER,
    region: "us-east-1",
    cidrs: ["10.0.0.0/16"],
    ipv6Cidrs: ["2600:1f18:1::/56"],
  });
  vpcs.requester = w.addVpc({
    ownerId: REQUESTER,
    region: "us-east-1",
    cidrs: ["10.20.0.0/16", "100.64.8.0/22"],
  });
  vpcs.far = w.addVpc({ ownerId: REQUESTER, region: "eu-west-1", cidrs: ["10.40.0.0/16"] });
  vpcs.overlapping = w.addVpc({
    ownerId: REQUESTER,
    region: "us-east-1",
    cidrs: ["172.16.0.0/16"],
    ipv6Cidrs: ["2600:1f18:1:80::/64"],
  });
});

async function request(requester: EC2Client, vpcId: string, peerRegion?: string): Promise<string> {
  const { VpcPeeringConnection } = await requester.send(
    new CreateVpcPeeringConnectionCommand({
      VpcId: vpcId,
      PeerVpcId: vpcs.accepter,
      PeerOwnerId: ACCEPTER,
      PeerRegion: peerRegion,
    }),
  );
  return VpcPeeringConnection?.VpcPeeringConnectionId ?? "";
}

async function describeOne(ec2: EC2Client, id: string) {
  const { VpcPeeringConnections } = await ec2.send(
    new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }),
  );
  return VpcPeeringConnections?.[0];
}

describe("CreateVpcPeeringConnection", () => {
  it("answers initiating-request and leaves the request pending, with the requester's CIDRs", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const { VpcPeeringConnection } = await requester.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: vpcs.requester,
        PeerVpcId: vpcs.accepter,
        PeerOwnerId: ACCEPTER,
      }),
    );
    expect(VpcPeeringConnection?.Status?.Code).toBe("initiating-request");
    const described = await describeOne(requester, VpcPeeringConnection?.VpcPeeringConnectionId ?? "");
    expect(described?.Status).toEqual({
      Code: "pending-acceptance",
      Message: `Pending Acceptance by ${ACCEPTER}`,
    });
    expect(described?.RequesterVpcInfo?.CidrBlockSet).toEqual([
      { CidrBlock: "10.20.0.0/16" },
      { CidrBlock: "100.64.8.0/22" },
    ]);
    expect(described?.AccepterVpcInfo?.CidrBlock).toBeUndefined();
  });

  it("fails the connection (not the call) when any IPv6 CIDR overlaps", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const id = await request(requester, vpcs.overlapping);
    expect(world().peering(id).status.code).toBe("failed");
  });

  it("rejects an unknown VPC", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    expect(await errorCode(request(requester, "vpc-0ffffffffffffffff"))).toBe("InvalidVpcID.NotFound");
  });

  it("hides a new connection from the first describes when visibilityDelay is set", async () => {
    world().options.visibilityDelay = 2;
    const requester = await ec2In(REQUESTER, "us-east-1");
    const id = await request(requester, vpcs.requester);
    expect(await errorCode(describeOne(requester, id))).toBe("InvalidVpcPeeringConnectionID.NotFound");
    expect(await errorCode(describeOne(requester, id))).toBe("InvalidVpcPeeringConnectionID.NotFound");
    expect((await describeOne(requester, id))?.VpcPeeringConnectionId).toBe(id);
  });
});

describe("AcceptVpcPeeringConnection", () => {
  it("is refused outside the accepter VPC's region, naming that region", async () => {
    const farRequester = await ec2In(REQUESTER, "eu-west-1");
    const id = await request(farRequester, vpcs.far, "us-east-1");
    const accepterInWrongRegion = await ec2In(ACCEPTER, "eu-west-1");
    const call = accepterInWrongRegion.send(
      new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }),
    );
    await expect(call).rejects.toMatchObject({
      name: "OperationNotPermitted",
      message: expect.stringContaining("must be accepted in region us-east-1"),
    });
    expect(world().peering(id).status.code).toBe("pending-acceptance");
  });

  it("is refused to the requester", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const id = await request(requester, vpcs.requester);
    const call = requester.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(await errorCode(call)).toBe("OperationNotPermitted");
  });

  it("answers provisioning, then active on the next describe; blackhole routes come alive", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const id = await request(requester, vpcs.requester);
    const [table] = world().routeTablesOfVpc(vpcs.requester);
    await requester.send(
      new CreateRouteCommand({
        RouteTableId: table?.id,
        DestinationCidrBlock: "10.0.0.0/16",
        VpcPeeringConnectionId: id,
      }),
    );
    expect(table?.routes.at(-1)?.state).toBe("blackhole");

    const { VpcPeeringConnection } = await accepter.send(
      new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }),
    );
    expect(VpcPeeringConnection?.Status?.Code).toBe("provisioning");
    expect(VpcPeeringConnection?.AccepterVpcInfo?.CidrBlock).toBe("10.0.0.0/16");
    expect((await describeOne(accepter, id))?.Status?.Code).toBe("active");
    expect(table?.routes.at(-1)?.state).toBe("active");
  });

  it("stays provisioning for describesUntilActive describes", async () => {
    world().options.describesUntilActive = 2;
    const requester = await ec2In(REQUESTER, "us-east-1");
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const id = await request(requester, vpcs.requester);
    await accepter.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await describeOne(accepter, id))?.Status?.Code);
    expect(codes).toEqual(["provisioning", "provisioning", "active"]);
  });

  it("refuses a second acceptance", async () => {
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const id = world().addPeering({
      requesterVpcId: vpcs.requester,
      accepterVpcId: vpcs.accepter,
      status: "active",
    });
    const call = accepter.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(await errorCode(call)).toBe("InvalidStateTransition");
  });
});

describe("Reject and Delete", () => {
  it("lets the accepter reject a pending request", async () => {
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const id = world().addPeering({ requesterVpcId: vpcs.requester, accepterVpcId: vpcs.accepter });
    const answer = await accepter.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(answer.Return).toBe(true);
    expect(world().peering(id).status.code).toBe("rejected");
  });

  it("turns every route to a deleted connection into a blackhole, on both sides", async () => {
    const w = world();
    const id = w.addPeering({
      requesterVpcId: vpcs.requester,
      accepterVpcId: vpcs.accepter,
      status: "active",
    });
    const accepterTable = w.addRouteTable({
      vpcId: vpcs.accepter,
      routes: [{ destination: "10.20.0.0/16", target: { vpcPeeringConnectionId: id } }],
    });
    const requesterTable = w.addRouteTable({
      vpcId: vpcs.requester,
      routes: [{ destination: "10.0.0.0/16", target: { vpcPeeringConnectionId: id } }],
    });
    expect(w.routeTable(accepterTable).routes.at(-1)?.state).toBe("active");

    const requester = await ec2In(REQUESTER, "us-east-1");
    await requester.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(w.peering(id).status.code).toBe("deleted");
    expect(w.routeTable(accepterTable).routes.at(-1)?.state).toBe("blackhole");
    expect(w.routeTable(requesterTable).routes.at(-1)?.state).toBe("blackhole");
  });
});

describe("a connection's view over time", () => {
  it("shows an active connection's current CIDRs after the requester adds one", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const id = world().addPeering({
      requesterVpcId: vpcs.requester,
      accepterVpcId: vpcs.accepter,
      status: "active",
    });
    await requester.send(
      new AssociateVpcCidrBlockCommand({ VpcId: vpcs.requester, CidrBlock: "10.21.0.0/16" }),
    );
    const cidrs = (await describeOne(requester, id))?.RequesterVpcInfo?.CidrBlockSet?.map(
      (set) => set.CidrBlock,
    );
    expect(cidrs).toEqual(["10.20.0.0/16", "100.64.8.0/22", "10.21.0.0/16"]);
    expect(
      world()
        .routeTablesOfVpc(vpcs.requester)[0]
        ?.routes.map((route) => route.destination),
    ).toContain("10.21.0.0/16");
  });

  it("shows only the requester's primary CIDR with omitCidrBlockSet", async () => {
    world().options.omitCidrBlockSet = true;
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const id = world().addPeering({ requesterVpcId: vpcs.requester, accepterVpcId: vpcs.accepter });
    const info = (await describeOne(accepter, id))?.RequesterVpcInfo;
    expect(info?.CidrBlock).toBe("10.20.0.0/16");
    expect(info?.CidrBlockSet).toBeUndefined();
  });

  it("sets DNS resolution only on an active connection, each side by its owner", async () => {
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const pending = world().addPeering({ requesterVpcId: vpcs.requester, accepterVpcId: vpcs.accepter });
    const dns = { AllowDnsResolutionFromRemoteVpc: true };
    const early = accepter.send(
      new ModifyVpcPeeringConnectionOptionsCommand({
        VpcPeeringConnectionId: pending,
        AccepterPeeringConnectionOptions: dns,
      }),
    );
    expect(await errorCode(early)).toBe("OperationNotPermitted");

    world().setPeeringStatus(pending, "active");
    const otherSide = accepter.send(
      new ModifyVpcPeeringConnectionOptionsCommand({
        VpcPeeringConnectionId: pending,
        RequesterPeeringConnectionOptions: dns,
      }),
    );
    expect(await errorCode(otherSide)).toBe("OperationNotPermitted");

    await accepter.send(
      new ModifyVpcPeeringConnectionOptionsCommand({
        VpcPeeringConnectionId: pending,
        AccepterPeeringConnectionOptions: dns,
      }),
    );
    const described = await describeOne(accepter, pending);
    expect(described?.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc).toBe(true);
    expect(described?.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc).toBe(false);
  });
});
