import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { SimulatedCrash } from "../../model";
import { ACCEPTER, ec2In, errorCode, HOME, REQUESTER, useWorld } from "./fixtures";

const ids = { accepter: "", requester: "", accepterMain: "", accepterSpare: "", pcx: "" };
const world = useWorld((w) => {
  ids.accepter = w.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.0.0.0/16"] });
  ids.requester = w.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.20.0.0/16"] });
  ids.accepterMain = w.routeTablesOfVpc(ids.accepter)[0]?.id ?? "";
  ids.accepterSpare = w.addRouteTable({ vpcId: ids.accepter });
  ids.pcx = w.addPeering({ requesterVpcId: ids.requester, accepterVpcId: ids.accepter });
});

const describeAll = (ec2: EC2Client) => ec2.send(new DescribeVpcPeeringConnectionsCommand({}));
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error as Error & Record<string, unknown>,
  );
const route = (tableId: string, destination = "10.20.0.0/16") =>
  new CreateRouteCommand({
    RouteTableId: tableId,
    DestinationCidrBlock: destination,
    VpcPeeringConnectionId: ids.pcx,
  });

describe("injected failures", () => {
  it("fail a burst of consecutive matching calls, then let them through", async () => {
    world().failNext({ operation: "DescribeVpcPeeringConnections", error: "RequestLimitExceeded", times: 3 });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await errorCode(describeAll(ec2)).catch(() => "ok"));
    expect(codes).toEqual(["RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded", "ok"]);
    expect(world().faults.pending()).toEqual({ failures: 0, crashPoints: 0 });
  });

  it("last until cleared with times: Infinity", async () => {
    world().failNext({ operation: "DescribeVpcs", error: "ServiceUnavailable", times: Infinity });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    for (let i = 0; i < 5; i++) {
      expect(await errorCode(ec2.send(new DescribeVpcsCommand({})))).toBe("ServiceUnavailable");
    }
    world().clearFaults();
    await expect(ec2.send(new DescribeVpcsCommand({}))).resolves.toBeDefined();
  });

  it("match by account, region, service, any operation, and fields of the input", async () => {
    const w = world();
    w.failNext({
      operation: "*",
      service: "EC2",
      account: REQUESTER,
      region: "eu-west-1",
      error: "InternalError",
    });
    w.failNext({
      operation: "CreateRoute",
      input: { RouteTableId: ids.accepterSpare },
      error: "InternalError",
    });
    const accepter = await ec2In(ACCEPTER, "us-east-1");
    const requesterHere = await ec2In(REQUESTER, "us-east-1");
    const requesterFar = await ec2In(REQUESTER, "eu-west-1");

    await accepter.send(route(ids.accepterMain));
    await describeAll(requesterHere);
    expect(await errorCode(accepter.send(route(ids.accepterSpare)))).toBe("InternalError");
    expect(await errorCode(describeAll(requesterFar))).toBe("InternalError");
    expect(w.faults.pending().failures).toBe(0);
  });

  it("shape 5xx faults as server-side service exceptions", async () => {
    world().failNext({ operation: "DescribeRouteTables", error: "InternalError" });
    world().failNext({ operation: "DescribeRouteTables", error: "ServiceUnavailable" });
    world().failNext({
      operation: "DescribeRouteTables",
      error: "SlowDown",
      kind: "server",
      httpStatusCode: 503,
    });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const describe = () => failureOf(ec2.send(new DescribeRouteTablesCommand({})));

    const internal = await describe();
    expect(internal).toBeInstanceOf(EC2ServiceException);
    expect(internal).toMatchObject({
      name: "InternalError",
      $fault: "server",
      $metadata: { httpStatusCode: 500 },
    });
    expect(await describe()).toMatchObject({
      name: "ServiceUnavailable",
      $fault: "server",
      $metadata: { httpStatusCode: 503 },
    });
    expect(await describe()).toMatchObject({
      name: "SlowDown",
      $fault: "server",
      $metadata: { httpStatusCode: 503 },
    });
  });

  it("shape network faults as the HTTP handler's errors, not service exceptions", async () => {
    const w = world();
    for (const error of ["TimeoutError", "ECONNRESET", "ECONNREFUSED"])
      w.failNext({ operation: "DescribeVpcs", error });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const describe = () => failureOf(ec2.send(new DescribeVpcsCommand({})));

    const timeout = await describe();
    expect(timeout).not.toBeInstanceOf(EC2ServiceException);
    expect(timeout).toMatchObject({ name: "TimeoutError" });
    expect(timeout.$metadata).toBeUndefined();
    expect(timeout.$fault).toBeUndefined();
    // @smithy/node-http-handler renames ECONNRESET, EPIPE and ETIMEDOUT to TimeoutError and keeps the code.
    expect(await describe()).toMatchObject({ name: "TimeoutError", code: "ECONNRESET", syscall: "read" });
    expect(await describe()).toMatchObject({ name: "Error", code: "ECONNREFUSED" });
    expect(w.calls.filter((c) => c.operation === "DescribeVpcs").map((c) => c.error)).toEqual([
      "TimeoutError",
      "TimeoutError",
      "Error",
    ]);
  });

  it("can let the call take effect and lose its response", async () => {
    const w = world();
    w.failNext({ operation: "CreateRoute", error: "ECONNRESET", afterEffect: true });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");

    expect(await errorCode(ec2.send(route(ids.accepterMain)))).toBe("TimeoutError");
    expect(w.routeTable(ids.accepterMain).routes.map((r) => r.destination)).toEqual([
      "10.0.0.0/16",
      "10.20.0.0/16",
    ]);
    expect(await errorCode(ec2.send(route(ids.accepterMain)))).toBe("RouteAlreadyExists");
  });

  it("deny or fail AssumeRole into one account, matched by the role's account", async () => {
    const w = world();
    w.failNext({ operation: "AssumeRole", roleAccount: REQUESTER, error: "AccessDenied", times: Infinity });
    w.failNext({ operation: "AssumeRole", roleAccount: ACCEPTER, error: "ServiceUnavailable" });
    const sts = new STSClient({ region: "us-east-1" });
    const assume = (account: string) =>
      failureOf(
        sts.send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${account}:role/peering-autopilot-execution`,
            RoleSessionName: "test",
          }),
        ),
      );

    expect(await assume(REQUESTER)).toMatchObject({ name: "AccessDenied", $fault: "client" });
    const transient = await assume(ACCEPTER);
    expect(transient).toBeInstanceOf(STSServiceException);
    expect(transient).toMatchObject({ name: "ServiceUnavailable", $fault: "server" });
    await expect(ec2In(ACCEPTER, "us-east-1")).resolves.toBeInstanceOf(EC2Client);
    expect(await assume(REQUESTER)).toMatchObject({ name: "AccessDenied" });
    // The caller of AssumeRole is always the function's own identity.
    expect(new Set(w.calls.map((c) => c.account))).toEqual(new Set([HOME]));
  });
});

describe("a simulated crash", () => {
  it("lets the call take effect and be recorded, then kills every later call until recovery", async () => {
    const w = world();
    w.crashAfter({ operation: "AcceptVpcPeeringConnection", account: ACCEPTER });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");

    const crash = await failureOf(
      ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ids.pcx })),
    );

    expect(crash).toBeInstanceOf(SimulatedCrash);
    expect(crash).toMatchObject({ after: { operation: "AcceptVpcPeeringConnection", account: ACCEPTER } });
    expect(w.peering(ids.pcx).status.code).toBe("provisioning");
    expect(w.calls.at(-1)).toMatchObject({ operation: "AcceptVpcPeeringConnection", crashedAfter: true });
    expect(w.calls.at(-1)?.error).toBeUndefined();
    const recorded = w.calls.length;

    await expect(ec2.send(route(ids.accepterMain))).rejects.toBe(crash);
    await expect(describeAll(ec2)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(w.calls).toHaveLength(recorded);
    expect(w.routeTable(ids.accepterMain).routes).toHaveLength(1);

    w.recoverFromCrash();
    await ec2.send(route(ids.accepterMain));
    expect(w.crashed).toBeUndefined();
    expect(w.routeTable(ids.accepterMain).routes).toHaveLength(2);
  });

  it("fires after the times-th matching call, so a crash can fall between two calls of a kind", async () => {
    const w = world();
    w.crashAfter({ operation: "CreateRoute", account: ACCEPTER, times: 2 });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");

    await ec2.send(route(ids.accepterMain));
    await expect(ec2.send(route(ids.accepterSpare))).rejects.toBeInstanceOf(SimulatedCrash);
    await expect(ec2.send(route(ids.accepterMain, "10.21.0.0/16"))).rejects.toBeInstanceOf(SimulatedCrash);

    expect(w.routeTable(ids.accepterMain).routes.map((r) => r.destination)).toEqual([
      "10.0.0.0/16",
      "10.20.0.0/16",
    ]);
    expect(w.routeTable(ids.accepterSpare).routes.map((r) => r.destination)).toEqual([
      "10.0.0.0/16",
      "10.20.0.0/16",
    ]);
  });

  it("does not fire on a call that failed", async () => {
    const w = world();
    w.failNext({ operation: "CreateRoute", error: "InternalError" });
    w.crashAfter({ operation: "CreateRoute" });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");

    expect(await errorCode(ec2.send(route(ids.accepterMain)))).toBe("InternalError");
    expect(w.crashed).toBeUndefined();
    await expect(ec2.send(route(ids.accepterMain))).rejects.toBeInstanceOf(SimulatedCrash);
  });
});

describe("delays in the world's time", () => {
  it("hide a new connection until the clock passes hiddenForMs", async () => {
    const w = world();
    const late = w.addPeering({
      requesterVpcId: ids.requester,
      accepterVpcId: ids.accepter,
      hiddenForMs: 60_000,
    });
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    const listed = async () =>
      (await describeAll(ec2)).VpcPeeringConnections?.map((c) => c.VpcPeeringConnectionId);

    expect(await listed()).toEqual([ids.pcx]);
    w.advanceClock(59_000);
    expect(await listed()).toEqual([ids.pcx]);
    w.advanceClock(1_000);
    expect(await listed()).toEqual([ids.pcx, late]);
  });

  it("keep an accepted connection provisioning for activationDelayMs", async () => {
    const w = world();
    w.options.activationDelayMs = 90_000;
    const ec2 = await ec2In(ACCEPTER, "us-east-1");
    await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ids.pcx }));
    const status = async () => (await describeAll(ec2)).VpcPeeringConnections?.[0]?.Status?.Code;

    expect(await status()).toBe("provisioning");
    w.advanceClock(60_000);
    expect(await status()).toBe("provisioning");
    w.advanceClock(30_000);
    expect(await status()).toBe("active");
  });
});
