import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { peeringCallEvent, requestPeering } from "../../model";
import { ACCEPTER, REQUESTER, useService } from "./harness";
import { sharedServices } from "./worlds";

const EXTERNAL_ID = "ext-id-that-must-stay-secret";

describe("logs", () => {
  let output = "";
  // Registered before useService's hooks, so the freshly imported logger starts at DEBUG.
  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
    output = "";
    const capture = (chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(capture);
    vi.spyOn(process.stderr, "write").mockImplementation(capture);
  });
  afterEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  });

  const CENTRAL = "999999999999";
  const service = useService(
    (world) => {
      world.addAccount(CENTRAL);
      world.addAccount(ACCEPTER, { role: { name: "peering-autopilot-execution", externalId: EXTERNAL_ID } });
      world.addAccount(REQUESTER, { role: { name: "peering-autopilot-execution", externalId: EXTERNAL_ID } });
      return sharedServices(world);
    },
    {
      home: CENTRAL,
      env: { ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID, EVENT_BUS_NAME: "peering-autopilot-test" },
    },
  );

  it("never carry credentials or the external id, at any level, on success or failure", async () => {
    const world = service.world();
    const { shared, app, appEu } = service.ids();
    const first = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.invoke(first.event);
    world.failNext({ operation: "CreateRoute", account: REQUESTER, error: "InternalError" });
    await expect(
      service.invoke(requestPeering(world, { requesterVpcId: appEu, accepterVpcId: shared }).event),
    ).rejects.toThrow();
    world.setPeeringStatus(first.connectionId, "deleted");
    await service.run(
      "on-peering-change",
      peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: first.connectionId,
        account: REQUESTER,
        region: "us-east-1",
      }),
    );
    await service.run("reconcile");

    // The logs were written (a check that sees nothing proves nothing) ...
    expect(output).toContain('"message":"decision"');
    expect(output).toContain('"message":"reconcile summary"');
    // ... and none of them carries a secret: issued credentials, the function's own, or the external id.
    const secrets = [
      ...[...world.issuedCredentials.values()].flatMap((c) => [c.accessKeyId]),
      ...Array.from({ length: world.issuedCredentials.size + 1 }, (_, i) => [
        `model-secret-${i}`,
        `model-session-token-${i}`,
      ]).flat(),
      process.env.AWS_SECRET_ACCESS_KEY ?? "",
      EXTERNAL_ID,
    ].filter((secret) => secret.length > 0);
    expect(world.issuedCredentials.size).toBeGreaterThan(0);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
