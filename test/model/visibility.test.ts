import {
  CreateTagsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { ACCEPTER, ec2In, errorCode, REQUESTER, useWorld } from "./fixtures";

describe("who sees a peering connection", () => {
  const ids = { sameRegion: "", interRegion: "" };
  const world = useWorld((w) => {
    const accepterVpc = w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
    const requesterVpc = w.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
    const farVpc = w.addVpc({ ownerId: REQUESTER, region: "eu-west-1", cidrs: ["10.40.0.0/16"] });
    ids.sameRegion = w.addPeering({ requesterVpcId: requesterVpc, accepterVpcId: accepterVpc });
    ids.interRegion = w.addPeering({ requesterVpcId: farVpc, accepterVpcId: accepterVpc });
  });

  const listed = async (account: string, region: string) => {
    const ec2 = await ec2In(account, region);
    const { VpcPeeringConnections = [] } = await ec2.send(new DescribeVpcPeeringConnectionsCommand({}));
    return VpcPeeringConnections.map((connection) => connection.VpcPeeringConnectionId);
  };

  it("shows each connection to both owners, each in its own side's region only", async () => {
    expect(await listed(ACCEPTER, "us-east-1")).toEqual([ids.sameRegion, ids.interRegion]);
    expect(await listed(REQUESTER, "us-east-1")).toEqual([ids.sameRegion]);
    expect(await listed(REQUESTER, "eu-west-1")).toEqual([ids.interRegion]);
    expect(await listed(ACCEPTER, "eu-west-1")).toEqual([]);
  });

  it("answers NotFound for an explicit id the caller cannot see", async () => {
    const ec2 = await ec2In(ACCEPTER, "eu-west-1");
    const call = ec2.send(
      new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [ids.interRegion] }),
    );
    expect(await errorCode(call)).toBe("InvalidVpcPeeringConnectionID.NotFound");
  });

  it("keeps deleted and rejected connections visible with their status", async () => {
    world().setPeeringStatus(ids.sameRegion, "deleted");
    world().setPeeringStatus(ids.interRegion, "rejected");
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const { VpcPeeringConnections = [] } = await ec2.send(new DescribeVpcPeeringConnectionsCommand({}));
    expect(VpcPeeringConnections.map((connection) => connection.Status?.Code)).toEqual([
      "deleted",
      "rejected",
    ]);
  });

  it("filters by status, owner, VPC and tag", async () => {
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const farVpc = world().peering(ids.interRegion).requester.vpcId;
    await ec2.send(
      new CreateTagsCommand({ Resources: [ids.interRegion], Tags: [{ Key: "decision", Value: "accept" }] }),
    );
    const query = async (name: string, values: string[]) => {
      const { VpcPeeringConnections = [] } = await ec2.send(
        new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: name, Values: values }] }),
      );
      return VpcPeeringConnections.map((connection) => connection.VpcPeeringConnectionId);
    };
    expect(await query("status-code", ["pending-acceptance"])).toEqual([ids.sameRegion, ids.interRegion]);
    expect(await query("status-code", ["active"])).toEqual([]);
    expect(await query("requester-vpc-info.owner-id", [REQUESTER])).toHaveLength(2);
    expect(await query("requester-vpc-info.vpc-id", [farVpc])).toEqual([ids.interRegion]);
    expect(await query("accepter-vpc-info.owner-id", [REQUESTER])).toEqual([]);
    expect(await query("vpc-peering-connection-id", [ids.sameRegion])).toEqual([ids.sameRegion]);
    expect(await query("tag:decision", ["acc*"])).toEqual([ids.interRegion]);
    expect(await query("tag-key", ["decision"])).toEqual([ids.interRegion]);
  });

  it("keeps tags per account: the requester does not see the accepter's tags", async () => {
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const requester = await ec2In(REQUESTER, "us-east-1");
    await accepter.send(
      new CreateTagsCommand({ Resources: [ids.sameRegion], Tags: [{ Key: "by", Value: "accepter" }] }),
    );
    const describe = new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [ids.sameRegion] });
    const seenByAccepter = await accepter.send(describe);
    const seenByRequester = await requester.send(describe);
    expect(seenByAccepter.VpcPeeringConnections?.[0]?.Tags).toEqual([{ Key: "by", Value: "accepter" }]);
    expect(seenByRequester.VpcPeeringConnections?.[0]?.Tags).toEqual([]);
  });

  it("fails loudly on a filter it does not model instead of ignoring it", async () => {
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const call = ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["false"] }] }));
    await expect(call).rejects.toThrow("does not implement filter 'is-default'");
  });
});
