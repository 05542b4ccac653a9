import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { apiCallEvent, createPeeringEvent, requestPeering } from "../../model";
import { ACCEPTER, REQUESTER, routesOf, useService } from "./harness";
import { sharedServices } from "./worlds";

// Named nowhere in the policy, as accepter or requester.
const STRANGER = "444444444444";

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), "utf8"));

describe("events that are not requests to decide", () => {
  const service = useService(sharedServices);

  it("ignores the event of a failed call, with a log line and no AWS call", async () => {
    const info = vi.spyOn(service.logger(), "info");

    const result = await service.invoke(sample("create-failed-call"));

    expect(result).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining("Client.InvalidVpcID.NotFound"),
    });
    expect(info).toHaveBeenCalledWith(
      "event ignored",
      expect.objectContaining({ reason: expect.any(String) }),
    );
    expect(service.world().calls).toEqual([]);
  });

  it("ignores a call that is not a peering request", async () => {
    const result = await service.invoke(sample("associate-vpc-cidr"));

    expect(result).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining("AssociateVpcCidrBlock"),
    });
    expect(service.world().calls).toEqual([]);
  });

  it.each([
    ["no detail", (e: Record<string, unknown>) => delete e.detail, /detail/],
    ["detail is a string", (e: Record<string, unknown>) => Object.assign(e, { detail: "x" }), /detail/],
    [
      "malformed connection id",
      (e: { detail: { responseElements: { vpcPeeringConnection: { vpcPeeringConnectionId: string } } } }) => {
        e.detail.responseElements.vpcPeeringConnection.vpcPeeringConnectionId = "pcx-; DROP";
      },
      /vpcPeeringConnectionId/,
    ],
    [
      "accepter account is not an account id",
      (e: { detail: { requestParameters: Record<string, unknown> } }) => {
        e.detail.requestParameters.peerOwnerId = 111;
        delete (e.detail as { responseElements?: unknown }).responseElements;
      },
      /peerOwnerId|responseElements/,
    ],
  ])("rejects a malformed event (%s) with a clear error and no AWS call", async (_name, spoil, message) => {
    const event = sample("create-cross-account");
    spoil(event);

    await expect(service.invoke(event)).rejects.toThrow(message);
    expect(service.world().calls).toEqual([]);
  });
});

describe("an event that lies about the connection", () => {
  const service = useService((world) => {
    const ids = sharedServices(world);
    return {
      ...ids,
      wide: world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] }),
    };
  });

  it("is decided on the CIDRs EC2 reports, not on those in the event", async () => {
    const world = service.world();
    const { shared, wide, sharedMain } = service.ids();
    const { connectionId } = requestPeering(world, { requesterVpcId: wide, accepterVpcId: shared });
    const forged = createPeeringEvent({
      connectionId,
      requester: { account: REQUESTER, region: "us-east-1", vpcId: wide, cidrs: ["10.20.0.0/16"] },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: shared },
    });

    const result = await service.invoke(forged);

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(routesOf(world, sharedMain)).toEqual(["10.0.0.0/16 -> local"]);
    expect(JSON.stringify(result)).toContain("192.168.0.0/16 is not inside");
  });

  it("changes nothing when EC2 says the named accepter is not the connection's accepter", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    // A request made by the accepter account, presented as if that account were asked to accept.
    const { connectionId } = requestPeering(world, { requesterVpcId: shared, accepterVpcId: app });
    const forged = createPeeringEvent({
      connectionId,
      requester: { account: REQUESTER, region: "us-east-1", vpcId: app, cidrs: ["10.20.0.0/16"] },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: shared },
    });

    const result = await service.invoke(forged);

    expect(result).toMatchObject({
      kind: "skipped",
      reason: expect.stringContaining("accepter is 222222222222"),
    });
    expect(world.mutatingCalls()).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });

  it("changes nothing when the connection does not exist", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    process.env.VISIBLE_WAIT_SECONDS = "0.05";
    const event = createPeeringEvent({
      connectionId: "pcx-0deadbeefdeadbeef",
      requester: { account: REQUESTER, region: "us-east-1", vpcId: app, cidrs: ["10.20.0.0/16"] },
      accepter: { account: ACCEPTER, region: "us-east-1", vpcId: shared },
    });

    const result = await service.invoke(event);

    expect(result).toMatchObject({ kind: "skipped", reason: expect.stringContaining("not visible") });
    expect(world.mutatingCalls()).toEqual([]);
  });
});

describe("an accepter outside the policy's remit", () => {
  const service = useService((world) => {
    const ids = sharedServices(world);
    world.addAccount(STRANGER);
    return {
      ...ids,
      stranger: world.addVpc({ ownerId: STRANGER, region: "eu-west-1", cidrs: ["10.30.0.0/16"] }),
    };
  });

  it("is logged and left alone, without assuming any role", async () => {
    const world = service.world();
    const { app, stranger } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: stranger });

    const result = await service.invoke(event);

    expect(result).toMatchObject({
      kind: "skipped",
      reason: expect.stringContaining("not named in the policy"),
    });
    expect(world.calls).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });
});

describe("an invalid policy", () => {
  const service = useService(sharedServices, {
    policy: `
version: 1
rules:
  - name: typo
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/33"] }
`,
  });

  it("fails the invocation loudly, naming file, rule and field, and changes nothing", async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const { connectionId, event } = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });

    await expect(service.invoke(event)).rejects.toThrow(
      /policy\.yml:[\s\S]*rule 'typo', field requester\.cidrs\[0\]/,
    );
    expect(world.calls).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });
});

describe("a request for an unknown event name from a forwarded bus", () => {
  const service = useService(sharedServices);

  it("is ignored", async () => {
    const event = apiCallEvent({
      account: REQUESTER,
      region: "us-east-1",
      eventName: "ReplaceRoute",
      requestParameters: {},
      responseElements: {},
      options: {},
    });

    await expect(service.invoke(event)).resolves.toMatchObject({ kind: "ignored" });
    expect(service.world().calls).toEqual([]);
  });
});
