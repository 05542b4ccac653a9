import { approvalTagEvent, peeringCallEvent, requestPeering, vpcCidrEvent, type World } from "../../model";
import { APPROVAL_TAG } from "../../shared/decision/approval-tag";
import { DECISION_TAG, RULE_TAG } from "../../shared/decision/decision-tags";
import { ACCEPTER, PARTNER, REQUESTER } from "./harness";
import { PENDING_TICK } from "./pending-pass-worlds";
import { addPcxRoute } from "./sweep-worlds";
import { mainTable, sharedServices } from "./worlds";

/** The person of the accepter account who answered the request awaiting approval. */
export const PERSON = "arn:aws:sts::111111111111:assumed-role/network-admin/netops";
/** A connection EC2 no longer shows, still the target of a blackhole route. */
export const GONE = "pcx-0gone000000000000";
/** The CIDR the active connection's requester VPC was given, for the CIDR event. */
export const ADDED_CIDR = "10.26.0.0/16";

export interface RuleModes {
  /** The policy's own mode (`enforce` when absent). */
  top?: "enforce" | "report";
  apps?: "enforce" | "report";
  partner?: "enforce" | "report";
}

/**
 * Requests from the requester account's apps are accepted and routed, with DNS; the partner's need a
 * person's approval; any other request is rejected. `modes` sets the policy's mode and the rules'.
 */
export function reportPolicy(modes: RuleModes): string {
  const mode = (value: string | undefined) => (value ? `\n    mode: ${value}` : "");
  return `
version: 1${modes.top ? `\nmode: ${modes.top}` : ""}
rules:
  - name: apps${mode(modes.apps)}
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    dnsResolution: true
  - name: partner-reviewed${mode(modes.partner)}
    approval: required
    accepter: { accounts: ["${ACCEPTER}"], regions: ["us-east-1"] }
    requester: { accounts: ["${PARTNER}"], cidrs: ["172.20.0.0/16", "172.21.0.0/16"] }
`;
}

/**
 * Every kind of work the service has, in the shared-services account-region (see sharedServices):
 * - `approved`: a pending request the `apps` rule approves;
 * - `unmatched`: a pending request no rule matches, to be rejected;
 * - `parked`: a pending partner request that waits for a person, not yet announced (or tagged);
 * - `answered`: a pending partner request parked for approval and answered `approve` by a person;
 * - `active`: an active connection with none of its routes and DNS resolution off on both sides,
 *   whose requester VPC has just been given another CIDR;
 * - `deleted`: a deleted connection (approved by `apps`, as its tag says) with a route left on each side;
 * - `rejected`: a connection rejected by hand, with a route its requester made to it in advance;
 * - a blackhole route in the shared VPC's main table to a connection EC2 no longer shows.
 */
export function reportModeWorld(world: World) {
  const base = sharedServices(world);
  const { shared, sharedMain, app, appEu, partner } = base;

  const approved = requestPeering(world, { requesterVpcId: app, accepterVpcId: shared });
  const stray = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] });
  const unmatched = requestPeering(world, { requesterVpcId: stray, accepterVpcId: shared });
  const partnerLab = world.addVpc({ ownerId: PARTNER, region: "us-east-1", cidrs: ["172.21.0.0/16"] });
  const parked = requestPeering(world, { requesterVpcId: partnerLab, accepterVpcId: shared });
  const answered = requestPeering(world, { requesterVpcId: partner, accepterVpcId: shared });
  world.peering(answered.connectionId).tagsByAccount[ACCEPTER] = {
    [DECISION_TAG]: "await-approval",
    [RULE_TAG]: "partner-reviewed",
    [APPROVAL_TAG]: "approve",
  };

  const active = world.addPeering({ requesterVpcId: appEu, accepterVpcId: shared, status: "active" });
  world.associateVpcCidr(appEu, ADDED_CIDR);

  const legacy = world.addVpc({ ownerId: ACCEPTER, region: "us-east-1", cidrs: ["10.5.0.0/16"] });
  const legacyMain = mainTable(world, legacy);
  const old = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.30.0.0/16"] });
  const oldMain = mainTable(world, old);
  const deleted = world.addPeering({ requesterVpcId: old, accepterVpcId: legacy, status: "active" });
  world.peering(deleted).tagsByAccount[ACCEPTER] = { [DECISION_TAG]: "accept", [RULE_TAG]: "apps" };
  addPcxRoute(world, legacyMain, "10.30.0.0/16", deleted);
  addPcxRoute(world, oldMain, "10.5.0.0/16", deleted);
  world.setPeeringStatus(deleted, "deleted");

  const spare = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["10.31.0.0/16"] });
  const spareMain = mainTable(world, spare);
  const rejected = world.addPeering({ requesterVpcId: spare, accepterVpcId: legacy });
  addPcxRoute(world, spareMain, "10.5.0.0/16", rejected);
  world.setPeeringStatus(rejected, "rejected");

  addPcxRoute(world, sharedMain, "10.77.0.0/16", GONE, "blackhole");

  const at = { account: ACCEPTER, region: "us-east-1" };
  return {
    ...base,
    legacyMain,
    oldMain,
    spareMain,
    connections: {
      approved: approved.connectionId,
      unmatched: unmatched.connectionId,
      parked: parked.connectionId,
      answered: answered.connectionId,
      active,
      deleted,
      rejected,
    },
    events: {
      approvedRequest: approved.event,
      unmatchedRequest: unmatched.event,
      parkedRequest: parked.event,
      acceptedByHand: peeringCallEvent("AcceptVpcPeeringConnection", { connectionId: active, ...at }),
      deletedEvent: peeringCallEvent("DeleteVpcPeeringConnection", { connectionId: deleted, ...at }),
      rejectedEvent: peeringCallEvent("RejectVpcPeeringConnection", { connectionId: rejected, ...at }),
      cidrAdded: vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: appEu,
        account: REQUESTER,
        region: "eu-west-1",
        cidr: ADDED_CIDR,
      }),
      approvalTag: approvalTagEvent(
        { connectionId: answered.connectionId, ...at, value: "approve", principal: PERSON },
        { time: world.now() },
      ),
      pendingTick: PENDING_TICK,
    },
  };
}

export type ReportModeWorld = ReturnType<typeof reportModeWorld>;
