import { DescribeVpcsCommand, EC2ServiceException } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ModelRequestHandler, World } from "../../model";
import { ACCEPTER, PARTNER } from "../handlers/harness";

/*
 * Throttled answers under the SDK's own retries: the model answers below the whole client stack (as in
 * test/retries), so the attempts the SDK retries reach the counter too, not only the last answer.
 */
const REGION = "us-east-1";

async function setUp() {
  vi.resetModules();
  const { AwsSessions } = await import("../../shared/aws/sessions/sessions");
  const { throttledAnswers } = await import("../../shared/aws/sessions/throttled-answers");
  const world = new World({ homeAccount: ACCEPTER });
  world.addAccount(ACCEPTER).addAccount(PARTNER);
  const sessions = new AwsSessions({
    homeAccount: ACCEPTER,
    roleName: "peering-autopilot-execution",
    allowedAccounts: new Set([ACCEPTER, PARTNER]),
    stsRegion: REGION,
    requestHandler: new ModelRequestHandler(world),
  });
  return { world, sessions, throttledAnswers };
}

describe("throttled answers", () => {
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeEach(async () => {
    ctx = await setUp();
  });

  it("counts each throttled attempt of a call the SDK's retries carry through", async () => {
    const { world, sessions, throttledAnswers } = ctx;
    world.failNext({ operation: "DescribeVpcs", error: "RequestLimitExceeded" });

    await sessions.ec2(ACCEPTER, REGION).send(new DescribeVpcsCommand({}));

    const attempts = world.calls
      .filter((call) => call.operation === "DescribeVpcs")
      .map((c) => c.error ?? "ok");
    // The call succeeded: only the client's own stack saw the throttled attempt.
    expect(attempts).toEqual(["RequestLimitExceeded", "ok"]);
    expect(throttledAnswers()).toBe(1);
  });

  it("counts an answer once, though both the client's stack and the paced client see it", async () => {
    const { countIfThrottled, countingThrottles, throttledAnswers } = await import(
      "../../shared/aws/sessions/throttled-answers"
    );
    const throttle = new EC2ServiceException({
      name: "RequestLimitExceeded",
      $fault: "client",
      message: "Request limit exceeded.",
      $metadata: { httpStatusCode: 503 },
    });
    const attempt = countingThrottles(() => Promise.reject(throttle));

    await expect(attempt({})).rejects.toBe(throttle);
    countIfThrottled(throttle);
    expect(throttledAnswers()).toBe(1);

    // The same answer again is no new answer; another one is.
    countIfThrottled(throttle);
    countIfThrottled(
      new EC2ServiceException({ ...throttle, name: "RequestLimitExceeded", $fault: "client" }),
    );
    countIfThrottled(new Error("RequestLimitExceeded"));
    expect(throttledAnswers()).toBe(2);
  });

  it("counts STS's throttling too, and no other error", async () => {
    const { world, sessions, throttledAnswers } = ctx;
    world.failNext({ service: "STS", operation: "AssumeRole", error: "Throttling", kind: "client" });
    world.failNext({ operation: "DescribeVpcs", account: PARTNER, error: "UnauthorizedOperation" });

    await expect(sessions.ec2(PARTNER, REGION).send(new DescribeVpcsCommand({}))).rejects.toMatchObject({
      code: "UnauthorizedOperation",
    });

    expect(world.calls.map((call) => `${call.operation} ${call.error ?? "ok"}`)).toEqual([
      "AssumeRole Throttling",
      "AssumeRole ok",
      "DescribeVpcs UnauthorizedOperation",
    ]);
    expect(throttledAnswers()).toBe(1);
  });
});
