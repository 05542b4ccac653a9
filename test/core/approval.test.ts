import { describe, expect, it } from "vitest";
import { readApprovalTag } from "../../shared/decision/approval-tag";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import { decisionTags, TAG_PREFIX } from "../../shared/decision/decision-tags";
import { timeLeft } from "../../shared/decision/expiry";
import { PolicySchema } from "../../shared/policy/schema";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  type FactsInput,
  facts,
  named,
  policy,
  requesterMain,
  route,
} from "../helpers/facts";

const RULES = [
  {
    name: "vendor",
    approval: "required",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    routes: { accepter: { tags: { peering: "partners" } }, requester: "none" },
    dnsResolution: true,
  },
  {
    name: "open",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["444444444444"], cidrs: ["10.44.0.0/16"] },
  },
];
const POLICY = policy(RULES);
const IGNORING = policy(RULES, "ignore");

const PERSON = "arn:aws:sts::111111111111:assumed-role/network-approvers/alice";
const PARKED = { [`${TAG_PREFIX}decision`]: "await-approval", [`${TAG_PREFIX}rule`]: "vendor" };
const A_MAIN = accepterMain().id;
const A_PARTNERS = accepterPartners().id;
const NOW = new Date("2026-12-01T10:00:00.000Z");

const planOf = (d: Decision) => d.plan.map((p) => `${p.side} ${p.routeTableId} ${p.destination} ${p.status}`);
const approved = (input: FactsInput = {}) =>
  facts({ ...input, tags: { ...PARKED, "peering-approval": "approve", ...input.tags } });

describe("the peering-approval tag", () => {
  it.each([
    [undefined, { kind: "none" }],
    ["approve", { kind: "approve" }],
    ["  APPROVE ", { kind: "approve" }],
    ["Deny", { kind: "deny" }],
    ["\tdeny\n", { kind: "deny" }],
    ["maybe", { kind: "unclear", value: "maybe" }],
    ["approved", { kind: "unclear", value: "approved" }],
    ["", { kind: "unclear", value: "" }],
  ])("%j reads as %j", (value, answer) => {
    expect(readApprovalTag(value === undefined ? {} : { "peering-approval": value })).toEqual(answer);
  });

  it("is read under its own key only, not the service's prefix", () => {
    expect(readApprovalTag({ [`${TAG_PREFIX}approval`]: "approve", "Peering-Approval": "approve" })).toEqual({
      kind: "none",
    });
  });
});

describe("decide: a rule that asks a person", () => {
  it("parks a request it approves: pending, the rule's plan, how to answer, announced", () => {
    const decision = decide(facts(), POLICY);
    expect(decision.action).toBe("await-approval");
    expect(decision.rule).toBe("vendor");
    expect(decision.findings).toEqual(["awaiting-approval"]);
    expect(planOf(decision)).toEqual([`accepter ${A_PARTNERS} 10.20.0.0/16 create`]);
    expect(decision.reasons[0]).toMatch(/^rule 'vendor' approves requester 222222222222 .*asks a person/);
    expect(decision.reasons[1]).toBe(
      `to answer, tag ${CONNECTION_ID} in account 111111111111 region us-east-1 with peering-approval=approve or peering-approval=deny`,
    );
    expect(decision.approval).toBeUndefined();
  });

  it("announces a parked request once: the tags then say it is parked by this rule", () => {
    expect(decide(facts({ tags: PARKED }), POLICY)).toMatchObject({ action: "await-approval", findings: [] });
    const otherRule = { ...PARKED, [`${TAG_PREFIX}rule`]: "an-older-rule" };
    expect(decide(facts({ tags: otherRule }), POLICY).findings).toEqual(["awaiting-approval"]);
    const ruleOnly = { [`${TAG_PREFIX}rule`]: "vendor" };
    expect(decide(facts({ tags: ruleOnly }), POLICY).findings).toEqual(["awaiting-approval"]);
  });

  it("accepts an approved request with the rule's routes and DNS, naming who approved", () => {
    const decision = decide(approved({ answeredBy: PERSON }), POLICY);
    expect(decision.action).toBe("accept");
    expect(decision.rule).toBe("vendor");
    expect(decision.approval).toEqual({ answer: "approve", by: PERSON });
    expect(decision.findings).toEqual(["approved"]);
    expect(decision.reasons[0]).toBe(`approved by ${PERSON}`);
    expect(decision.reasons[1]).toMatch(/^rule 'vendor' approves requester/);
    expect(planOf(decision)).toEqual([`accepter ${A_PARTNERS} 10.20.0.0/16 create`]);
    expect(decision.dns.map((d) => `${d.side} ${d.status}`)).toEqual(["accepter enable", "requester enable"]);
  });

  it("says 'approved by tag' when no event named who set the tag (the reconciler found it)", () => {
    const decision = decide(approved(), POLICY);
    expect(decision.approval).toEqual({ answer: "approve", by: "tag" });
    expect(decision.reasons[0]).toBe("approved by tag");
  });

  it("rejects a denied request, naming who denied it", () => {
    const decision = decide(
      facts({ tags: { ...PARKED, "peering-approval": " DENY " }, answeredBy: PERSON }),
      POLICY,
    );
    expect(decision.action).toBe("reject");
    expect(decision.rule).toBe("vendor");
    expect(decision.approval).toEqual({ answer: "deny", by: PERSON });
    expect(decision.findings).toEqual(["rejected", "denied"]);
    expect(decision.reasons).toEqual([
      `denied by ${PERSON}`,
      "rule 'vendor' asks a person to approve this request",
    ]);
    expect(decision.plan).toEqual([]);
  });

  it("a denied request's routes made in advance go, as for any rejection", () => {
    const advance = accepterMain(route("10.20.0.0/16", CONNECTION_ID, "blackhole"));
    const decision = decide(
      facts({ tags: { "peering-approval": "deny" }, accepterTables: [advance, accepterPartners()] }),
      POLICY,
    );
    expect(decision.removals.map((r) => `${r.routeTableId} ${r.destination}`)).toEqual([
      `${A_MAIN} 10.20.0.0/16`,
    ]);
  });

  it("keeps a request parked when the tag is neither approve nor deny, and says so", () => {
    const decision = decide(facts({ tags: { ...PARKED, "peering-approval": "yes please" } }), POLICY);
    expect(decision.action).toBe("await-approval");
    expect(decision.findings).toEqual(["approval-not-understood"]);
    expect(decision.reasons).toContain(
      "peering-approval is 'yes please', which is neither approve nor deny: nothing changes",
    );
  });

  it.each(
    named<{ name: string; input: FactsInput; reason: RegExp }>([
      {
        name: "the requester's CIDR now overlaps the accepter's",
        input: { accepterCidrs: ["10.0.0.0/16", "10.20.128.0/17"] },
        reason: /requester CIDR 10\.20\.0\.0\/16 overlaps accepter CIDR 10\.20\.128\.0\/17/,
      },
      {
        name: "no requester CIDR can be read any more",
        input: { requesterCidrs: [] },
        reason: /no requester CIDR could be read/,
      },
      {
        name: "a route in the way on the accepter's side",
        input: { accepterTables: [accepterMain(), accepterPartners(route("10.20.0.0/16", "tgw-0a"))] },
        reason: /conflicts with existing route 10\.20\.0\.0\/16 -> tgw-0a/,
      },
    ]),
  )("does not accept an approved request when %s", (_, { input, reason }) => {
    const decision = decide(approved({ ...input, answeredBy: PERSON }), POLICY);
    expect(decision.action).toBe("reject");
    expect(decision.approval).toBeUndefined();
    expect(decision.reasons).toContainEqual(expect.stringMatching(reason));
    expect(decision.reasons).toContain("the approval is not carried out: the request is rejected");
  });

  it("does not accept an approved request whose CIDRs no approval rule holds any more", () => {
    const changed = { requesterCidrs: ["10.20.0.0/16", "10.99.0.0/16"], answeredBy: PERSON };
    const rejecting = decide(approved(changed), POLICY);
    expect(rejecting.action).toBe("reject");
    expect(rejecting.reasons).toContain(
      "rule 'vendor': requester CIDR 10.99.0.0/16 is not inside 10.20.0.0/16",
    );
    expect(rejecting.reasons).toContain("the approval is not carried out: the request is rejected");
    const ignoring = decide(approved(changed), IGNORING);
    expect(ignoring.action).toBe("ignore");
    expect(ignoring.findings).toEqual(["outside-policy", "approval-not-applicable"]);
    expect(ignoring.reasons).toContain(
      "the peering-approval tag changes nothing: no rule that asks for approval matches the request",
    );
  });

  it("reports an answer on a request a rule approves without asking, and accepts it as that rule says", () => {
    const decision = decide(
      facts({
        requesterAccount: "444444444444",
        requesterCidrs: ["10.44.0.0/16"],
        tags: { "peering-approval": "deny" },
      }),
      POLICY,
    );
    expect(decision.action).toBe("accept");
    expect(decision.rule).toBe("open");
    expect(decision.approval).toBeUndefined();
    expect(decision.findings).toEqual(["approval-not-applicable"]);
    expect(decision.reasons).toContain(
      "the peering-approval tag changes nothing: rule 'open' approves the request without asking a person",
    );
  });

  it.each(["active", "rejected", "deleted", "provisioning"])(
    "reports a tag event on a %s connection and changes nothing for it",
    (status) => {
      const input = { status, tags: { ...PARKED, "peering-approval": "approve" } };
      const quiet = decide(facts(input), POLICY);
      const tagged = decide(facts({ ...input, answeredBy: PERSON }), POLICY);
      expect(tagged.action).toBe(quiet.action);
      expect(tagged.plan).toEqual(quiet.plan);
      expect(tagged.approval).toBeUndefined();
      expect(tagged.findings).toEqual([...quiet.findings, "approval-not-applicable"]);
      expect(tagged.reasons.at(-1)).toBe(
        `the peering-approval tag changes nothing: the connection is ${status}`,
      );
    },
  );

  it.each([
    ["active", "approve", "approved-by"],
    ["provisioning", "approve", "approved-by"],
    ["rejected", "deny", "denied-by"],
  ])(
    "reports nothing for a late tag event on a %s connection its answer (%s) was carried out for",
    (status, answer, key) => {
      const tags = { "peering-approval": answer, [`${TAG_PREFIX}${key}`]: "tag" };
      const decision = decide(facts({ status, tags, answeredBy: PERSON }), POLICY);
      expect(decision.findings).not.toContain("approval-not-applicable");
      const other = {
        "peering-approval": answer === "approve" ? "deny" : "approve",
        [`${TAG_PREFIX}${key}`]: "tag",
      };
      expect(decide(facts({ status, tags: other, answeredBy: PERSON }), POLICY).findings).toContain(
        "approval-not-applicable",
      );
    },
  );

  it("maintains an approved, active connection by the rule that asked, without asking again", () => {
    const decision = decide(facts({ status: "active", tags: { "peering-approval": "approve" } }), POLICY);
    expect(decision.action).toBe("maintain");
    expect(decision.rule).toBe("vendor");
    expect(decision.findings).toEqual([]);
  });
});

describe("decide: requests left pending expire, and people hear of it first", () => {
  const EXPIRES = "2026-12-02T09:00:00.000Z";
  const at = (readAt: string, input: FactsInput = {}) => facts({ expiresAt: EXPIRES, readAt, ...input });

  it.each(
    named<{ name: string; readAt: string; input?: FactsInput; policy?: typeof POLICY; expiring: boolean }>([
      { name: "parked, 23 h left", readAt: "2026-12-01T10:00:00.000Z", expiring: true },
      { name: "parked, 1 min left", readAt: "2026-12-02T08:59:00.000Z", expiring: true },
      { name: "parked, exactly 24 h left", readAt: "2026-12-01T09:00:00.000Z", expiring: false },
      { name: "parked, 3 days left", readAt: "2026-11-29T09:00:00.000Z", expiring: false },
      {
        name: "parked and announced already",
        readAt: "2026-12-01T10:00:00.000Z",
        input: { tags: { ...PARKED, [`${TAG_PREFIX}expiry-announced`]: "2026-12-01T09:30:00.000Z" } },
        expiring: false,
      },
      {
        name: "left pending by unmatched: ignore",
        readAt: "2026-12-01T10:00:00.000Z",
        input: { requesterAccount: "999999999999" },
        policy: IGNORING,
        expiring: true,
      },
      {
        name: "accepted (no approval asked)",
        readAt: "2026-12-01T10:00:00.000Z",
        input: { requesterAccount: "444444444444", requesterCidrs: ["10.44.0.0/16"] },
        expiring: false,
      },
      {
        name: "rejected outside policy",
        readAt: "2026-12-01T10:00:00.000Z",
        input: { requesterAccount: "999999999999" },
        expiring: false,
      },
    ]),
  )("%s", (_, row) => {
    const decision = decide(at(row.readAt, row.input), row.policy ?? POLICY);
    expect(decision.expiresAt).toBe(EXPIRES);
    expect(decision.findings.includes("expiring-soon")).toBe(row.expiring);
  });

  it("says when it expires and how long is left", () => {
    const decision = decide(at("2026-12-01T10:00:00.000Z", { tags: PARKED }), POLICY);
    expect(decision.findings).toEqual(["expiring-soon"]);
    expect(decision.reasons.at(-1)).toBe(
      `the request expires at ${EXPIRES} (23 h 0 min left) unless it is answered`,
    );
  });

  it("judges nothing without the time the facts were read", () => {
    expect(decide(facts({ expiresAt: EXPIRES }), POLICY).findings).toEqual(["awaiting-approval"]);
  });

  it.each(
    named<{ name: string; tags: Record<string, string>; expired: boolean }>([
      { name: "parked for approval", tags: PARKED, expired: true },
      { name: "announced as expiring", tags: { [`${TAG_PREFIX}expiry-announced`]: EXPIRES }, expired: true },
      {
        name: "recorded as expired already",
        tags: { ...PARKED, [`${TAG_PREFIX}decision`]: "expired", [`${TAG_PREFIX}expiry-announced`]: EXPIRES },
        expired: false,
      },
      { name: "never parked nor announced", tags: {}, expired: false },
    ]),
  )("an expired request %s", (_, { tags, expired }) => {
    const decision = decide(facts({ status: "expired", tags }), POLICY);
    expect(decision.findings).toEqual(expired ? ["expired"] : []);
    expect(decision.reasons.includes("the request expired while it was waiting for a person")).toBe(expired);
  });

  it.each(["rejected", "deleted", "failed"])("a parked request that ended %s did not expire", (status) => {
    const tags = { ...PARKED, [`${TAG_PREFIX}expiry-announced`]: EXPIRES };
    expect(decide(facts({ status, tags }), POLICY).findings).toEqual([]);
  });

  it("an expired request's leftover routes still go", () => {
    const advance = accepterMain(route("10.20.0.0/16", CONNECTION_ID, "blackhole"));
    const decision = decide(
      facts({
        status: "expired",
        tags: PARKED,
        accepterTables: [advance, accepterPartners()],
        requesterTables: [requesterMain()],
      }),
      POLICY,
    );
    expect(decision.action).toBe("cleanup");
    expect(decision.findings).toEqual(["expired"]);
  });

  it.each([
    [23 * 3_600_000 + 59 * 60_000, "23 h 59 min left"],
    [3 * 86_400_000 + 5 * 3_600_000, "3 d 5 h left"],
    [59_999, "0 h 0 min left"],
    [0, "expired"],
    [-1, "expired"],
  ])("%d ms reads as %s", (ms, text) => {
    expect(timeLeft(ms)).toBe(text);
  });
});

describe("the tags that record an answer and what was announced", () => {
  const tagsOf = (input: FactsInput, current: Record<string, string> = {}) =>
    decisionTags(decide(facts(input), POLICY), current, NOW);
  const at = NOW.toISOString();

  it("records a parked request, once", () => {
    expect(tagsOf({})).toEqual({ ...PARKED, [`${TAG_PREFIX}decided-at`]: at });
    expect(tagsOf({ tags: PARKED }, PARKED)).toEqual({});
  });

  it("records who approved or denied", () => {
    expect(tagsOf({ tags: { "peering-approval": "approve" }, answeredBy: PERSON })).toEqual({
      [`${TAG_PREFIX}decision`]: "accept",
      [`${TAG_PREFIX}rule`]: "vendor",
      [`${TAG_PREFIX}approved-by`]: PERSON,
      [`${TAG_PREFIX}decided-at`]: at,
    });
    expect(tagsOf({ tags: { "peering-approval": "deny" } })).toEqual({
      [`${TAG_PREFIX}decision`]: "reject",
      [`${TAG_PREFIX}rule`]: "vendor",
      [`${TAG_PREFIX}denied-by`]: "tag",
      [`${TAG_PREFIX}decided-at`]: at,
    });
  });

  it("cuts a principal longer than a tag value holds to its 256 characters", () => {
    const long = `arn:aws:sts::111111111111:assumed-role/${"r".repeat(300)}`;
    const tags = tagsOf({ tags: { "peering-approval": "approve" }, answeredBy: long });
    expect(tags[`${TAG_PREFIX}approved-by`]).toBe(long.slice(0, 256));
  });

  it("remembers that expiry was announced, without deciding again", () => {
    const input = { tags: PARKED, expiresAt: "2026-12-02T09:00:00.000Z", readAt: at };
    expect(tagsOf(input, PARKED)).toEqual({ [`${TAG_PREFIX}expiry-announced`]: at });
  });

  it("records an expiry once", () => {
    expect(tagsOf({ status: "expired", tags: PARKED }, PARKED)).toEqual({
      [`${TAG_PREFIX}decision`]: "expired",
      [`${TAG_PREFIX}decided-at`]: at,
    });
    const recorded = { ...PARKED, [`${TAG_PREFIX}decision`]: "expired" };
    expect(tagsOf({ status: "expired", tags: recorded }, recorded)).toEqual({});
  });
});

describe("the policy's approval field", () => {
  const withApproval = (approval: unknown) =>
    PolicySchema.safeParse({ version: 1, rules: [{ ...RULES[0], approval }] });

  it("takes 'required', and leaving it out asks nobody", () => {
    expect(withApproval("required").data?.rules[0]?.approval).toBe("required");
    expect(PolicySchema.parse({ version: 1, rules: [RULES[1]] }).rules[0]?.approval).toBeUndefined();
  });

  it.each(["yes", true, "Required", "none"])("refuses %j with a message that says what it takes", (value) => {
    const result = withApproval(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["rules", 0, "approval"],
      message: "must be 'required' (or left out)",
    });
  });
});
