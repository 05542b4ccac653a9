import type { Outcome } from "../../shared/aws/carry-out/jobs";
import { APPROVAL_TAG } from "../../shared/decision/approval-tag";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import { DECISION_TAG, RULE_TAG } from "../../shared/decision/decision-tags";
import { type NotifiedDecision, NotifiedDecisionSchema } from "../../shared/notifications/decision-event";
import type { Policy } from "../../shared/policy/schema";
import { toDecisionRecord } from "../../shared/workflow/decision-record";
import {
  accepterMain,
  CONNECTION_ID,
  type FactsInput,
  facts,
  policy,
  requesterMain,
  route,
} from "../helpers/facts";

/**
 * Decisions the core really makes, one per kind of notification, carried out as AWS would carry them
 * out, and recorded as the service publishes them (`notify: true`, since each has findings).
 */

export const NOW = new Date("2026-12-01T12:00:00Z");
/** Five hours and twenty minutes after NOW: a request with less than a day left. */
export const EXPIRES_SOON = "2026-12-01T17:20:00.000Z";
export const PERSON = "arn:aws:sts::111111111111:assumed-role/network-admins/alice";

const SHARED = {
  name: "shared",
  accepter: { accounts: ["111111111111"], regions: ["us-east-1"] },
  requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
};
const PAYMENTS_RULE = {
  name: "payments",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["666666666666"], cidrs: ["10.66.0.0/16"] },
  approval: "required",
};

export const POLICY = policy([SHARED, PAYMENTS_RULE]);
/** The same rules in report mode, the shared one enabling DNS too: decided alike, carried out nowhere. */
export const REPORT_POLICY: Policy = {
  ...policy([{ ...SHARED, dnsResolution: true }, PAYMENTS_RULE]),
  mode: "report",
};

const PAYMENTS = {
  requesterAccount: "666666666666",
  requesterRegion: "eu-west-1",
  requesterCidrs: ["10.66.0.0/16"],
};
/** The tags a request parked for approval carries once it has been announced. */
const ANNOUNCED = { [DECISION_TAG]: "await-approval", [RULE_TAG]: "payments" };

interface Situation {
  facts: FactsInput;
  policy?: Policy;
  expiresAt?: string;
  answeredBy?: string;
}

const SITUATIONS = {
  rejected: { facts: { requesterCidrs: ["172.31.0.0/16"] } },
  "route-conflict": {
    facts: { accepterTables: [accepterMain(route("10.20.0.0/16", "tgw-0a1b2c3d4e5f60001"))] },
  },
  "outside-policy": { facts: { status: "active", requesterAccount: "999999999999" } },
  "awaiting-approval": { facts: PAYMENTS, expiresAt: "2026-12-07T09:00:00.000Z" },
  approved: {
    facts: { ...PAYMENTS, tags: { ...ANNOUNCED, [APPROVAL_TAG]: " Approve " } },
    answeredBy: PERSON,
  },
  denied: { facts: { ...PAYMENTS, tags: { ...ANNOUNCED, [APPROVAL_TAG]: "deny" } }, answeredBy: PERSON },
  "expiring-soon": { facts: { ...PAYMENTS, tags: ANNOUNCED }, expiresAt: EXPIRES_SOON },
  // Its owner routed to it in advance: the route goes with the connection.
  expired: {
    facts: {
      ...PAYMENTS,
      status: "expired",
      tags: ANNOUNCED,
      requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
    },
  },
  "cidr-not-allowed": { facts: { status: "active", requesterCidrs: ["10.20.0.0/16", "10.99.0.0/16"] } },
  "approval-not-understood": {
    facts: { ...PAYMENTS, tags: { ...ANNOUNCED, [APPROVAL_TAG]: "yes please" } },
    answeredBy: PERSON,
  },
  "approval-not-applicable": { facts: { tags: { [APPROVAL_TAG]: "approve" } }, answeredBy: PERSON },
  // In report mode: decided as above, carried out nowhere.
  "report-accept": { facts: {}, policy: REPORT_POLICY },
  "report-rejected": { facts: { requesterCidrs: ["172.31.0.0/16"] }, policy: REPORT_POLICY },
  "report-route-conflict": {
    facts: { accepterTables: [accepterMain(route("10.20.0.0/16", "tgw-0a1b2c3d4e5f60001"))] },
    policy: REPORT_POLICY,
  },
  "report-awaiting-approval": {
    facts: PAYMENTS,
    expiresAt: "2026-12-07T09:00:00.000Z",
    policy: REPORT_POLICY,
  },
  "report-approved": {
    facts: { ...PAYMENTS, tags: { ...ANNOUNCED, [APPROVAL_TAG]: "approve" } },
    answeredBy: PERSON,
    policy: REPORT_POLICY,
  },
  "report-denied": {
    facts: { ...PAYMENTS, tags: { ...ANNOUNCED, [APPROVAL_TAG]: "deny" } },
    answeredBy: PERSON,
    policy: REPORT_POLICY,
  },
  // Active, its accepter route missing and a route left for a CIDR the requester gave up.
  "report-maintain": {
    facts: {
      status: "active",
      dnsResolution: { accepter: true, requester: false },
      requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
      accepterTables: [accepterMain(route("10.21.0.0/16", CONNECTION_ID))],
    },
    policy: REPORT_POLICY,
  },
  "report-cleanup": {
    facts: { status: "deleted", requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))] },
    policy: REPORT_POLICY,
  },
} satisfies Record<string, Situation>;

export type Kind = keyof typeof SITUATIONS;
export const KINDS = Object.keys(SITUATIONS) as Kind[];

export function decision(kind: Kind): Decision {
  const situation: Situation = SITUATIONS[kind];
  const base = facts(situation.facts);
  return decide(
    {
      ...base,
      connection: { ...base.connection, ...(situation.expiresAt && { expiresAt: situation.expiresAt }) },
      readAt: NOW.toISOString(),
      ...(situation.answeredBy && { answeredBy: situation.answeredBy }),
    },
    situation.policy ?? POLICY,
  );
}

/** The decision of that kind, carried out without a hitch and recorded with `notify: true`. */
export function notified(kind: Kind): NotifiedDecision {
  return notifiedRecord(decision(kind));
}

export function notifiedRecord(
  made: Decision,
  outcome: Outcome = carriedOut(made),
  error?: Error,
): NotifiedDecision {
  return NotifiedDecisionSchema.parse({ ...toDecisionRecord(made, outcome, error), notify: true });
}

/** What carrying a decision out does when every call succeeds; in report mode, nothing at all. */
export function carriedOut(made: Decision): Outcome {
  if (made.mode === "report") {
    return { connection: "unchanged", routes: [], removed: [], dns: [], tagged: false };
  }
  const routed = made.action === "accept" || made.action === "maintain";
  const result = { create: "created", present: "present", conflict: "conflicting" } as const;
  return {
    connection: made.action === "accept" ? "accepted" : made.action === "reject" ? "rejected" : "unchanged",
    routes: routed ? made.plan.map((planned) => ({ route: planned, result: result[planned.status] })) : [],
    removed: made.removals.map((removal) => ({ route: removal, result: "removed" })),
    dns: [],
    tagged: true,
  };
}
