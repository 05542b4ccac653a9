import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { ACCEPTER, ec2In, errorCode, HOME, REQUESTER, useWorld } from "./fixtures";

const PARTNER = "333333333333";
const STRICT = "444444444444";
const NOW = new Date("2026-11-20T09:00:00Z");

describe("STS and the caller's account", () => {
  const world = useWorld((w) => {
    w.clock = () => NOW;
    w.addAccount(PARTNER, { role: false });
    w.addAccount(STRICT, { role: { name: "peering-autopilot-execution", externalId: "s3cret" } });
    w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", vpcId: "vpc-0accepter", cidrs: ["10.0.0.0/16"] });
    w.addVpc({ ownerId: HOME, region: "us-east-1", vpcId: "vpc-0home", cidrs: ["10.9.0.0/16"] });
  });
  const sts = () => new STSClient({ region: "us-east-1" });
  const assume = (account: string, externalId?: string) =>
    sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/peering-autopilot-execution`,
        RoleSessionName: "peering-autopilot",
        ExternalId: externalId,
      }),
    );

  it("issues one-hour credentials for the execution role", async () => {
    const { Credentials, AssumedRoleUser } = await assume(ACCEPTER);
    expect(Credentials?.Expiration).toEqual(new Date("2026-11-20T10:00:00Z"));
    expect(AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCEPTER}:assumed-role/peering-autopilot-execution/peering-autopilot`,
    );
  });

  it("denies an account without the role, an unknown account and an unknown role name", async () => {
    expect(await errorCode(assume(PARTNER))).toBe("AccessDenied");
    expect(await errorCode(assume("555555555555"))).toBe("AccessDenied");
    const wrongName = sts().send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCEPTER}:role/admin`, RoleSessionName: "x" }),
    );
    expect(await errorCode(wrongName)).toBe("AccessDenied");
  });

  it("requires the external id where the role asks for one", async () => {
    expect(await errorCode(assume(STRICT))).toBe("AccessDenied");
    expect(await errorCode(assume(STRICT, "guess"))).toBe("AccessDenied");
    expect((await assume(STRICT, "s3cret")).Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it("infers the account from the client's credentials and the region from its config", async () => {
    const own = new EC2Client({ region: "us-east-1" });
    const assumed = await ec2In(ACCEPTER, "us-east-1");
    const elsewhere = await ec2In(ACCEPTER, "eu-west-1");
    const vpcIds = async (client: EC2Client) =>
      ((await client.send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((vpc) => vpc.VpcId);
    expect(await vpcIds(own)).toEqual(["vpc-0home"]);
    expect(await vpcIds(assumed)).toEqual(["vpc-0accepter"]);
    expect(await vpcIds(elsewhere)).toEqual([]);
    expect(
      world()
        .calls.filter((call) => call.operation === "DescribeVpcs")
        .map((call) => call.account),
    ).toEqual([HOME, ACCEPTER, ACCEPTER]);
  });

  it("answers GetCallerIdentity with the account behind the credentials", async () => {
    const { Credentials } = await assume(REQUESTER);
    const asRequester = new STSClient({
      region: "us-east-1",
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? "",
        secretAccessKey: Credentials?.SecretAccessKey ?? "",
        sessionToken: Credentials?.SessionToken ?? "",
      },
    });
    expect((await asRequester.send(new GetCallerIdentityCommand({}))).Account).toBe(REQUESTER);
    expect((await sts().send(new GetCallerIdentityCommand({}))).Account).toBe(HOME);
    // The roles trust only the function's own role: no chaining from an assumed session.
    const chained = asRequester.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${ACCEPTER}:role/peering-autopilot-execution`,
        RoleSessionName: "x",
      }),
    );
    expect(await errorCode(chained)).toBe("AccessDenied");
  });

  it("refuses calls made with expired credentials", async () => {
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    world().clock = () => new Date(NOW.getTime() + 61 * 60 * 1000);
    expect(await errorCode(ec2.send(new DescribeVpcsCommand({})))).toBe("RequestExpired");
  });
});
