import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { beforeEach, describe, expect, it } from "vitest";
import {
  deliverQueued,
  type QueuedFunction,
  requestPeering,
  approvalTagEvent as tagEvent,
  type World,
} from "../../model";
import { ACCEPTER, lambdaContext, PARTNER, REQUESTER, routesOf, SHARED_VPC, useService } from "./harness";
import { sharedServices } from "./worlds";

/**
 * A request whose rule asks for approval waits for a person, who answers by tagging the connection
 * with peering-approval in the accepter account; the CreateTags event makes the service decide again,
 * from what EC2 shows: the event's tag value is never what decides.
 */
const POLICY = `
version: 1
unmatched: reject
rules:
  - name: payments-reviewed
    approval: required
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    dnsResolution: true
    routes:
      accepter: { tags: { tier: private } }
      requester: main
  - name: partner-open
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16"] }
`;

const BUS = { EVENT_BUS_NAME: "peering-autopilot-test" };
/** The person of the accepter account who answers, as CloudTrail names them. */
const PERSON = "arn:aws:sts::111111111111:assumed-role/network-admin/netops";

/** A person of the accepter account tags the connection, with their own credentials (not the service's). */
async function tagAsPerson(connectionId: string, value: string): Promise<void> {
  const ec2 = new EC2Client({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAPERSONOFACCEPTER", secretAccessKey: "x" },
  });
  await ec2.send(
    new CreateTagsCommand({ Resources: [connectionId], Tags: [{ Key: "peering-approval", Value: value }] }),
  );
}

/** The CreateTags event CloudTrail records for that call: `value` is what the event claims. */
function approvalTagEvent(world: World, connectionId: string, value: string, account = ACCEPTER) {
  const call = { connectionId, account, region: "us-east-1", value, principal: PERSON };
  return tagEvent(call, { time: world.now() });
}

const tagsOf = (world: World, connectionId: string) =>
  world.peering(connectionId).tagsByAccount[ACCEPTER] ?? {};
const pcxRoutes = (world: World, table: string) => routesOf(world, table).filter((r) => r.includes("pcx-"));
const decisionsPublished = (world: World) =>
  world.published.filter((e) => e.detailType === "Peering Decision").map((e) => e.detail);

type Decided = {
  kind: "decided";
  record: Record<string, unknown> & { findings: string[]; reasons: string[] };
};

describe("answering a request that awaits approval", () => {
  const service = useService(sharedServices, { policy: POLICY, env: BUS });
  let onApprovalTag: (event: unknown) => Promise<unknown>;

  beforeEach(async () => {
    const { handler } = await import("../../functions/on-approval-tag");
    onApprovalTag = (event) =>
      deliverQueued(handler as QueuedFunction, structuredClone(event), lambdaContext(ACCEPTER));
  });

  /** The request announced and parked by its CreateVpcPeeringConnection event. */
  const parked = async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const request = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
    const first = (await service.invoke(request.event)) as Decided;
    expect(world.peering(request.connectionId).status.code).toBe("pending-acceptance");
    return { ...request, first };
  };

  /** Mutating calls the service made since `from` (the person's own call excluded by taking `from` after it). */
  const changesSince = (from: number) =>
    service
      .world()
      .calls.slice(from)
      .filter((c) => !/^(Describe|AssumeRole|GetCallerIdentity|PutEvents)/.test(c.operation));

  it("parks the request, announced once: a replayed event finds it announced and changes nothing", async () => {
    const world = service.world();
    const { sharedPrivate, appMain } = service.ids();
    const { connectionId, event, first } = await parked();

    expect(first.record).toMatchObject({ action: "await-approval", rule: "payments-reviewed" });
    expect(first.record.findings).toEqual(["awaiting-approval"]);
    expect(first.record.reasons.join("\n")).toContain(
      `tag ${connectionId} in account ${ACCEPTER} region us-east-1`,
    );
    expect(tagsOf(world, connectionId)).toMatchObject({
      "peering-autopilot:decision": "await-approval",
      "peering-autopilot:rule": "payments-reviewed",
    });
    // Nothing is routed while the request waits; the plan says what approval would create.
    expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
    expect(pcxRoutes(world, appMain)).toEqual([]);
    expect((first.record.routes as { planned: unknown[] }).planned.length).toBe(2);

    const before = world.calls.length;
    const replay = (await service.invoke(event)) as Decided;

    expect(replay.record).toMatchObject({ action: "await-approval", findings: [], changed: false });
    expect(changesSince(before)).toEqual([]);
    expect(decisionsPublished(world).map((d) => d.notify)).toEqual([true, false]);
  });

  it("accepts and routes an approved request as the approval rule says, in the approver's name", async () => {
    const world = service.world();
    const { sharedMain, sharedPrivate, appMain } = service.ids();
    const { connectionId } = await parked();
    await tagAsPerson(connectionId, "approve");

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "approve"))) as Decided[];

    const peering = world.peering(connectionId);
    expect(peering.status.code).toBe("active");
    expect(result?.record).toMatchObject({
      action: "accept",
      findings: ["approved"],
      approval: { answer: "approve", by: PERSON },
    });
    expect(result?.record.reasons).toContain(`approved by ${PERSON}`);
    // Only the tables the rule selects: the accepter's private table, the requester's main table.
    expect(pcxRoutes(world, sharedPrivate)).toEqual([`10.20.0.0/16 -> ${connectionId}`]);
    expect(pcxRoutes(world, sharedMain)).toEqual([]);
    expect(pcxRoutes(world, appMain)).toEqual([`10.0.0.0/16 -> ${connectionId}`]);
    expect(peering.accepter.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(peering.requester.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(tagsOf(world, connectionId)).toMatchObject({
      "peering-autopilot:decision": "accept",
      "peering-autopilot:approved-by": PERSON,
    });
  });

  it("rejects a denied request, saying who denied it", async () => {
    const world = service.world();
    const { connectionId } = await parked();
    await tagAsPerson(connectionId, " Deny ");

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, " Deny "))) as Decided[];

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(result?.record).toMatchObject({ action: "reject", findings: ["rejected", "denied"] });
    expect(result?.record.reasons).toContain(`denied by ${PERSON}`);
    expect(tagsOf(world, connectionId)).toMatchObject({
      "peering-autopilot:decision": "reject",
      "peering-autopilot:denied-by": PERSON,
    });
  });

  it("does not accept an approved request that now overlaps the accepter VPC, and says why", async () => {
    const world = service.world();
    const { sharedPrivate } = service.ids();
    const { connectionId } = await parked();
    // While the request waited, the accepter VPC gained a block inside the requester's CIDR.
    world.associateVpcCidr(SHARED_VPC, "10.20.128.0/20");
    await tagAsPerson(connectionId, "approve");

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "approve"))) as Decided[];

    expect(world.peering(connectionId).status.code).not.toBe("active");
    expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
    expect(result?.record.action).not.toBe("accept");
    const reasons = result?.record.reasons.join("\n") ?? "";
    expect(reasons).toMatch(/overlap/);
    expect(reasons).toContain("the approval is not carried out");
  });

  it("changes nothing in AWS for an answer it does not understand, and says so", async () => {
    const world = service.world();
    const { connectionId } = await parked();
    await tagAsPerson(connectionId, "maybe");
    const before = world.calls.length;

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "maybe"))) as Decided[];

    expect(changesSince(before)).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(result?.record).toMatchObject({ action: "await-approval", findings: ["approval-not-understood"] });
    expect(result?.record.reasons.join("\n")).toContain("'maybe'");
  });

  it("changes nothing for an approval tag on a connection already active", async () => {
    const world = service.world();
    const { sharedPrivate, appMain } = service.ids();
    const { connectionId } = await parked();
    await tagAsPerson(connectionId, "approve");
    await onApprovalTag(approvalTagEvent(world, connectionId, "approve"));
    expect(world.peering(connectionId).status.code).toBe("active");
    await tagAsPerson(connectionId, "deny");
    const routes = [pcxRoutes(world, sharedPrivate), pcxRoutes(world, appMain)];
    const before = world.calls.length;

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "deny"))) as Decided[];

    expect(changesSince(before)).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("active");
    expect([pcxRoutes(world, sharedPrivate), pcxRoutes(world, appMain)]).toEqual(routes);
    expect(result?.record.action).toBe("maintain");
    expect(result?.record.findings).toEqual(["approval-not-applicable"]);
  });

  it("goes by the tag EC2 shows, not by the event: a forged approval of a denied request rejects it", async () => {
    const world = service.world();
    const { sharedPrivate } = service.ids();
    const { connectionId } = await parked();
    await tagAsPerson(connectionId, "deny");

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "approve"))) as Decided[];

    expect(world.peering(connectionId).status.code).toBe("rejected");
    expect(pcxRoutes(world, sharedPrivate)).toEqual([]);
    expect(result?.record).toMatchObject({ action: "reject", findings: ["rejected", "denied"] });
  });

  it("changes nothing for a forged approval of a request nobody answered", async () => {
    const world = service.world();
    const { connectionId } = await parked();
    const before = world.calls.length;

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "approve"))) as Decided[];

    expect(changesSince(before)).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(result?.record).toMatchObject({ action: "await-approval", findings: [], changed: false });
  });

  it("does not take the requester's own tag for an answer: only the accepter's view counts", async () => {
    const world = service.world();
    const { connectionId } = await parked();
    // The requester tags its own view of the connection; EC2 keeps it apart from the accepter's tags.
    world.peering(connectionId).tagsByAccount[REQUESTER] = { "peering-approval": "approve" };
    const before = world.calls.length;

    const [result] = (await onApprovalTag(
      approvalTagEvent(world, connectionId, "approve", REQUESTER),
    )) as Decided[];

    expect(changesSince(before)).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
    expect(result?.record.action).toBe("await-approval");
  });

  it("names nobody from a tag event of another view of the connection: the accepter's own answer is 'by tag'", async () => {
    const world = service.world();
    const { connectionId } = await parked();
    // The accepter's answer is there (its event lost); then a tag event arrives from the requester's side.
    world.peering(connectionId).tagsByAccount[ACCEPTER] = {
      ...tagsOf(world, connectionId),
      "peering-approval": "approve",
    };

    const [result] = (await onApprovalTag(
      approvalTagEvent(world, connectionId, "approve", REQUESTER),
    )) as Decided[];

    expect(result?.record).toMatchObject({ action: "accept", approval: { answer: "approve", by: "tag" } });
    expect(tagsOf(world, connectionId)["peering-autopilot:approved-by"]).toBe("tag");
  });

  it("decides a request whose rule asks for no approval as the rule says, and reports the tag changes nothing", async () => {
    const world = service.world();
    const { shared, partner } = service.ids();
    // The request's own event was lost: the answer's event is the first the service hears of it.
    const connectionId = world.addPeering({ requesterVpcId: partner, accepterVpcId: shared });
    await tagAsPerson(connectionId, "approve");

    const [result] = (await onApprovalTag(approvalTagEvent(world, connectionId, "approve"))) as Decided[];

    expect(world.peering(connectionId).status.code).toBe("active");
    expect(result?.record).toMatchObject({ action: "accept", rule: "partner-open" });
    expect(result?.record.findings).toEqual(["approval-not-applicable"]);
    expect(result?.record).not.toHaveProperty("approval");
    expect(tagsOf(world, connectionId)["peering-autopilot:approved-by"]).toBeUndefined();
  });
});
