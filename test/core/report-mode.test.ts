import { describe, expect, it } from "vitest";
import { changesOf, hasChanges } from "../../shared/decision/changes";
import { decide } from "../../shared/decision/decide";
import { RULE_TAG } from "../../shared/decision/decision-tags";
import { PolicySchema } from "../../shared/policy/schema";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  type FactsInput,
  facts,
  requesterMain,
  route,
} from "../helpers/facts";

const PARTNERS = {
  name: "partners",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
  dnsResolution: true,
};
const VENDOR = {
  name: "vendor",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["333333333333"], cidrs: ["10.30.0.0/16"] },
};

function policyWith(mode: unknown, ruleModes: { partners?: unknown; vendor?: unknown } = {}) {
  return PolicySchema.parse({
    version: 1,
    ...(mode !== undefined && { mode }),
    rules: [
      { ...PARTNERS, ...(ruleModes.partners !== undefined && { mode: ruleModes.partners }) },
      { ...VENDOR, ...(ruleModes.vendor !== undefined && { mode: ruleModes.vendor }) },
    ],
  });
}

// Route tables with nothing routed yet: an accepted request has routes to create on both sides.
const FRESH: FactsInput = { accepterTables: [accepterMain()], requesterTables: [requesterMain()] };
const pending = facts(FRESH);
const activeMissingRoutes = facts({ ...FRESH, status: "active" });
const activeRouted = facts({
  status: "active",
  accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
  requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))],
  dnsResolution: { requester: true, accepter: true },
});
const deadWithRoute = (tags: Record<string, string> = {}) =>
  facts({ status: "deleted", tags, accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))] });
const unmatched = facts({ ...FRESH, requesterAccount: "999999999999" });

describe("the policy's mode", () => {
  it("defaults to enforce, and a rule's mode is unset unless given", () => {
    const parsed = policyWith(undefined);
    expect(parsed.mode).toBe("enforce");
    expect(parsed.rules.map((r) => r.mode)).toEqual([undefined, undefined]);
  });

  it.each([
    ["top level", { version: 1, mode: "dry-run", rules: [] }, ["mode"]],
    ["a rule", { version: 1, rules: [{ ...PARTNERS, mode: "audit" }] }, ["rules", 0, "mode"]],
  ])("refuses anything but enforce or report at the %s", (_where, input, path) => {
    const result = PolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path, message: "must be enforce or report" }),
    ]);
  });
});

describe("which mode a decision is in", () => {
  it.each([
    // [case, policy mode, rule modes, facts, expected mode]
    ["enforce everywhere", undefined, {}, pending, "enforce"],
    ["report at the top", "report", {}, pending, "report"],
    ["the governing rule reports, the policy enforces", "enforce", { partners: "report" }, pending, "report"],
    [
      "the governing rule enforces, the policy reports",
      "report",
      { partners: "enforce" },
      pending,
      "enforce",
    ],
    ["another rule reports: this one enforces", "enforce", { vendor: "report" }, pending, "enforce"],
    [
      "an active connection follows its rule",
      "enforce",
      { partners: "report" },
      activeMissingRoutes,
      "report",
    ],
    ["no rule matches: the policy's mode", "report", { partners: "enforce" }, unmatched, "report"],
    ["no rule matches, the policy enforces", "enforce", { partners: "report" }, unmatched, "enforce"],
    [
      "a dead connection follows the rule its tag names",
      "enforce",
      { partners: "report" },
      deadWithRoute({ [RULE_TAG]: "partners" }),
      "report",
    ],
    [
      "a dead connection whose tag names no rule of the policy: the policy's mode",
      "report",
      { partners: "enforce" },
      deadWithRoute({ [RULE_TAG]: "retired" }),
      "report",
    ],
    [
      "a dead connection without tags: the policy's mode",
      "enforce",
      { partners: "report" },
      deadWithRoute(),
      "enforce",
    ],
  ] as const)("%s", (_case, mode, ruleModes, input, expected) => {
    expect(decide(input, policyWith(mode, ruleModes)).mode).toBe(expected);
  });
});

describe("a decision in report mode", () => {
  const REPORT = policyWith("report");
  const ENFORCE = policyWith("enforce");

  it.each([
    ["accept", pending],
    ["maintain", activeMissingRoutes],
    ["cleanup", deadWithRoute()],
    ["reject", unmatched],
  ])("decides %s exactly as in enforce, and only adds that it changes nothing", (action, input) => {
    const enforced = decide(input, ENFORCE);
    const reported = decide(input, REPORT);
    expect(enforced.action).toBe(action);
    const { mode, reasons, findings, ...rest } = reported;
    const { mode: _m, reasons: enforcedReasons, findings: enforcedFindings, ...enforcedRest } = enforced;
    expect(rest).toEqual(enforcedRest);
    expect(mode).toBe("report");
    const source = reported.rule ? `rule '${reported.rule}' is` : "the policy is";
    expect(reasons).toEqual([
      ...enforcedReasons,
      `${source} in report mode: this is what the service would do; nothing in AWS is changed`,
    ]);
    expect(findings).toEqual([...enforcedFindings, "report-only"]);
  });

  it("names the rule whose mode it is", () => {
    const decision = decide(pending, policyWith("enforce", { partners: "report" }));
    expect(decision.reasons.at(-1)).toBe(
      "rule 'partners' is in report mode: this is what the service would do; nothing in AWS is changed",
    );
  });

  it("that would change nothing says report mode, without the report-only finding", () => {
    const decision = decide(activeRouted, REPORT);
    expect(decision.action).toBe("maintain");
    expect(decision.findings).toEqual([]);
    expect(decision.reasons.at(-1)).toBe("rule 'partners' is in report mode: nothing in AWS is changed");
  });

  it("is in enforce mode without a word about modes when nothing says report", () => {
    const decision = decide(pending, ENFORCE);
    expect(decision.mode).toBe("enforce");
    expect(decision.reasons.join("\n")).not.toContain("report mode");
    expect(decision.findings).not.toContain("report-only");
  });
});

describe("what a decision would change", () => {
  const ENFORCE = policyWith("enforce");

  it("an accepted request: the accept, the routes to create on both sides, DNS to enable", () => {
    const changes = changesOf(decide(pending, ENFORCE));
    expect(changes.connection).toBe("accept");
    expect(changes.createRoutes.map((r) => [r.side, r.routeTableId, r.destination])).toEqual([
      ["accepter", "rtb-0accept0000000main", "10.20.0.0/16"],
      ["requester", "rtb-0request000000main", "10.0.0.0/16"],
    ]);
    expect(changes.removeRoutes).toEqual([]);
    expect(changes.enableDns.map((d) => d.side)).toEqual(["accepter", "requester"]);
    expect(hasChanges(changes)).toBe(true);
  });

  it("a rejection: the reject and its leftover routes, never a route to create", () => {
    const leftover = facts({
      requesterAccount: "999999999999",
      accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
      requesterTables: [requesterMain()],
    });
    const changes = changesOf(decide(leftover, ENFORCE));
    expect(changes.connection).toBe("reject");
    expect(changes.createRoutes).toEqual([]);
    expect(changes.removeRoutes.map((r) => r.destination)).toEqual(["10.20.0.0/16"]);
  });

  it("a maintained connection already right: nothing", () => {
    const changes = changesOf(decide(activeRouted, ENFORCE));
    expect(changes).toEqual({ createRoutes: [], removeRoutes: [], enableDns: [] });
    expect(hasChanges(changes)).toBe(false);
  });

  it("a dead connection: its routes to remove, and nothing else", () => {
    const changes = changesOf(decide(deadWithRoute(), ENFORCE));
    expect(changes.connection).toBeUndefined();
    expect(changes.createRoutes).toEqual([]);
    expect(changes.removeRoutes.map((r) => [r.side, r.destination])).toEqual([["accepter", "10.20.0.0/16"]]);
  });

  it("a request left for a person: nothing yet, though its plan says what approving would route", () => {
    const approval = PolicySchema.parse({ version: 1, rules: [{ ...PARTNERS, approval: "required" }] });
    const decision = decide(pending, approval);
    expect(decision.action).toBe("await-approval");
    expect(decision.plan.filter((r) => r.status === "create")).toHaveLength(2);
    expect(hasChanges(changesOf(decision))).toBe(false);
  });

  it("a request left for a person with a route made in advance where the rule routes nothing: not removed yet", () => {
    const approval = PolicySchema.parse({
      version: 1,
      rules: [{ ...PARTNERS, approval: "required", routes: { accepter: { tags: { peering: "partners" } } } }],
    });
    const decision = decide(
      facts({
        accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID)), accepterPartners()],
        requesterTables: [requesterMain()],
      }),
      approval,
    );
    expect(decision.action).toBe("await-approval");
    expect(decision.removals.map((r) => r.routeTableId)).toEqual(["rtb-0accept0000000main"]);
    expect(changesOf(decision)).toEqual({ createRoutes: [], removeRoutes: [], enableDns: [] });
  });

  it.each([
    ["connection", { connection: "accept" as const }],
    ["a route to create", { createRoutes: changesOf(decide(pending, ENFORCE)).createRoutes.slice(0, 1) }],
    ["a route to remove", { removeRoutes: changesOf(decide(deadWithRoute(), ENFORCE)).removeRoutes }],
    ["DNS", { enableDns: changesOf(decide(pending, ENFORCE)).enableDns }],
  ])("counts %s alone as a change", (_what, part) => {
    expect(hasChanges({ createRoutes: [], removeRoutes: [], enableDns: [], ...part })).toBe(true);
  });
});
