import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { approvalTagEvent, deliverQueued, requestPeering } from "../../model";
import { ACCEPTER, lambdaContext, SHARED_VPC, useService } from "./harness";
import { sharedServices } from "./worlds";

/** A request between two VPCs of one account, in two regions: its views differ by region alone. */
const POLICY = `
version: 1
rules:
  - name: own-eu-reviewed
    approval: required
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"], vpcs: ["${SHARED_VPC}"] }
    requester: { accounts: ["${ACCEPTER}"], regions: ["eu-west-1"], cidrs: ["10.30.0.0/16"] }
`;
const PERSON = `arn:aws:sts::${ACCEPTER}:assumed-role/network-approvers/alice`;

describe("an answer to a same-account, inter-region request", () => {
  const service = useService(sharedServices, { policy: POLICY });

  it("names who answered only from the accepter region's tag event", async () => {
    const world = service.world();
    const { shared } = service.ids();
    const eu = world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.30.0.0/16"] });
    const { connectionId, event } = requestPeering(world, { requesterVpcId: eu, accepterVpcId: shared });
    await service.invoke(event);
    const ec2 = new EC2Client({ region: "us-east-1" });
    await ec2.send(
      new CreateTagsCommand({
        Resources: [connectionId],
        Tags: [{ Key: "peering-approval", Value: "approve" }],
      }),
    );
    const { handler } = await import("../../functions/on-approval-tag");
    const run = (region: string) =>
      deliverQueued(
        handler as never,
        approvalTagEvent({ connectionId, account: ACCEPTER, region, value: "approve", principal: PERSON }),
        lambdaContext(ACCEPTER),
      ) as Promise<{ record: { action: string; approval?: { by: string } } }[]>;

    // The event of the requester's region says nothing of who answered in the accepter's.
    const [fromRequesterRegion] = await run("eu-west-1");

    expect(fromRequesterRegion?.record).toMatchObject({ action: "accept", approval: { by: "tag" } });
  });
});
