import { GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { explainLive } from "./run-cli";

describe("errors other than usage, policy and input errors", () => {
  const sts = mockClient(STSClient);
  afterEach(() => {
    sts.reset();
    delete process.env.VISIBLE_WAIT_SECONDS;
  });

  it("prints a plain error's message once, after `error: ` and without its class name", async () => {
    process.env.VISIBLE_WAIT_SECONDS = "soon";

    const result = await explainLive("pcx-0123456789abcdef0");

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toBe("error: invalid configuration:");
    expect(result.stderr).toContain("VISIBLE_WAIT_SECONDS");
    expect(result.stderr).not.toMatch(/Error:/);
    expect(sts.calls()).toEqual([]);
  });

  it("prints a network error's message alone", async () => {
    sts.on(GetCallerIdentityCommand).rejects(new Error("connect ECONNREFUSED 127.0.0.1:443"));

    const result = await explainLive("pcx-0123456789abcdef0");

    expect(result.code).toBe(1);
    expect(result.err).toEqual(["error: connect ECONNREFUSED 127.0.0.1:443"]);
  });

  it("names an AWS service error by its code, which the message leaves out", async () => {
    const expired = new STSServiceException({
      name: "ExpiredToken",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "The security token included in the request is expired",
    });
    sts.on(GetCallerIdentityCommand).rejects(expired);

    const result = await explainLive("pcx-0123456789abcdef0");

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      "error: ExpiredToken: The security token included in the request is expired",
    ]);
  });
});
