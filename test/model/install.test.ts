import {
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeInstancesCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeVpcPeeringConnections,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { ACCEPTER, ec2In, errorCode, HOME, REQUESTER, useWorld } from "./fixtures";

const vpcs = { accepter: "", requester: "" };
const world = useWorld((w) => {
  vpcs.accepter = w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
  vpcs.requester = w.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
});

describe("the installed model", () => {
  it("fails loudly on a command it does not model", async () => {
    const ec2 = new EC2Client({ region: "us-east-1" });
    await expect(ec2.send(new DescribeInstancesCommand({}))).rejects.toThrow(
      "does not implement DescribeInstancesCommand",
    );
  });

  it("pages through the SDK's paginator", async () => {
    for (let i = 0; i < 12; i++)
      world().addPeering({ requesterVpcId: vpcs.requester, accepterVpcId: vpcs.accepter });
    const client = await ec2In(ACCEPTER, "us-east-1");
    const pages = [];
    for await (const page of paginateDescribeVpcPeeringConnections({ client, pageSize: 5 }, {})) {
      pages.push(page.VpcPeeringConnections?.length);
    }
    expect(pages).toEqual([5, 5, 2]);
    expect(await errorCode(client.send(new DescribeVpcPeeringConnectionsCommand({ MaxResults: 1 })))).toBe(
      "InvalidParameterValue",
    );
  });

  it("logs every call, failed ones with their code, and tells mutating calls apart", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    await requester.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: vpcs.requester,
        PeerVpcId: vpcs.accepter,
        PeerOwnerId: ACCEPTER,
      }),
    );
    await errorCode(
      requester.send(
        new CreateRouteCommand({
          RouteTableId: "rtb-0nope",
          DestinationCidrBlock: "10.0.0.0/16",
          GatewayId: "igw-1",
        }),
      ),
    );
    await requester.send(new DescribeVpcPeeringConnectionsCommand({}));
    expect(
      world().calls.map(({ service, operation, account, error }) => ({ service, operation, account, error })),
    ).toEqual([
      { service: "STS", operation: "AssumeRole", account: HOME, error: undefined },
      { service: "EC2", operation: "CreateVpcPeeringConnection", account: REQUESTER, error: undefined },
      { service: "EC2", operation: "CreateRoute", account: REQUESTER, error: "InvalidRouteTableID.NotFound" },
      { service: "EC2", operation: "DescribeVpcPeeringConnections", account: REQUESTER, error: undefined },
    ]);
    expect(
      world()
        .mutatingCalls()
        .map((call) => call.operation),
    ).toEqual(["CreateVpcPeeringConnection", "CreateRoute"]);
  });

  it("injects faults as service errors before touching state", async () => {
    world().failNext({
      operation: "CreateVpcPeeringConnection",
      account: REQUESTER,
      error: "RequestLimitExceeded",
      times: 2,
    });
    const requester = await ec2In(REQUESTER, "us-east-1");
    const create = () =>
      requester.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: vpcs.requester,
          PeerVpcId: vpcs.accepter,
          PeerOwnerId: ACCEPTER,
        }),
      );
    const failure = await create().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EC2ServiceException);
    expect(failure).toMatchObject({ name: "RequestLimitExceeded", $fault: "client" });
    expect(await errorCode(create())).toBe("RequestLimitExceeded");
    expect(world().peerings.size).toBe(0);
    await create();
    expect(world().peerings.size).toBe(1);
  });

  it("tells concurrent calls from different clients apart", async () => {
    const [accepter, requester] = await Promise.all([
      ec2In(ACCEPTER, "us-east-1"),
      ec2In(REQUESTER, "us-east-1"),
    ]);
    world().addPeering({ requesterVpcId: vpcs.requester, accepterVpcId: vpcs.accepter });
    const describeAll = new DescribeVpcPeeringConnectionsCommand({});
    await Promise.all([accepter.send(describeAll), requester.send(describeAll), accepter.send(describeAll)]);
    const describes = world().calls.filter((call) => call.operation === "DescribeVpcPeeringConnections");
    expect(describes.map((call) => call.account).sort()).toEqual([ACCEPTER, ACCEPTER, REQUESTER]);
  });
});
