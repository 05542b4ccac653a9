import {
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { installModel, ModelRequestHandler, World } from "../../model";
import { ACCEPTER, errorCode, REQUESTER } from "./fixtures";

/*
 * The model below the SDK (ModelRequestHandler) must answer as the model in place of `send` does: the
 * same outputs after the SDK's own serializer and XML parser, the same errors, the caller read from the
 * signature, and a lost answer retried by the SDK.
 */

function build() {
  // A fixed clock: the two runs must show the same timestamps.
  const world = new World({ homeAccount: ACCEPTER, clock: () => new Date("2026-11-20T09:14:03.250Z") });
  world.addAccount(REQUESTER);
  const accepter = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
  const requester = world.addVpc({
    ownerId: REQUESTER,
    region: "us-east-1",
    cidrs: ["10.20.0.0/16", "10.21.0.0/16"],
    ipv6Cidrs: ["fd00:20::/56"],
  });
  world.addRouteTable({
    vpcId: accepter,
    tags: { tier: "private" },
    routes: [{ destination: "0.0.0.0/0", target: { natGatewayId: "nat-0aaaabbbbccccdddd" } }],
  });
  const pcx = world.addPeering({ requesterVpcId: requester, accepterVpcId: accepter });
  return { world, accepter, pcx };
}

const REQUESTER_ROLE = `arn:aws:iam::${REQUESTER}:role/peering-autopilot-execution`;

/** What a sequence of calls answers (ids and request ids aside), through `send` or through HTTP. */
async function answers(through: "send" | "http") {
  const { world, accepter, pcx } = build();
  const restore = through === "send" ? installModel(world).restore : () => {};
  const handler = through === "http" ? { requestHandler: new ModelRequestHandler(world) } : {};
  try {
    const sts = new STSClient({ region: "us-east-1", ...handler });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: REQUESTER_ROLE, RoleSessionName: "t" }),
    );
    const credentials = {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    };
    const requesterSts = new STSClient({ region: "us-east-1", credentials, ...handler });
    const ec2 = new EC2Client({ region: "us-east-1", ...handler });
    const results = [
      Credentials?.Expiration,
      await requesterSts.send(new GetCallerIdentityCommand({})),
      await ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] })),
      await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "vpc-id", Values: [accepter] }] })),
      await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [accepter] }] })),
      await errorCode(
        ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ["pcx-1"] })),
      ),
      await errorCode(
        new STSClient({ region: "us-east-1", credentials, ...handler }).send(
          new AssumeRoleCommand({ RoleArn: REQUESTER_ROLE, RoleSessionName: "chained" }),
        ),
      ),
    ];
    return { results: strip(results), calls: world.calls };
  } finally {
    restore();
  }
}

/** $metadata differs by transport (attempts, request ids); everything else must not. */
function strip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === "$metadata" ? undefined : v)));
}

describe("the model as the SDK's HTTP handler", () => {
  it("answers as the model in place of send does: outputs, errors, callers", async () => {
    const viaSend = await answers("send");
    const viaHttp = await answers("http");

    expect(viaHttp.results).toEqual(viaSend.results);
    expect(viaHttp.calls).toEqual(viaSend.calls);
    // Spot checks that the comparison compares something.
    expect(viaHttp.results).toContainEqual(expect.objectContaining({ Account: REQUESTER }));
    expect(viaHttp.results).toContain("InvalidVpcPeeringConnectionID.NotFound");
    expect(viaHttp.results).toContain("AccessDenied");
  });

  it("a lost answer is re-sent by the SDK's retry strategy, and the re-send meets what the first did", async () => {
    const { world, accepter, pcx } = build();
    const table = world.routeTablesOfVpc(accepter)[0]?.id ?? "";
    world.failNext({ operation: "CreateRoute", error: "ECONNRESET", afterEffect: true });
    const ec2 = new EC2Client({ region: "us-east-1", requestHandler: new ModelRequestHandler(world) });

    const code = await errorCode(
      ec2.send(
        new CreateRouteCommand({
          RouteTableId: table,
          DestinationCidrBlock: "10.20.0.0/16",
          VpcPeeringConnectionId: pcx,
        }),
      ),
    );

    expect(code).toBe("RouteAlreadyExists");
    expect(world.calls.map((c) => `${c.operation} ${c.error}`)).toEqual([
      "CreateRoute TimeoutError",
      "CreateRoute RouteAlreadyExists",
    ]);
  });
});
