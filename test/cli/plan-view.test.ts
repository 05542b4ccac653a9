import { describe, expect, it } from "vitest";
import { formatPlanView, planChanges, toPlanView } from "../../bin/plan-view";
import { changesOf } from "../../shared/decision/changes";
import type { Decision } from "../../shared/decision/decision";
import type { PlannedRoute } from "../../shared/routes/plan-routes";
import type { PlannedRevoke, PlannedRule } from "../../shared/security-groups/plan-rules";
import type { PassPlan } from "../../shared/workflow/plan-pass";

const TARGET = { account: "111111111111", region: "us-east-1" };
const ACCEPTER = {
  account: "111111111111",
  region: "us-east-1",
  vpcId: "vpc-0f9e8d7c6b5a40001",
  cidrs: ["10.0.0.0/16"],
};
const REQUESTER = {
  account: "222222222222",
  region: "us-east-1",
  vpcId: "vpc-0a1b2c3d4e5f60001",
  cidrs: ["10.20.0.0/16"],
};

function planned(routeTableId: string, status: PlannedRoute["status"]): PlannedRoute {
  return { side: "accepter", ...TARGET, routeTableId, destination: "10.20.0.0/16", status };
}
const REMOVAL = {
  side: "accepter" as const,
  ...TARGET,
  routeTableId: "rtb-old",
  destination: "10.21.0.0/16",
};
/** As the pass finds orphan routes: with the connection they still name. */
const ORPHAN = { ...REMOVAL, connectionId: "pcx-0000000000000000e" };

const GROUP = { side: "accepter" as const, ...TARGET, groupId: "sg-0payments", protocol: "tcp" };
function rule(port: number, status: PlannedRule["status"]): PlannedRule {
  return { ...GROUP, fromPort: port, toPort: port, cidr: "10.20.0.0/16", status };
}
const STALE_RULE: PlannedRevoke = {
  ...GROUP,
  fromPort: 22,
  toPort: 22,
  cidr: "10.20.0.0/16",
  ruleId: "sgr-0stale",
};

function decision(connectionId: string, overrides: Partial<Decision>): Decision {
  return {
    connectionId,
    status: "active",
    action: "maintain",
    mode: "enforce",
    rule: "apps",
    reasons: ["rule 'apps' governs this connection"],
    accepter: ACCEPTER,
    requester: REQUESTER,
    plan: [],
    removals: [],
    dns: [],
    findings: [],
    unmanaged: {},
    ...overrides,
  };
}

function passPlan(decisions: Decision[], more: Partial<PassPlan> = {}): PassPlan {
  return {
    targets: [TARGET],
    connections: decisions.map((d) => ({ target: TARGET, decision: d, changes: changesOf(d) })),
    orphanRoutes: { mode: "enforce", removals: [] },
    skipped: [],
    failures: [],
    ...more,
  };
}

describe("toPlanView: what the plan does with each connection", () => {
  it.each<{ name: string; overrides: Partial<Decision>; effect: string }>([
    {
      name: "an accepted request",
      overrides: { action: "accept", status: "pending-acceptance" },
      effect: "changes",
    },
    {
      name: "a rejected request",
      overrides: { action: "reject", status: "pending-acceptance" },
      effect: "changes",
    },
    {
      name: "a connection missing a route",
      overrides: { plan: [planned("rtb-a", "create")] },
      effect: "changes",
    },
    {
      name: "a connection with every route present",
      overrides: { plan: [planned("rtb-a", "present"), planned("rtb-b", "conflict")] },
      effect: "none",
    },
    {
      name: "a dead connection's leftover route",
      overrides: { action: "cleanup", removals: [REMOVAL] },
      effect: "changes",
    },
    {
      name: "a request awaiting approval",
      overrides: { action: "await-approval" },
      effect: "awaits-approval",
    },
    {
      name: "a request awaiting approval under a report-mode rule",
      overrides: { action: "await-approval", mode: "report" },
      effect: "awaits-approval",
    },
    {
      name: "an accept in report mode",
      overrides: { action: "accept", mode: "report" },
      effect: "report-only",
    },
    {
      name: "a connection in report mode with nothing to do",
      overrides: { mode: "report", plan: [planned("rtb-a", "present")] },
      effect: "none",
    },
    { name: "a connection outside policy", overrides: { action: "ignore", rule: undefined }, effect: "none" },
    {
      name: "a connection whose only change is a security-group rule to open",
      overrides: { securityGroupRules: { plan: [rule(443, "create")], revoke: [] } },
      effect: "changes",
    },
    {
      name: "a connection whose only change is a security-group rule to revoke",
      overrides: { securityGroupRules: { plan: [rule(443, "present")], revoke: [STALE_RULE] } },
      effect: "changes",
    },
    {
      name: "a connection with every security-group rule present",
      overrides: { securityGroupRules: { plan: [rule(443, "present")], revoke: [] } },
      effect: "none",
    },
    {
      name: "a security-group rule in report mode",
      overrides: { mode: "report", securityGroupRules: { plan: [rule(443, "create")], revoke: [] } },
      effect: "report-only",
    },
  ])("$name: $effect", ({ overrides, effect }) => {
    const [view] = toPlanView(passPlan([decision("pcx-0000000000000000a", overrides)])).connections;

    expect(view?.effect).toBe(effect);
  });

  it("keeps only the routes to create and the removals a decision carries out, and DNS to enable", () => {
    const d = decision("pcx-0000000000000000a", {
      plan: [planned("rtb-a", "create"), planned("rtb-b", "present"), planned("rtb-c", "conflict")],
      removals: [REMOVAL],
      dns: [
        { side: "accepter", ...TARGET, status: "enable" },
        { side: "requester", account: "222222222222", region: "us-east-1", status: "present" },
      ],
    });

    const [view] = toPlanView(passPlan([d])).connections;

    expect(view).toMatchObject({
      createRoutes: [{ side: "accepter", ...TARGET, routeTableId: "rtb-a", destination: "10.20.0.0/16" }],
      removeRoutes: [REMOVAL],
      enableDns: [{ side: "accepter", ...TARGET }],
    });
    expect(view?.createRoutes[0]).not.toHaveProperty("status");
  });

  it("orders connections by action, accept first, then by id", () => {
    const view = toPlanView(
      passPlan([
        decision("pcx-0000000000000000c", { action: "cleanup" }),
        decision("pcx-0000000000000000b", { action: "accept" }),
        decision("pcx-0000000000000000a", { action: "cleanup" }),
        decision("pcx-0000000000000000d", { action: "reject" }),
      ]),
    );

    expect(view.connections.map((c) => [c.action, c.connectionId.slice(-1)])).toEqual([
      ["accept", "b"],
      ["reject", "d"],
      ["cleanup", "a"],
      ["cleanup", "c"],
    ]);
  });

  it("counts only what the next pass changes; report-only decisions apart", () => {
    const view = toPlanView(
      passPlan(
        [
          decision("pcx-0000000000000000a", {
            action: "accept",
            plan: [planned("rtb-a", "create"), planned("rtb-b", "create")],
          }),
          decision("pcx-0000000000000000b", { action: "cleanup", removals: [REMOVAL] }),
          decision("pcx-0000000000000000c", {
            mode: "report",
            plan: [planned("rtb-c", "create")],
            removals: [REMOVAL],
          }),
          decision("pcx-0000000000000000d", { action: "await-approval" }),
          decision("pcx-0000000000000000e", { plan: [planned("rtb-d", "present")] }),
          decision("pcx-00000000000000011", {
            securityGroupRules: {
              plan: [rule(443, "create"), rule(8443, "create"), rule(53, "present")],
              revoke: [STALE_RULE],
            },
          }),
          decision("pcx-00000000000000012", {
            mode: "report",
            securityGroupRules: { plan: [rule(443, "create")], revoke: [STALE_RULE] },
          }),
        ],
        {
          orphanRoutes: { mode: "enforce", removals: [{ ...ORPHAN, routeTableId: "rtb-orphan" }] },
          skipped: [{ ref: { connectionId: "pcx-0000000000000000f", ...TARGET }, reason: "not found" }],
          failures: [{ ...TARGET, connectionId: "pcx-00000000000000010", error: new Error("throttled") }],
        },
      ),
    );

    expect(view.totals).toEqual({
      connections: 7,
      withChanges: 3,
      routesToCreate: 2,
      routesToRemove: 2,
      dnsChanges: 0,
      rulesToOpen: 2,
      rulesToRevoke: 1,
      awaitingApproval: 1,
      reportOnly: 2,
      skipped: 1,
      failures: 1,
    });
    expect(view.skipped).toEqual([{ connectionId: "pcx-0000000000000000f", ...TARGET, reason: "not found" }]);
  });

  it("gives failures as strings, an AWS error with its code", () => {
    const aws = Object.assign(new Error("You are not authorized"), {
      name: "UnauthorizedOperation",
      $fault: "client",
    });
    const view = toPlanView(
      passPlan([], {
        failures: [
          { ...TARGET, error: aws },
          {
            account: "111111111111",
            region: "eu-west-1",
            connectionId: "pcx-0000000000000000a",
            error: new Error("socket hang up"),
          },
        ],
      }),
    );

    expect(view.failures).toEqual([
      { ...TARGET, error: "UnauthorizedOperation: You are not authorized" },
      {
        account: "111111111111",
        region: "eu-west-1",
        connectionId: "pcx-0000000000000000a",
        error: "socket hang up",
      },
    ]);
    expect(JSON.parse(JSON.stringify(view)).failures).toEqual(view.failures);
  });

  it("names the connection an orphan route still targets", () => {
    const view = toPlanView(passPlan([], { orphanRoutes: { mode: "report", removals: [ORPHAN] } }));

    expect(view.orphanRoutes).toEqual({ mode: "report", routes: [ORPHAN] });
  });
});

describe("planChanges: whether the next pass would change anything", () => {
  const orphans = (mode: "enforce" | "report") => ({ mode, removals: [ORPHAN] });
  it.each<{ name: string; plan: PassPlan; changes: boolean }>([
    { name: "nothing at all", plan: passPlan([]), changes: false },
    {
      name: "a connection with every route present",
      plan: passPlan([decision("pcx-a", {})]),
      changes: false,
    },
    {
      name: "a request awaiting approval",
      plan: passPlan([decision("pcx-a", { action: "await-approval" })]),
      changes: false,
    },
    {
      name: "only a report-mode decision that would change something",
      plan: passPlan([decision("pcx-a", { action: "accept", mode: "report" })]),
      changes: false,
    },
    { name: "a rejection", plan: passPlan([decision("pcx-a", { action: "reject" })]), changes: true },
    {
      name: "only a security-group rule to revoke",
      plan: passPlan([decision("pcx-a", { securityGroupRules: { plan: [], revoke: [STALE_RULE] } })]),
      changes: true,
    },
    {
      name: "only a security-group rule to open in report mode",
      plan: passPlan([
        decision("pcx-a", {
          mode: "report",
          securityGroupRules: { plan: [rule(443, "create")], revoke: [] },
        }),
      ]),
      changes: false,
    },
    {
      name: "an orphan route the pass removes",
      plan: passPlan([], { orphanRoutes: orphans("enforce") }),
      changes: true,
    },
    {
      name: "an orphan route only reported",
      plan: passPlan([], { orphanRoutes: orphans("report") }),
      changes: false,
    },
  ])("$name: $changes", ({ plan, changes }) => {
    expect(planChanges(toPlanView(plan))).toBe(changes);
  });
});

describe("formatPlanView", () => {
  const A = "pcx-0000000000000000a";
  const B = "pcx-0000000000000000b";
  const C = "pcx-0000000000000000c";

  it("lists the groups that change something and the requests awaiting approval, then report-only, then totals", () => {
    const view = toPlanView(
      passPlan(
        [
          decision(A, {
            action: "accept",
            status: "pending-acceptance",
            reasons: ["rule 'apps' approves it", "second reason"],
            plan: [planned("rtb-0123456789abcdef0", "create")],
            dns: [{ side: "accepter", ...TARGET, status: "enable" }],
          }),
          decision(B, {
            action: "await-approval",
            status: "pending-acceptance",
            rule: "vendors",
            reasons: ["a person answers"],
          }),
          decision(C, {
            mode: "report",
            rule: "partners",
            plan: [planned("rtb-c", "create")],
            reasons: ["in report mode"],
          }),
          decision("pcx-0000000000000000d", { plan: [planned("rtb-d", "present")] }),
        ],
        {
          orphanRoutes: {
            mode: "enforce",
            removals: [ORPHAN],
          },
        },
      ),
    );

    expect(formatPlanView(view)).toEqual([
      "",
      "ACCEPT (1 connection)",
      `  ${A}  ACCEPT  rule apps  pending-acceptance`,
      "    peers    requester 222222222222 us-east-1 vpc-0a1b2c3d4e5f60001 -> accepter 111111111111 us-east-1 vpc-0f9e8d7c6b5a40001",
      "    reasons  rule 'apps' approves it; second reason",
      "    routes   create  accepter  111111111111  us-east-1  rtb-0123456789abcdef0  10.20.0.0/16",
      "    dns      enable remote DNS resolution: accepter 111111111111 us-east-1",
      "",
      "AWAIT-APPROVAL (1 connection)",
      `  ${B}  AWAIT-APPROVAL  rule vendors  pending-acceptance`,
      "    peers    requester 222222222222 us-east-1 vpc-0a1b2c3d4e5f60001 -> accepter 111111111111 us-east-1 vpc-0f9e8d7c6b5a40001",
      "    reasons  a person answers",
      "",
      "ORPHAN BLACKHOLE ROUTES (1 route to remove: their connections are gone)",
      "    remove  accepter  111111111111  us-east-1  rtb-old  10.21.0.0/16  (to pcx-0000000000000000e)",
      "",
      "REPORT ONLY: would change if enforced (1 connection)",
      `  ${C}  MAINTAIN  rule partners  active  (report mode)`,
      "    peers    requester 222222222222 us-east-1 vpc-0a1b2c3d4e5f60001 -> accepter 111111111111 us-east-1 vpc-0f9e8d7c6b5a40001",
      "    reasons  in report mode",
      "    routes   create  accepter  111111111111  us-east-1  rtb-c  10.20.0.0/16",
      "",
      "Totals:",
      "  connections read                4",
      "  with changes                    1",
      "  routes to create                1",
      "  routes to remove                1 (1 orphan)",
      "  DNS changes                     1",
      "  security-group rules to open    0",
      "  security-group rules to revoke  0",
      "  awaiting approval               1",
      "  report-only                     1",
      "  failures                        0",
    ]);
  });

  it("lists the security-group rules to open and revoke under the routes, and counts them in the totals", () => {
    const view = toPlanView(
      passPlan([
        decision(A, {
          plan: [planned("rtb-a", "create")],
          securityGroupRules: {
            plan: [rule(443, "create"), { ...rule(8000, "create"), toPort: 8100 }, rule(53, "present")],
            revoke: [STALE_RULE],
          },
        }),
      ]),
    );

    const lines = formatPlanView(view);

    const start = lines.indexOf(`  ${A}  MAINTAIN  rule apps  active`);
    expect(lines.slice(start + 3, start + 7)).toEqual([
      "    routes   create  accepter  111111111111  us-east-1  rtb-a  10.20.0.0/16",
      "    rules    open    accepter  111111111111  us-east-1  sg-0payments  tcp  443        10.20.0.0/16",
      "             open    accepter  111111111111  us-east-1  sg-0payments  tcp  8000-8100  10.20.0.0/16",
      "             revoke  accepter  111111111111  us-east-1  sg-0payments  tcp  22         10.20.0.0/16  sgr-0stale",
    ]);
    expect(lines).toContain("  security-group rules to open    2");
    expect(lines).toContain("  security-group rules to revoke  1");
  });

  it("says there is nothing to change, and marks orphans of a report-mode policy as report only", () => {
    const view = toPlanView(
      passPlan([decision(A, {})], { orphanRoutes: { mode: "report", removals: [ORPHAN] } }),
    );

    const lines = formatPlanView(view);

    expect(lines).toContain("ORPHAN BLACKHOLE ROUTES, report only: would be removed if enforced (1 route)");
    expect(lines).toContain("No changes: a pass now would change nothing in AWS.");
    expect(lines).toContain("  routes to remove                0");
    expect(lines.some((line) => line.includes(A))).toBe(false);
  });
});
