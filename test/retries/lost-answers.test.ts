import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelRequestHandler, World } from "../../model";
import { AuditPublisher } from "../../shared/aws/publish/audit-publisher";
import { AwsSessions } from "../../shared/aws/sessions/sessions";
import { loadConfig } from "../../shared/config";
import { logger } from "../../shared/log";
import { loadPolicy } from "../../shared/policy/load-policy";
import { accountsNamed } from "../../shared/policy/match-rule";
import {
  type HandleResult,
  handleConnection,
  type WorkflowContext,
} from "../../shared/workflow/handle-connection";
import { reportResults } from "../../shared/workflow/report-results";
import { ACCEPTER, PARTNER, REQUESTER, routesOf } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";

/*
 * Lost answers, with the SDK's own retries. These tests run the model *below* the SDK: the service's own
 * clients (AwsSessions, built as serviceRuntime builds them, with clientDefaults: adaptive retries, 5
 * attempts; the request pacer) get ModelRequestHandler as their HTTP handler, and nothing replaces `send`
 * (aws-sdk-client-mock is not installed here). So what runs is the whole client stack: the Query-protocol
 * serializer, endpoint resolution, the retry middleware with its adaptive strategy and its real backoff
 * delays, SigV4 signing (the model reads the caller from the signature's credential scope), the XML
 * deserializer and its error classification; and STS AssumeRole behind the credentials of other accounts.
 * What does not run: Node's HTTP handler, sockets, TLS and DNS (the handler answers in their place, and a
 * network fault rejects as Node's handler would), and EventBridge (no bus is configured).
 *
 * A lost answer is a fault with `afterEffect`: the model applies the call, then the HTTP handler fails
 * with ECONNRESET, which the SDK's retry strategy classifies as transient and re-sends.
 */

const REGION = "us-east-1";
const POLICY = loadPolicy("policy.yml");

function setUp(options: { requesterRole?: false } = {}) {
  const world = new World({ homeAccount: ACCEPTER });
  world.addAccount(ACCEPTER).addAccount(PARTNER);
  world.addAccount(REQUESTER, options.requesterRole === false ? { role: false } : {});
  const ids = sharedServices(world);
  const outside = world.addVpc({ ownerId: REQUESTER, region: REGION, cidrs: ["192.168.0.0/16"] });
  const config = loadConfig({
    AWS_REGION: REGION,
    VISIBLE_WAIT_SECONDS: "2",
    ACTIVE_WAIT_SECONDS: "2",
    WAIT_MIN_DELAY_SECONDS: "0.01",
  });
  const sessions = new AwsSessions({
    homeAccount: ACCEPTER,
    roleName: config.roleName,
    allowedAccounts: accountsNamed(POLICY),
    stsRegion: config.region,
    pacing: config.pacing,
    requestHandler: new ModelRequestHandler(world),
  });
  const ctx: WorkflowContext = { policy: POLICY, sessions, waits: config.waits, now: () => new Date() };
  /** One invocation for the connection, as a handler runs it: the flow, then the log and the outcome. */
  const invoke = async (connectionId: string) => {
    const result = await handleConnection({ connectionId, account: ACCEPTER, region: REGION }, ctx);
    const reported = reportResults([result], new AuditPublisher(undefined), {
      onlyChanges: false,
      rethrow: true,
    });
    return {
      result,
      reported: await reported.then(
        () => "succeeded",
        (error: Error) => error,
      ),
    };
  };
  const calls = (operation: string) =>
    world.calls.filter((call) => call.operation === operation).map((call) => call.error ?? "ok");
  return { world, ids: { ...ids, outside }, invoke, calls };
}

function decided(result: HandleResult) {
  if (result.kind !== "decided") throw new Error(`expected a decision, got ${JSON.stringify(result)}`);
  return result.record;
}

const lostAnswer = (operation: string, extra: object = {}) => ({
  operation,
  error: "ECONNRESET",
  afterEffect: true,
  ...extra,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a lost answer converges within the same attempt", () => {
  it("AcceptVpcPeeringConnection: the re-send's InvalidStateTransition is read as accepted, and both sides are routed", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    world.failNext(lostAnswer("AcceptVpcPeeringConnection"));

    const { result, reported } = await invoke(pcx);

    // The first send took effect and its answer was lost; the SDK re-sent it.
    expect(calls("AcceptVpcPeeringConnection")).toEqual(["TimeoutError", "InvalidStateTransition"]);
    expect(reported).toBe("succeeded");
    const record = decided(result);
    expect(record).toMatchObject({ action: "accept", connection: "accepted", tagged: true, changed: true });
    expect(record.error).toBeUndefined();
    expect(record.routes.failed).toEqual([]);
    expect(record.routes.created.map((r) => `${r.side} ${r.routeTableId} ${r.destination}`).sort()).toEqual(
      [
        `accepter ${ids.sharedMain} 10.20.0.0/16`,
        `accepter ${ids.sharedPrivate} 10.20.0.0/16`,
        `requester ${ids.appMain} 10.0.0.0/16`,
      ].sort(),
    );
    expect(world.peering(pcx).status.code).toBe("active");
    expect(routesOf(world, ids.appMain)).toContain(`10.0.0.0/16 -> ${pcx}`);
    expect(world.faults.pending().failures).toBe(0);
  });

  it("RejectVpcPeeringConnection: the re-send's InvalidStateTransition is read as rejected", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.outside, accepterVpcId: ids.shared });
    world.failNext(lostAnswer("RejectVpcPeeringConnection"));

    const { result, reported } = await invoke(pcx);

    expect(calls("RejectVpcPeeringConnection")).toEqual(["TimeoutError", "InvalidStateTransition"]);
    expect(reported).toBe("succeeded");
    const record = decided(result);
    expect(record).toMatchObject({ action: "reject", connection: "rejected", tagged: true });
    expect(record.error).toBeUndefined();
    expect(world.peering(pcx).status.code).toBe("rejected");
  });

  it("CreateRoute: the re-send's RouteAlreadyExists to this connection is the route present", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    world.failNext(lostAnswer("CreateRoute", { input: { RouteTableId: ids.sharedMain } }));

    const { result, reported } = await invoke(pcx);

    const toMain = world.calls.filter(
      (c) =>
        c.operation === "CreateRoute" &&
        (c.input as { RouteTableId: string }).RouteTableId === ids.sharedMain,
    );
    expect(toMain.map((c) => c.error)).toEqual(["TimeoutError", "RouteAlreadyExists"]);
    expect(reported).toBe("succeeded");
    const record = decided(result);
    expect(record.connection).toBe("accepted");
    expect(record.routes.failed).toEqual([]);
    expect(record.routes.present.map((r) => r.routeTableId)).toEqual([ids.sharedMain]);
    expect(record.routes.created.map((r) => r.routeTableId).sort()).toEqual(
      [ids.appMain, ids.sharedPrivate].sort(),
    );
    expect(routesOf(world, ids.sharedMain)).toContain(`10.20.0.0/16 -> ${pcx}`);
    expect(calls("AcceptVpcPeeringConnection")).toEqual(["ok"]);
  });

  it("DeleteRoute: the re-send's InvalidRoute.NotFound is the route already absent", async () => {
    const { world, ids, invoke } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    expect((await invoke(pcx)).reported).toBe("succeeded");
    // The requester deletes the connection; its routes are cleaned up, one removal's answer lost.
    world.setPeeringStatus(pcx, "deleted", `Deleted by ${REQUESTER}`);
    world.failNext(
      lostAnswer("DeleteRoute", {
        input: { RouteTableId: ids.sharedMain, DestinationCidrBlock: "10.20.0.0/16" },
      }),
    );

    const { result, reported } = await invoke(pcx);

    const onMain = world.calls.filter(
      (c) =>
        c.operation === "DeleteRoute" &&
        (c.input as { RouteTableId: string }).RouteTableId === ids.sharedMain,
    );
    expect(onMain.map((c) => c.error)).toEqual(["TimeoutError", "InvalidRoute.NotFound"]);
    expect(reported).toBe("succeeded");
    const record = decided(result);
    expect(record.action).toBe("cleanup");
    expect(record.routes.failed).toEqual([]);
    for (const table of [ids.sharedMain, ids.sharedPrivate, ids.appMain]) {
      expect(routesOf(world, table).filter((r) => r.endsWith(pcx))).toEqual([]);
    }
  });
});

describe("failures that end the invocation say which connection, call, account and region", () => {
  it("an accept whose InvalidStateTransition is real (the connection was deleted meanwhile) still fails", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    // The requester deletes the connection just as the accept is on its way.
    world.network = async (call) => {
      if (call.operation === "AcceptVpcPeeringConnection") world.setPeeringStatus(pcx, "deleted");
    };
    const logged = vi.spyOn(logger, "error");

    const { result, reported } = await invoke(pcx);

    expect(calls("AcceptVpcPeeringConnection")).toEqual(["InvalidStateTransition"]);
    const record = decided(result);
    expect(record.connection).toBe("unchanged");
    expect(record.routes.created).toEqual([]);
    const context = [
      pcx,
      "AcceptVpcPeeringConnection",
      `account ${ACCEPTER}`,
      `region ${REGION}`,
      "InvalidStateTransition",
    ];
    for (const part of context) {
      expect(record.error?.message).toContain(part);
      expect((reported as Error).message).toContain(part);
    }
    expect(logged).toHaveBeenCalledWith("decision", { decision: record });
  });

  it("an error beyond the SDK's retries while reading (InternalError) names the connection and the call", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    world.failNext({ operation: "DescribeVpcPeeringConnections", error: "InternalError", times: Infinity });
    const logged = vi.spyOn(logger, "error");

    const { result, reported } = await invoke(pcx);

    expect(calls("DescribeVpcPeeringConnections")).toEqual(Array(5).fill("InternalError"));
    expect(result.kind).toBe("failed");
    expect((reported as Error).message).toBe(
      `peering connection ${pcx}: not decided, reading its facts failed: AwsCallError: DescribeVpcPeeringConnections ` +
        `in account ${ACCEPTER} region ${REGION} failed: InternalError: InternalError: fault injected by the model ` +
        "into DescribeVpcPeeringConnections",
    );
    expect(logged).toHaveBeenCalledWith("connection not decided", {
      connectionId: pcx,
      account: ACCEPTER,
      region: REGION,
      error: reported,
    });
  });

  it("AssumeRole that keeps failing (ServiceUnavailable): the call failed, after the SDK's retries", async () => {
    const { world, ids, invoke, calls } = setUp();
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });
    world.failNext({
      operation: "AssumeRole",
      roleAccount: REQUESTER,
      error: "ServiceUnavailable",
      times: Infinity,
    });

    const { result, reported } = await invoke(pcx);

    expect(calls("AssumeRole")).toEqual(Array(5).fill("ServiceUnavailable"));
    expect(result.kind).toBe("failed");
    expect((reported as Error).message).toContain(
      `peering connection ${pcx}: not decided, reading its facts failed: RoleAssumptionError: cannot assume ` +
        `arn:aws:iam::${REQUESTER}:role/peering-autopilot-execution in account ${REQUESTER}: the call failed ` +
        `(AssumeRole in region ${REGION}: ServiceUnavailable:`,
    );
    expect(world.peering(pcx).status.code).toBe("pending-acceptance");
  });

  it("AssumeRole that the role refuses (no role): the requester side is unmanaged, the accepter side done", async () => {
    const { world, ids, invoke, calls } = setUp({ requesterRole: false });
    const pcx = world.addPeering({ requesterVpcId: ids.app, accepterVpcId: ids.shared });

    const { result, reported } = await invoke(pcx);

    expect(calls("AssumeRole")).toEqual(["AccessDenied"]);
    expect(reported).toBe("succeeded");
    const record = decided(result);
    expect(record.connection).toBe("accepted");
    expect(record.unmanaged.requester).toMatch(
      new RegExp(
        `^cannot assume \\S+ in account ${REQUESTER}: the role refused us \\(AssumeRole in region ${REGION}: AccessDenied: `,
      ),
    );
  });
});
