import {
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  type DescribeVpcsCommandOutput,
  EC2Client,
  paginateDescribeRouteTables,
} from "@aws-sdk/client-ec2";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PACING } from "../../shared/aws/pacing/request-pacer";
import { PacedEC2Client } from "../../shared/aws/sessions/paced-ec2-client";
import { AwsSessions, EC2_CONNECTIONS } from "../../shared/aws/sessions/sessions";
import { ManualClock, settle } from "./manual-clock";

const HOME = "111111111111";
const REGION = "us-east-1";
const VPCS = { Vpcs: [{ VpcId: "vpc-0f9e8d7c6b5a40001" }] };

describe("PacedEC2Client", () => {
  let ec2Mock: AwsClientStub<EC2Client>;
  let clock: ManualClock;
  let sessions: AwsSessions;
  let ec2: EC2Client;

  beforeEach(() => {
    // The mock replaces EC2Client.prototype.send, which the paced client's `super.send` reaches.
    ec2Mock = mockClient(EC2Client);
    ec2Mock.on(DescribeVpcsCommand).resolves(VPCS);
    clock = new ManualClock();
    sessions = new AwsSessions({
      homeAccount: HOME,
      roleName: "peering-autopilot-execution",
      allowedAccounts: new Set([HOME]),
      stsRegion: REGION,
      pacing: { ...DEFAULT_PACING, clock },
    });
    ec2 = sessions.ec2(HOME, REGION);
  });
  afterEach(() => ec2Mock.restore());

  it("is what AwsSessions hands out, once per account and region", () => {
    expect(ec2).toBeInstanceOf(PacedEC2Client);
    expect(ec2).toBeInstanceOf(EC2Client);
    expect(sessions.ec2(HOME, REGION)).toBe(ec2);
  });

  it("passes every call through to EC2, holding the 101st Describe until the bucket refills", async () => {
    const calls = Array.from({ length: 101 }, () => ec2.send(new DescribeVpcsCommand({})));
    await settle();
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(100);
    await clock.advance(49);
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(100);
    await clock.advance(1);
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(101);
    const outputs: DescribeVpcsCommandOutput[] = await Promise.all(calls);
    expect(outputs.every((output) => output.Vpcs?.[0]?.VpcId === VPCS.Vpcs[0]?.VpcId)).toBe(true);
  });

  it("passes EC2's errors through, and frees the call's slot", async () => {
    ec2Mock
      .on(DescribeVpcsCommand)
      .rejects(Object.assign(new Error("denied"), { name: "UnauthorizedOperation" }));
    const failures = Array.from({ length: 20 }, () => ec2.send(new DescribeVpcsCommand({})));
    for (const failure of failures) await expect(failure).rejects.toThrow("denied");
    // More calls than slots (16) all settled: each failure gave its slot back.
    expect(ec2Mock.commandCalls(DescribeVpcsCommand)).toHaveLength(20);
  });

  it("paces the pages of the SDK's paginators", async () => {
    ec2Mock
      .on(DescribeRouteTablesCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken
          ? { RouteTables: [{ RouteTableId: "rtb-2" }] }
          : { RouteTables: [{ RouteTableId: "rtb-1" }], NextToken: "page-2" },
      );
    // 99 calls leave one token: the first page goes at once, the second waits for the refill.
    const earlier = Array.from({ length: 99 }, () => ec2.send(new DescribeRouteTablesCommand({})));
    const read = (async () => {
      const ids: string[] = [];
      for await (const page of paginateDescribeRouteTables({ client: ec2 }, {})) {
        ids.push(...(page.RouteTables ?? []).map((table) => table.RouteTableId ?? ""));
      }
      return ids;
    })();
    await settle();
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand)).toHaveLength(100);
    await clock.advance(50);
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand)).toHaveLength(101);
    expect(await read).toEqual(["rtb-1", "rtb-2"]);
    await Promise.all(earlier);
  });

  it("offers the type checker only the promise form of send", () => {
    const paced = ec2 as PacedEC2Client;
    const callbackForm = () =>
      // @ts-expect-error: a call answered through a callback could not hold its slot until it settles.
      paced.send(new DescribeVpcsCommand({}), () => {});
    expect(callbackForm).toBeTypeOf("function");
  });

  it("shares one capped connection pool among the clients of every account and region", async () => {
    const other = sessions.ec2("222222222222", "eu-west-1");
    // The SDK resolves its handler's options lazily; what it resolves to is the pool every client uses.
    const poolOf = async (client: EC2Client) =>
      (
        await (
          client.config.requestHandler as unknown as { configProvider: Promise<{ httpsAgent: unknown }> }
        ).configProvider
      )?.httpsAgent;
    expect(await poolOf(ec2)).toBe(EC2_CONNECTIONS);
    expect(await poolOf(other)).toBe(EC2_CONNECTIONS);
    expect(EC2_CONNECTIONS.maxTotalSockets).toBe(256);
  });
});
