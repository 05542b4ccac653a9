import {
  CreateRouteCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import { ACCEPTER, ec2In, errorCode, REQUESTER, useWorld } from "./fixtures";

const ids = { vpc: "", otherVpc: "", table: "", peering: "", unrelatedPeering: "" };
const world = useWorld((w) => {
  ids.vpc = w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
  ids.otherVpc = w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.1.0.0/16"] });
  const requesterVpc = w.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
  ids.table = w.addRouteTable({ vpcId: ids.vpc, tags: { Name: "private" }, subnetIds: ["subnet-0a"] });
  ids.peering = w.addPeering({ requesterVpcId: requesterVpc, accepterVpcId: ids.vpc, status: "active" });
  ids.unrelatedPeering = w.addPeering({
    requesterVpcId: requesterVpc,
    accepterVpcId: ids.otherVpc,
    status: "active",
  });
});

let ec2: EC2Client;
beforeEach(async () => {
  ec2 = await ec2In(ACCEPTER, "us-east-1");
});

const routeTo = (destination: string, target: { VpcPeeringConnectionId?: string; GatewayId?: string } = {}) =>
  ec2.send(new CreateRouteCommand({ RouteTableId: ids.table, DestinationCidrBlock: destination, ...target }));

describe("CreateRoute", () => {
  it("adds an active route to an active connection", async () => {
    expect((await routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.peering })).Return).toBe(true);
    expect(world().routeTable(ids.table).routes).toContainEqual({
      destination: "10.20.0.0/16",
      target: { vpcPeeringConnectionId: ids.peering },
      state: "active",
      origin: "CreateRoute",
    });
  });

  it("refuses a destination that is already routed", async () => {
    await routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.peering });
    const again = routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.peering });
    expect(await errorCode(again)).toBe("RouteAlreadyExists");
    expect(await errorCode(routeTo("10.0.0.0/16", { GatewayId: "igw-01" }))).toBe("RouteAlreadyExists");
  });

  it("refuses the 51st non-local route", async () => {
    for (let i = 0; i < 50; i++) await routeTo(`192.168.${i}.0/24`, { GatewayId: "igw-01" });
    expect(await errorCode(routeTo("192.168.200.0/24", { GatewayId: "igw-01" }))).toBe("RouteLimitExceeded");
    expect(world().routeTable(ids.table).routes).toHaveLength(51);
  });

  it("refuses a connection that does not involve the table's VPC", async () => {
    const call = routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.unrelatedPeering });
    expect(await errorCode(call)).toBe("InvalidVpcPeeringConnectionID.NotFound");
  });

  it("refuses a route table of another account", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const call = requester.send(
      new CreateRouteCommand({
        RouteTableId: ids.table,
        DestinationCidrBlock: "10.9.0.0/16",
        GatewayId: "igw-01",
      }),
    );
    expect(await errorCode(call)).toBe("InvalidRouteTableID.NotFound");
  });
});

describe("DeleteRoute", () => {
  it("removes a route, and answers InvalidRoute.NotFound once it is gone", async () => {
    await routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.peering });
    const remove = () =>
      ec2.send(new DeleteRouteCommand({ RouteTableId: ids.table, DestinationCidrBlock: "10.20.0.0/16" }));
    await remove();
    expect(
      world()
        .routeTable(ids.table)
        .routes.map((route) => route.destination),
    ).toEqual(["10.0.0.0/16"]);
    expect(await errorCode(remove())).toBe("InvalidRoute.NotFound");
  });
});

describe("DescribeRouteTables", () => {
  it("describes routes in SDK shape and filters by VPC, main association, tag and peering", async () => {
    await routeTo("10.20.0.0/16", { VpcPeeringConnectionId: ids.peering });
    const query = async (name: string, values: string[]) => {
      const { RouteTables = [] } = await ec2.send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: name, Values: values }] }),
      );
      return RouteTables;
    };
    const [main] = world().routeTablesOfVpc(ids.vpc);
    expect((await query("vpc-id", [ids.vpc])).map((table) => table.RouteTableId)).toEqual([
      main?.id,
      ids.table,
    ]);
    expect((await query("association.main", ["true"])).map((table) => table.VpcId)).toEqual([
      ids.vpc,
      ids.otherVpc,
    ]);
    expect((await query("tag:Name", ["private"])).map((table) => table.RouteTableId)).toEqual([ids.table]);
    const [viaPeering] = await query("route.vpc-peering-connection-id", [ids.peering]);
    expect(viaPeering?.Routes).toEqual([
      {
        DestinationCidrBlock: "10.0.0.0/16",
        GatewayId: "local",
        State: "active",
        Origin: "CreateRouteTable",
      },
      {
        DestinationCidrBlock: "10.20.0.0/16",
        VpcPeeringConnectionId: ids.peering,
        State: "active",
        Origin: "CreateRoute",
      },
    ]);
    expect(viaPeering?.Associations).toMatchObject([{ Main: false, SubnetId: "subnet-0a" }]);
  });

  it("does not show another account's tables", async () => {
    const requester = await ec2In(REQUESTER, "us-east-1");
    const call = requester.send(new DescribeRouteTablesCommand({ RouteTableIds: [ids.table] }));
    expect(await errorCode(call)).toBe("InvalidRouteTableID.NotFound");
  });
});
