import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { deliverQueued, type QueuedFunction } from "../../model";
import { toApprovalTagEvent } from "../../shared/events/approval-tag-event";
import { CloudTrailApiCallSchema } from "../../shared/events/cloudtrail-api-call";
import { ACCEPTER, lambdaContext, useService } from "./harness";
import { sharedServices } from "./worlds";

/** The sample CreateTags event (test/fixtures/approval-events), built from the shape CloudTrail documents. */
const SAMPLE: Record<string, unknown> & { detail: Record<string, unknown> } = JSON.parse(
  readFileSync(new URL("../fixtures/approval-events/create-tags-approve.json", import.meta.url), "utf8"),
);
const NETOPS = "arn:aws:sts::111111111111:assumed-role/network-admin/netops";

/** The sample with its detail changed, as the handler's CloudTrail schema hands it over. */
function sample(detail: Record<string, unknown> = {}) {
  return CloudTrailApiCallSchema.parse({ ...SAMPLE, detail: { ...SAMPLE.detail, ...detail } });
}
const resources = (...ids: string[]) => ({
  resourcesSet: { items: ids.map((resourceId) => ({ resourceId })) },
  tagSet: { items: [{ key: "peering-approval", value: "approve" }] },
});
const tags = (...keys: string[]) => ({
  resourcesSet: { items: [{ resourceId: "pcx-0123456789abcdef0" }] },
  tagSet: { items: keys.map((key) => ({ key, value: "approve" })) },
});

describe("what a CreateTags event answers", () => {
  it("names the connection where it was tagged, and who tagged it", () => {
    expect(toApprovalTagEvent(sample())).toEqual({
      kind: "answers",
      refs: [
        { connectionId: "pcx-0123456789abcdef0", account: ACCEPTER, region: "us-east-1", answeredBy: NETOPS },
      ],
    });
  });

  it("names each peering connection tagged at once, once, and no other resource", () => {
    const event = sample({
      requestParameters: resources(
        "pcx-0123456789abcdef0",
        "vpc-0f9e8d7c6b5a40001",
        "pcx-0fedcba9876543210",
        "pcx-0123456789abcdef0",
      ),
    });
    const answer = toApprovalTagEvent(event);
    expect(answer.kind === "answers" && answer.refs.map((r) => r.connectionId)).toEqual([
      "pcx-0123456789abcdef0",
      "pcx-0fedcba9876543210",
    ]);
  });

  it("takes the account the call was made in, that of a forwarded event too", () => {
    // A member's rule forwards the event as it is: EventBridge keeps the account it came from.
    const forwarded = {
      ...sample({ recipientAccountId: "444444444444", awsRegion: "eu-west-1" }),
      account: "444444444444",
    };
    const answer = toApprovalTagEvent(forwarded);
    expect(answer.kind === "answers" && answer.refs[0]).toMatchObject({
      account: "444444444444",
      region: "eu-west-1",
    });
  });

  it("refuses a record of a call in another account than the event came from", () => {
    const answer = toApprovalTagEvent(sample({ recipientAccountId: "444444444444" }));
    expect(answer).toEqual({
      kind: "invalid",
      reason: `the call was made in account 444444444444 but the event came from account ${SAMPLE.account}`,
    });
  });

  it("leaves the answer unattributed when CloudTrail names no principal ARN", () => {
    const answer = toApprovalTagEvent(
      sample({ userIdentity: { type: "AWSService", invokedBy: "ec2.amazonaws.com" } }),
    );
    expect(answer.kind === "answers" && answer.refs[0]).not.toHaveProperty("answeredBy");
  });

  it.each([
    [
      "a failed call",
      { errorCode: "UnauthorizedOperation", responseElements: null },
      /the call failed \(UnauthorizedOperation\)/,
    ],
    [
      "no peering connection tagged",
      { requestParameters: resources("vpc-0f9e8d7c6b5a40001", "i-0123456789abcdef0") },
      /no peering connection/,
    ],
    [
      "no peering-approval tag",
      { requestParameters: tags("peering-autopilot:decision", "Peering-Approval") },
      /no peering-approval tag/,
    ],
    ["another call", { eventName: "DeleteTags" }, /is not an EC2 CreateTags call/],
    ["another service's call", { eventSource: "rds.amazonaws.com" }, /is not an EC2 CreateTags call/],
  ])("ignores %s", (_, detail, reason) => {
    const answer = toApprovalTagEvent(sample(detail));
    expect(answer.kind).toBe("ignored");
    expect(answer.kind === "ignored" && answer.reason).toMatch(reason);
  });

  it.each([
    ["a malformed connection id", { requestParameters: resources("pcx-NOTHEX") }, /resourcesSet/],
    ["no recipient account", { recipientAccountId: undefined }, /recipientAccountId/],
    ["a principal that is no IAM or STS ARN", { userIdentity: { arn: "someone" } }, /userIdentity\.arn/],
    ["no resource list", { requestParameters: { tagSet: tags("peering-approval").tagSet } }, /resourcesSet/],
    [
      "more resources than one call takes",
      { requestParameters: resources(...Array.from({ length: 1001 }, () => "pcx-0123456789abcdef0")) },
      /resourcesSet\.items/,
    ],
  ])("finds %s invalid", (_, detail, reason) => {
    const answer = toApprovalTagEvent(sample(detail));
    expect(answer.kind).toBe("invalid");
    expect(answer.kind === "invalid" && answer.reason).toMatch(reason);
  });
});

describe("the approval tag handler, for events it ignores", () => {
  const service = useService(sharedServices);
  let onApprovalTag: (event: unknown) => Promise<unknown>;
  beforeEach(async () => {
    const { handler } = await import("../../functions/on-approval-tag");
    onApprovalTag = (event) =>
      deliverQueued(handler as QueuedFunction, structuredClone(event), lambdaContext(ACCEPTER));
  });

  it("makes no AWS call for a CreateTags that answers nothing", async () => {
    const event = { ...SAMPLE, detail: { ...SAMPLE.detail, requestParameters: tags("Name") } };
    expect(await onApprovalTag(event)).toMatchObject({ kind: "ignored" });
    expect(service.world().calls).toEqual([]);
  });

  it("fails on an invalid event before any AWS call, so that it is not retried in vain", async () => {
    const event = { ...SAMPLE, detail: { ...SAMPLE.detail, requestParameters: resources("pcx-NOTHEX") } };
    await expect(onApprovalTag(event)).rejects.toThrow(/invalid event 4d5e6f7a-.*resourcesSet/);
    expect(service.world().calls).toEqual([]);
  });
});
