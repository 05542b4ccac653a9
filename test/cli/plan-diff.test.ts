import { describe, expect, it } from "vitest";
import { diffPlans, formatPlanDiff, hasDifferences } from "../../bin/plan-diff";
import type { ConnectionView, PlanView, RouteView } from "../../bin/plan-view";
import type { RuleRef } from "../../shared/workflow/decision-record";

const TARGET = { account: "111111111111", region: "us-east-1" };
const SIDE = { account: "222222222222", region: "us-east-1", vpcId: "vpc-0a1b2c3d4e5f60001", cidrs: [] };

function route(routeTableId: string, destination: string, side: RouteView["side"] = "accepter"): RouteView {
  const account = side === "accepter" ? "111111111111" : "222222222222";
  return { side, account, region: "us-east-1", routeTableId, destination };
}

function connection(connectionId: string, overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    connectionId,
    target: TARGET,
    status: "active",
    action: "maintain",
    mode: "enforce",
    rule: "apps",
    effect: "none",
    requester: SIDE,
    accepter: SIDE,
    reasons: [],
    findings: [],
    createRoutes: [],
    removeRoutes: [],
    enableDns: [],
    ...overrides,
  };
}

function plan(
  connections: ConnectionView[],
  orphanRoutes: PlanView["orphanRoutes"] = { mode: "enforce", routes: [] },
) {
  const view: PlanView = {
    targets: [TARGET],
    connections,
    orphanRoutes,
    skipped: [],
    failures: [],
    // The diff reads connections and orphans only.
    totals: {
      connections: 0,
      withChanges: 0,
      routesToCreate: 0,
      routesToRemove: 0,
      dnsChanges: 0,
      rulesToOpen: 0,
      rulesToRevoke: 0,
      awaitingApproval: 0,
      reportOnly: 0,
      skipped: 0,
      failures: 0,
    },
  };
  return view;
}

const A = "pcx-0000000000000000a";
const MAIN_20 = route("rtb-main", "10.20.0.0/16");
const PRIVATE_20 = route("rtb-private", "10.20.0.0/16");
const REQUESTER_0 = route("rtb-app", "10.0.0.0/16", "requester");
const DNS = { side: "accepter" as const, account: "111111111111", region: "us-east-1" };

function sgRule(ports: string, source = "10.20.0.0/16", ruleId?: string): RuleRef {
  const where = { side: "accepter" as const, account: "111111111111", region: "us-east-1" };
  return { ...where, groupId: "sg-0payments", protocol: "tcp", ports, source, ...(ruleId && { ruleId }) };
}
const OPEN_443 = sgRule("443");
const OPEN_8443 = sgRule("8443");
const REVOKE_22 = sgRule("22", "10.20.0.0/16", "sgr-0stale");
const NO_RULES = { create: { onlyOld: [], onlyNew: [] }, revoke: { onlyOld: [], onlyNew: [] } };

describe("diffPlans, per connection", () => {
  it.each<{ name: string; old: ConnectionView[]; next: ConnectionView[]; expected: unknown }>([
    {
      name: "the same plan: no difference",
      old: [connection(A, { createRoutes: [MAIN_20] })],
      next: [connection(A, { createRoutes: [MAIN_20] })],
      expected: [],
    },
    {
      name: "a rule renamed, the same changes: no difference",
      old: [connection(A, { rule: "apps", createRoutes: [MAIN_20] })],
      next: [connection(A, { rule: "applications", createRoutes: [MAIN_20] })],
      expected: [],
    },
    {
      name: "a rejected request now accepted",
      old: [connection(A, { action: "reject", status: "pending-acceptance", rule: undefined })],
      next: [connection(A, { action: "accept", status: "pending-acceptance", createRoutes: [MAIN_20] })],
      expected: [
        {
          connectionId: A,
          old: { action: "reject", mode: "enforce" },
          new: { action: "accept", mode: "enforce", rule: "apps" },
          actionChanged: true,
          modeChanged: false,
          createRoutes: { onlyOld: [], onlyNew: [MAIN_20] },
          removeRoutes: { onlyOld: [], onlyNew: [] },
          enableDns: { onlyOld: [], onlyNew: [] },
          securityGroupRules: NO_RULES,
        },
      ],
    },
    {
      name: "an active connection's route that would now go",
      old: [connection(A)],
      next: [connection(A, { removeRoutes: [PRIVATE_20] })],
      expected: [
        expect.objectContaining({
          actionChanged: false,
          removeRoutes: { onlyOld: [], onlyNew: [PRIVATE_20] },
        }),
      ],
    },
    {
      name: "routes created by each plan and not the other, keyed by table and destination",
      old: [connection(A, { createRoutes: [MAIN_20, PRIVATE_20] })],
      next: [connection(A, { createRoutes: [MAIN_20, REQUESTER_0] })],
      expected: [
        expect.objectContaining({ createRoutes: { onlyOld: [PRIVATE_20], onlyNew: [REQUESTER_0] } }),
      ],
    },
    {
      name: "DNS resolution enabled by the new plan only",
      old: [connection(A)],
      next: [connection(A, { enableDns: [DNS] })],
      expected: [expect.objectContaining({ enableDns: { onlyOld: [], onlyNew: [DNS] } })],
    },
    {
      name: "security groups newly opened: the rules to open, nothing else",
      old: [connection(A)],
      next: [connection(A, { securityGroupRules: { create: [OPEN_443, OPEN_8443], revoke: [] } })],
      expected: [
        expect.objectContaining({
          actionChanged: false,
          modeChanged: false,
          createRoutes: { onlyOld: [], onlyNew: [] },
          securityGroupRules: {
            create: { onlyOld: [], onlyNew: [OPEN_443, OPEN_8443] },
            revoke: { onlyOld: [], onlyNew: [] },
          },
        }),
      ],
    },
    {
      name: "the ports changed: a rule opened by each plan, a stale one revoked by the new plan only",
      old: [connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [] } })],
      next: [connection(A, { securityGroupRules: { create: [OPEN_8443], revoke: [REVOKE_22] } })],
      expected: [
        expect.objectContaining({
          securityGroupRules: {
            create: { onlyOld: [OPEN_443], onlyNew: [OPEN_8443] },
            revoke: { onlyOld: [], onlyNew: [REVOKE_22] },
          },
        }),
      ],
    },
    {
      name: "rules keyed by group, traffic and source: another source is another rule",
      old: [connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [] } })],
      next: [connection(A, { securityGroupRules: { create: [sgRule("443", "10.20.8.0/22")], revoke: [] } })],
      expected: [
        expect.objectContaining({
          securityGroupRules: {
            create: { onlyOld: [OPEN_443], onlyNew: [sgRule("443", "10.20.8.0/22")] },
            revoke: { onlyOld: [], onlyNew: [] },
          },
        }),
      ],
    },
    {
      name: "the same rules in both plans: no difference",
      old: [connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [REVOKE_22] } })],
      next: [connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [REVOKE_22] } })],
      expected: [],
    },
    {
      name: "no group opened in one plan, nothing to open or revoke in the other: no difference",
      old: [connection(A)],
      next: [connection(A, { securityGroupRules: { create: [], revoke: [] } })],
      expected: [],
    },
    {
      name: "the same changes, now only reported",
      old: [connection(A, { createRoutes: [MAIN_20] })],
      next: [connection(A, { mode: "report", createRoutes: [MAIN_20] })],
      expected: [
        expect.objectContaining({
          modeChanged: true,
          actionChanged: false,
          old: { action: "maintain", mode: "enforce", rule: "apps" },
          new: { action: "maintain", mode: "report", rule: "apps" },
          createRoutes: { onlyOld: [], onlyNew: [] },
        }),
      ],
    },
    {
      name: "a connection only one plan reads (its policy names the account-region)",
      old: [],
      next: [connection(A, { action: "accept", createRoutes: [MAIN_20] })],
      expected: [
        expect.objectContaining({
          actionChanged: true,
          new: { action: "accept", mode: "enforce", rule: "apps" },
          createRoutes: { onlyOld: [], onlyNew: [MAIN_20] },
        }),
      ],
    },
  ])("$name", ({ old, next, expected }) => {
    const diff = diffPlans(plan(old), plan(next));

    expect(diff.connections).toEqual(expected);
    expect(hasDifferences(diff)).toBe((expected as unknown[]).length > 0);
  });

  it("lists the differing connections by id and counts them", () => {
    const [b, c, d] = ["pcx-0000000000000000b", "pcx-0000000000000000c", "pcx-0000000000000000d"];
    const old = plan([
      connection(d, { action: "reject" }),
      connection(c, { createRoutes: [MAIN_20] }),
      connection(b, { removeRoutes: [PRIVATE_20] }),
      connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [] } }),
    ]);
    const next = plan([
      connection(A, { securityGroupRules: { create: [OPEN_8443], revoke: [REVOKE_22] } }),
      connection(b),
      connection(c, { createRoutes: [MAIN_20], enableDns: [DNS] }),
      connection(d, { action: "accept", createRoutes: [MAIN_20, REQUESTER_0] }),
    ]);

    const diff = diffPlans(old, next);

    expect(diff.connections.map((d) => d.connectionId)).toEqual([A, b, c, d]);
    expect(diff.totals).toEqual({
      connections: 4,
      actionChanges: 1,
      modeChanges: 0,
      routesToCreateOnlyOld: 0,
      routesToCreateOnlyNew: 2,
      routesToRemoveOnlyOld: 1,
      routesToRemoveOnlyNew: 0,
      dnsOnlyOld: 0,
      dnsOnlyNew: 1,
      rulesToOpenOnlyOld: 1,
      rulesToOpenOnlyNew: 1,
      rulesToRevokeOnlyOld: 0,
      rulesToRevokeOnlyNew: 1,
      orphanRoutes: 0,
    });
  });
});

describe("diffPlans, orphan blackhole routes", () => {
  const ORPHAN = { ...route("rtb-main", "10.23.0.0/16"), connectionId: "pcx-0000000000000000e" };
  const OTHER = { ...route("rtb-private", "10.24.0.0/16"), connectionId: "pcx-0000000000000000f" };

  it.each<{ name: string; old: PlanView["orphanRoutes"]; next: PlanView["orphanRoutes"]; count: number }>([
    {
      name: "the same routes, the same mode: no difference",
      old: { mode: "enforce", routes: [ORPHAN] },
      next: { mode: "enforce", routes: [ORPHAN] },
      count: 0,
    },
    {
      name: "a route one plan finds and the other not",
      old: { mode: "enforce", routes: [ORPHAN] },
      next: { mode: "enforce", routes: [ORPHAN, OTHER] },
      count: 1,
    },
    {
      name: "the policy now in report mode: every orphan is only reported",
      old: { mode: "enforce", routes: [ORPHAN, OTHER] },
      next: { mode: "report", routes: [ORPHAN, OTHER] },
      count: 2,
    },
    {
      name: "report mode in both, with nothing found: no difference",
      old: { mode: "report", routes: [] },
      next: { mode: "enforce", routes: [] },
      count: 0,
    },
  ])("$name", ({ old, next, count }) => {
    const diff = diffPlans(plan([], old), plan([], next));

    expect(diff.totals.orphanRoutes).toBe(count);
    expect(hasDifferences(diff)).toBe(count > 0);
  });
});

describe("formatPlanDiff", () => {
  it("prints each difference on its own aligned line, saying which plan has it", () => {
    const old = plan([connection(A, { action: "reject", rule: undefined })]);
    const next = plan([
      connection(A, { action: "accept", createRoutes: [MAIN_20, REQUESTER_0], enableDns: [DNS] }),
    ]);

    const lines = formatPlanDiff(diffPlans(old, next));

    expect(lines).toEqual([
      "",
      `  ${A}  REJECT -> ACCEPT  no rule -> rule apps`,
      "    changes  create  new plan only  accepter   111111111111  us-east-1  rtb-main  10.20.0.0/16",
      "             create  new plan only  requester  222222222222  us-east-1  rtb-app   10.0.0.0/16",
      "             dns     new plan only  accepter   111111111111  us-east-1",
      "",
      "Differences:",
      "  connections                     1 (1 with another action, 0 with another mode)",
      "  routes to create                0 old plan only, 2 new plan only",
      "  routes to remove                0 old plan only, 0 new plan only",
      "  DNS changes                     0 old plan only, 1 new plan only",
      "  security-group rules to open    0 old plan only, 0 new plan only",
      "  security-group rules to revoke  0 old plan only, 0 new plan only",
      "  orphan routes                   0",
    ]);
  });

  it("prints the security-group rules each plan opens or revokes, aligned with the routes", () => {
    const old = plan([connection(A, { securityGroupRules: { create: [OPEN_443], revoke: [] } })]);
    const next = plan([
      connection(A, {
        createRoutes: [MAIN_20],
        securityGroupRules: { create: [sgRule("8000-8100")], revoke: [REVOKE_22] },
      }),
    ]);

    const lines = formatPlanDiff(diffPlans(old, next));

    expect(lines.slice(0, 6)).toEqual([
      "",
      `  ${A}  MAINTAIN  rule apps`,
      "    changes  create  new plan only  accepter  111111111111  us-east-1  rtb-main      10.20.0.0/16",
      "             open    old plan only  accepter  111111111111  us-east-1  sg-0payments  tcp           443        10.20.0.0/16",
      "             open    new plan only  accepter  111111111111  us-east-1  sg-0payments  tcp           8000-8100  10.20.0.0/16",
      "             revoke  new plan only  accepter  111111111111  us-east-1  sg-0payments  tcp           22         10.20.0.0/16  sgr-0stale",
    ]);
    expect(lines.slice(lines.indexOf("Differences:"))).toEqual(
      expect.arrayContaining([
        "  security-group rules to open    1 old plan only, 1 new plan only",
        "  security-group rules to revoke  0 old plan only, 1 new plan only",
      ]),
    );
  });

  it("says so when the plans do not differ", () => {
    const lines = formatPlanDiff(diffPlans(plan([connection(A)]), plan([connection(A)])));

    expect(lines).toContain("No differences: both policies would make the same changes.");
  });

  it("names a mode change and a connection the other plan did not read", () => {
    const b = "pcx-0000000000000000b";
    const old = plan([connection(A, { createRoutes: [MAIN_20] })]);
    const next = plan([
      connection(A, { mode: "report", createRoutes: [MAIN_20] }),
      connection(b, { action: "cleanup" }),
    ]);

    const lines = formatPlanDiff(diffPlans(old, next));

    expect(lines).toEqual(
      expect.arrayContaining([
        `  ${A}  MAINTAIN (report mode) (old plan: MAINTAIN)  rule apps`,
        "    mode     enforce (changes made) -> report (changes only reported)",
        `  ${b}  (not read) -> CLEANUP  no rule -> rule apps`,
      ]),
    );
  });
});
