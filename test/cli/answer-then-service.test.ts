import { describe, expect, it } from "vitest";
import { requestPeering } from "../../model";
import { ACCEPTER, routesOf, useService } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";
import { APPROVAL_POLICY } from "./live-world";
import { runCli, tempFile } from "./run-cli";

describe("an answer given with the CLI, carried out by the service", () => {
  const service = useService(sharedServices, { policy: APPROVAL_POLICY });
  const policyFile = () => tempFile("policy.yml", APPROVAL_POLICY);
  const answer = (verb: string, connectionId: string) =>
    runCli(verb, connectionId, "--account", ACCEPTER, "--region", "us-east-1", "--policy", policyFile());

  it("a parked request is listed, approved with the CLI, then accepted and routed by the reconciler as the CLI said", async () => {
    const world = service.world();
    const { shared, app, sharedMain, sharedPrivate, appMain } = service.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.run("reconcile");
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");

    const listed = await runCli("pending", "--policy", policyFile(), "--json");
    expect(JSON.parse(listed.stdout).requests).toEqual([
      expect.objectContaining({ connectionId, action: "await-approval", awaitsApproval: true }),
    ]);
    const callsBefore = world.calls.length;
    const approved = await answer("approve", connectionId);
    expect(approved.code).toBe(0);
    expect(world.mutatingCalls().slice(-1)).toEqual([expect.objectContaining({ operation: "CreateTags" })]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(world.calls.length).toBeGreaterThan(callsBefore);
    expect(approved.out).toContain(`Next: the service will accept ${connectionId} and create 3 routes:`);

    await service.run("reconcile");

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(routesOf(world, sharedMain)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, sharedPrivate)).toContain(`10.20.0.0/16 -> ${connectionId}`);
    expect(routesOf(world, appMain)).toContain(`10.0.0.0/16 -> ${connectionId}`);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]).toMatchObject({
      "peering-approval": "approve",
      "peering-autopilot:decision": "accept",
      // The reconciler finds the tag without its event, so it cannot say who answered.
      "peering-autopilot:approved-by": "tag",
    });
  });

  it("a denied request is rejected by the reconciler", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    await service.run("reconcile");

    const denied = await answer("deny", connectionId);
    expect(denied.out).toContain(`Next: the service will reject ${connectionId}.`);
    await service.run("reconcile");

    expect(world.peering(connectionId).status.code).toBe("rejected");
  });
});
