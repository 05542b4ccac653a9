import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CloudTrailApiCallSchema } from "../../shared/events/cloudtrail-api-call";
import { type RequestEvent, toPeeringRequest } from "../../shared/events/peering-request";
import { named } from "../helpers/facts";

type Sample =
  | "create-cross-account"
  | "create-inter-region"
  | "create-failed-call"
  | "accept"
  | "delete"
  | "associate-vpc-cidr";

// biome-ignore lint/suspicious/noExplicitAny: the variants edit raw JSON
type Json = any;

/** A sample event as EventBridge delivers it (copied from shared/events into test/fixtures/events). */
function sample(name: Sample): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), "utf8"));
}

function requestOf(event: Json): RequestEvent {
  return toPeeringRequest(CloudTrailApiCallSchema.parse(event));
}

describe("toPeeringRequest: sample events", () => {
  it.each(
    named<{ name: string; file: Sample; expected: RequestEvent }>([
      {
        name: "cross-account request",
        file: "create-cross-account",
        expected: {
          kind: "request",
          ref: {
            connectionId: "pcx-0123456789abcdef0",
            account: "111111111111",
            region: "us-east-1",
          },
        },
      },
      {
        name: "inter-region request made in eu-west-1",
        file: "create-inter-region",
        expected: {
          kind: "request",
          ref: {
            connectionId: "pcx-0fedcba9876543210",
            account: "111111111111",
            region: "us-east-1",
          },
        },
      },
      {
        name: "failed call",
        file: "create-failed-call",
        expected: {
          kind: "ignored",
          reason: "the call failed (Client.InvalidVpcID.NotFound): no connection was created",
        },
      },
      {
        name: "accept event",
        file: "accept",
        expected: {
          kind: "ignored",
          reason: "ec2.amazonaws.com AcceptVpcPeeringConnection is not a peering request",
        },
      },
      {
        name: "delete event",
        file: "delete",
        expected: {
          kind: "ignored",
          reason: "ec2.amazonaws.com DeleteVpcPeeringConnection is not a peering request",
        },
      },
      {
        name: "VPC CIDR association event",
        file: "associate-vpc-cidr",
        expected: {
          kind: "ignored",
          reason: "ec2.amazonaws.com AssociateVpcCidrBlock is not a peering request",
        },
      },
    ]),
  )("%s", (_, { file, expected }) => {
    expect(requestOf(sample(file))).toEqual(expected);
  });
});

describe("toPeeringRequest: variants", () => {
  const connection = (e: Json) => e.detail.responseElements.vpcPeeringConnection;

  it.each(
    named<{ name: string; file: Sample; edit: (e: Json) => void; account: string; region: string }>([
      {
        name: "same-account request: no peerOwnerId, no accepter owner in the response",
        file: "create-cross-account",
        edit: (e) => {
          delete e.detail.requestParameters.peerOwnerId;
          delete connection(e).accepterVpcInfo.ownerId;
        },
        account: "222222222222",
        region: "us-east-1",
      },
      {
        name: "same-account, same-region request: no accepterVpcInfo at all",
        file: "create-cross-account",
        edit: (e) => {
          delete e.detail.requestParameters.peerOwnerId;
          delete connection(e).accepterVpcInfo;
        },
        account: "222222222222",
        region: "us-east-1",
      },
      {
        name: "accepterVpcInfo absent: peerOwnerId and peerRegion are used",
        file: "create-inter-region",
        edit: (e) => delete connection(e).accepterVpcInfo,
        account: "111111111111",
        region: "us-east-1",
      },
      {
        name: "accepterVpcInfo absent, no peerRegion: the call's own region",
        file: "create-inter-region",
        edit: (e) => {
          delete connection(e).accepterVpcInfo;
          delete e.detail.requestParameters.peerRegion;
        },
        account: "111111111111",
        region: "eu-west-1",
      },
      {
        name: "accepterVpcInfo without region: peerRegion is used",
        file: "create-inter-region",
        edit: (e) => delete connection(e).accepterVpcInfo.region,
        account: "111111111111",
        region: "us-east-1",
      },
      {
        name: "inter-region without peerRegion: the response's accepter region is used",
        file: "create-inter-region",
        edit: (e) => delete e.detail.requestParameters.peerRegion,
        account: "111111111111",
        region: "us-east-1",
      },
      {
        name: "the response's accepterVpcInfo wins over the request parameters",
        file: "create-cross-account",
        edit: (e) => {
          e.detail.requestParameters.peerOwnerId = "999999999999";
          e.detail.requestParameters.peerRegion = "ap-southeast-2";
        },
        account: "111111111111",
        region: "us-east-1",
      },
      {
        name: "short (8 hex digit) connection id",
        file: "create-cross-account",
        edit: (e) => {
          connection(e).vpcPeeringConnectionId = "pcx-0123abcd";
        },
        account: "111111111111",
        region: "us-east-1",
      },
    ]),
  )("%s", (_, { file, edit, account, region }) => {
    const event = sample(file);
    edit(event);
    const result = requestOf(event);
    expect(result).toEqual({
      kind: "request",
      ref: {
        connectionId: connection(event).vpcPeeringConnectionId,
        account: account,
        region: region,
      },
    });
  });

  it.each(
    named<{ name: string; edit: (e: Json) => void; kind: "invalid" | "ignored"; reason: RegExp[] }>([
      {
        name: "malformed connection id",
        edit: (e) => {
          connection(e).vpcPeeringConnectionId = "pcx-XYZ";
        },
        kind: "invalid",
        reason: [/must be a peering connection id/, /vpcPeeringConnection\.vpcPeeringConnectionId/],
      },
      {
        name: "connection id missing",
        edit: (e) => delete connection(e).vpcPeeringConnectionId,
        kind: "invalid",
        reason: [/vpcPeeringConnectionId/],
      },
      {
        name: "no responseElements although the call did not fail",
        edit: (e) => {
          e.detail.responseElements = null;
        },
        kind: "invalid",
        reason: [/responseElements/],
      },
      {
        name: "malformed peerOwnerId",
        edit: (e) => {
          e.detail.requestParameters.peerOwnerId = "not-an-account";
        },
        kind: "invalid",
        reason: [/account id/, /peerOwnerId/],
      },
      {
        name: "malformed accepter owner in the response",
        edit: (e) => {
          connection(e).accepterVpcInfo.ownerId = "1234";
        },
        kind: "invalid",
        reason: [/account id/, /accepterVpcInfo\.ownerId/],
      },
      {
        name: "malformed peerRegion",
        edit: (e) => {
          e.detail.requestParameters.peerRegion = "moon-base-1a";
        },
        kind: "invalid",
        reason: [/AWS region/, /peerRegion/],
      },
      {
        name: "the same call from another service",
        edit: (e) => {
          e.detail.eventSource = "example.amazonaws.com";
        },
        kind: "ignored",
        reason: [/^example\.amazonaws\.com CreateVpcPeeringConnection is not a peering request$/],
      },
      {
        name: "failed call that still carries a response",
        edit: (e) => {
          e.detail.errorCode = "Client.VpcPeeringConnectionAlreadyExists";
        },
        kind: "ignored",
        reason: [/the call failed \(Client\.VpcPeeringConnectionAlreadyExists\)/],
      },
    ]),
  )("%s", (_, { edit, kind, reason }) => {
    const event = sample("create-cross-account");
    edit(event);
    const result = requestOf(event);
    expect(result.kind).toBe(kind);
    for (const pattern of reason) expect(result).toHaveProperty("reason", expect.stringMatching(pattern));
  });

  it("the envelope must be an EventBridge CloudTrail event", () => {
    const event = sample("create-cross-account");
    delete event.detail.eventName;
    expect(() => CloudTrailApiCallSchema.parse(event)).toThrow();
  });
});
