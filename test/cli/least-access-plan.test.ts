import { describe, expect, it } from "vitest";
import {
  type AccessReport,
  accessExitCode,
  accessReport,
  formatAccessReport,
  LEAST_ACCESS_EXIT,
} from "../../bin/least-access-plan";
import { changesOf } from "../../shared/decision/changes";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import type { PlannedRoute } from "../../shared/routes/plan-routes";
import type { PassPlan } from "../../shared/workflow/plan-pass";
import {
  ACCEPTER,
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  type FactsInput,
  facts,
  named,
  OTHER_PCX,
  policy,
  REQUESTER,
  requesterMain,
  route,
} from "../helpers/facts";

const TARGET = { account: ACCEPTER.account, region: ACCEPTER.region };
const APPS = {
  name: "apps",
  accepter: { accounts: [ACCEPTER.account] },
  requester: { accounts: [REQUESTER.account], cidrs: ["10.16.0.0/12"] },
};

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

const decided = (input: FactsInput, rule: Record<string, unknown> = APPS) =>
  decide(facts(input), policy([rule]));

/** Each route of the one connection as `table destination change now after whole`. */
function rows(report: AccessReport): string[] {
  return (report.connections[0]?.routes ?? []).map(
    (r) =>
      `${r.routeTableId} ${r.destination} ${r.change} ${r.now ? "now" : "-"} ${r.afterNextPass ? "after" : "-"} ${r.wholeVpc ? "whole" : "narrow"}`,
  );
}

const toPcx = (destination: string) => route(destination, CONNECTION_ID);
const [A_MAIN, A_PARTNERS, R_MAIN] = [accepterMain().id, accepterPartners().id, requesterMain().id];

describe("accessReport over decisions decided today (every reach vpc)", () => {
  it.each(
    named([
      {
        name: "a request to accept: nothing now, every table routes the peer's whole VPC after the pass",
        input: {},
        now: [0, 0],
        after: [3, 3],
        routes: [
          `${A_MAIN} 10.20.0.0/16 create - after whole`,
          `${A_PARTNERS} 10.20.0.0/16 create - after whole`,
          `${R_MAIN} 10.0.0.0/16 create - after whole`,
        ],
      },
      {
        name: "an active connection with every route present: whole VPC now and after",
        input: {
          status: "active",
          accepterTables: [accepterMain(toPcx("10.20.0.0/16")), accepterPartners(toPcx("10.20.0.0/16"))],
          requesterTables: [requesterMain(toPcx("10.0.0.0/16"))],
        },
        now: [3, 3],
        after: [3, 3],
        routes: [
          `${A_MAIN} 10.20.0.0/16 none now after whole`,
          `${A_PARTNERS} 10.20.0.0/16 none now after whole`,
          `${R_MAIN} 10.0.0.0/16 none now after whole`,
        ],
      },
      {
        name: "a narrow route the pass replaces with the whole VPC",
        input: {
          status: "active",
          accepterTables: [accepterMain(toPcx("10.20.1.0/24"))],
          requesterTables: [requesterMain(toPcx("10.0.0.0/16"))],
        },
        now: [2, 1],
        after: [2, 2],
        routes: [
          `${R_MAIN} 10.0.0.0/16 none now after whole`,
          `${A_MAIN} 10.20.1.0/24 remove now - narrow`,
          `${A_MAIN} 10.20.0.0/16 create - after whole`,
        ],
      },
      {
        name: "a route broader than the peer VPC counts as whole VPC",
        input: {
          status: "active",
          accepterTables: [accepterMain(toPcx("10.16.0.0/12"), toPcx("10.20.0.0/16"))],
          requesterTables: [requesterMain(toPcx("10.0.0.0/16"))],
        },
        now: [3, 3],
        after: [2, 2],
        routes: [
          `${A_MAIN} 10.20.0.0/16 none now after whole`,
          `${R_MAIN} 10.0.0.0/16 none now after whole`,
          `${A_MAIN} 10.16.0.0/12 remove now - whole`,
        ],
      },
      {
        name: "a dead connection's leftover route: whole VPC now, gone after the pass",
        input: { status: "rejected", accepterTables: [accepterMain(toPcx("10.20.0.0/16"))] },
        now: [1, 1],
        after: [0, 0],
        routes: [`${A_MAIN} 10.20.0.0/16 remove now - whole`],
      },
      {
        name: "a route to another connection in the way is not a route to this one",
        input: {
          status: "active",
          accepterTables: [accepterMain(route("10.20.0.0/16", OTHER_PCX))],
          requesterTables: [requesterMain(toPcx("10.0.0.0/16"))],
        },
        now: [1, 1],
        after: [1, 1],
        routes: [`${R_MAIN} 10.0.0.0/16 none now after whole`],
      },
    ]),
  )("%s", (_, { input, now, after, routes }) => {
    const report = accessReport(passPlan([decided(input)]));

    expect(rows(report)).toEqual(routes);
    const [connection] = report.connections;
    expect(connection?.now).toEqual({ routes: now[0], wholeVpc: now[1] });
    expect(connection?.afterNextPass).toEqual({ routes: after[0], wholeVpc: after[1] });
  });

  it("in report mode the pass changes nothing: after the pass is now", () => {
    const input = { status: "active", accepterTables: [accepterMain(toPcx("10.20.1.0/24"))] };
    const report = accessReport(passPlan([decided(input, { ...APPS, mode: "report" })]));

    expect(rows(report)).toEqual([
      `${A_MAIN} 10.20.1.0/24 remove now after narrow`,
      `${A_MAIN} 10.20.0.0/16 create - - whole`,
      `${R_MAIN} 10.0.0.0/16 create - - whole`,
    ]);
    expect(report.connections[0]?.afterNextPass).toEqual({ routes: 1, wholeVpc: 0 });
    expect(accessExitCode(report)).toBe(LEAST_ACCESS_EXIT.leastAccess);
  });
});

const PEERS = {
  accepter: { ...ACCEPTER, cidrs: ["10.0.0.0/16", "fd00:a::/56"] },
  requester: { ...REQUESTER, cidrs: ["10.20.0.0/16", "10.30.0.0/16"] },
};

/** A decision built by hand: the routes a narrowed reach plans, whatever `decide` does with reach today. */
function maintained(routes: [PlannedRoute["side"], string, PlannedRoute["status"]][]): Decision {
  return {
    connectionId: CONNECTION_ID,
    status: "active",
    action: "maintain",
    mode: "enforce",
    rule: "apps",
    reasons: [],
    ...PEERS,
    plan: routes.map(([side, destination, status]) => ({
      side,
      account: PEERS[side].account,
      region: PEERS[side].region,
      routeTableId: side === "accepter" ? A_MAIN : R_MAIN,
      destination,
      status,
    })),
    removals: [],
    dns: [],
    findings: [],
    unmanaged: {},
  };
}

describe("accessReport: which destination is a whole peer VPC", () => {
  it.each(
    named([
      {
        name: "the accepter's tables: a requester VPC CIDR",
        side: "accepter",
        destination: "10.30.0.0/16",
        whole: true,
      },
      {
        name: "the accepter's tables: a requester subnet",
        side: "accepter",
        destination: "10.20.4.0/22",
        whole: false,
      },
      {
        name: "the accepter's tables: its own CIDR is not the peer's",
        side: "accepter",
        destination: "10.0.0.0/16",
        whole: false,
      },
      {
        name: "the requester's tables: an accepter VPC CIDR",
        side: "requester",
        destination: "10.0.0.0/16",
        whole: true,
      },
      {
        name: "the requester's tables: an IPv6 VPC CIDR spelled otherwise",
        side: "requester",
        destination: "fd00:000a::/56",
        whole: true,
      },
      {
        name: "the requester's tables: an IPv6 subnet",
        side: "requester",
        destination: "fd00:a:0:1::/64",
        whole: false,
      },
      {
        name: "the requester's tables: a block holding the accepter VPC",
        side: "requester",
        destination: "10.0.0.0/8",
        whole: true,
      },
    ] as const),
  )("%s", (_, { side, destination, whole }) => {
    const report = accessReport(passPlan([maintained([[side, destination, "present"]])]));

    expect(report.connections[0]?.routes.map((r) => r.wholeVpc)).toEqual([whole]);
    expect(report.totals.wholeVpcNow).toBe(whole ? 1 : 0);
    expect(accessExitCode(report)).toBe(whole ? LEAST_ACCESS_EXIT.wholeVpc : LEAST_ACCESS_EXIT.leastAccess);
  });

  it("counts narrow routes present and to create, and leaves conflicts out", () => {
    const decision = maintained([
      ["accepter", "10.20.1.0/24", "present"],
      ["accepter", "10.30.1.0/24", "create"],
      ["requester", "10.0.5.0/24", "conflict"],
    ]);

    const report = accessReport(passPlan([decision]));

    expect(report.connections[0]).toMatchObject({
      now: { routes: 1, wholeVpc: 0 },
      afterNextPass: { routes: 2, wholeVpc: 0 },
    });
    expect(report.connections[0]?.routes.map((r) => r.destination)).toEqual(["10.20.1.0/24", "10.30.1.0/24"]);
  });

  it("keeps an ignored connection's routes, which the pass does not remove", () => {
    const ignored: Decision = {
      ...maintained([]),
      action: "ignore",
      removals: [{ side: "accepter", ...TARGET, routeTableId: A_MAIN, destination: "10.20.0.0/16" }],
    };

    const [connection] = accessReport(passPlan([ignored])).connections;

    expect(connection?.routes).toEqual([
      expect.objectContaining({
        destination: "10.20.0.0/16",
        change: "none",
        now: true,
        afterNextPass: true,
      }),
    ]);
  });
});

describe("accessReport totals, exit code and text", () => {
  const whole = maintained([
    ["accepter", "10.20.0.0/16", "present"],
    ["requester", "10.0.0.0/16", "create"],
  ]);
  const narrow = { ...maintained([["accepter", "10.20.1.0/24", "present"]]), connectionId: OTHER_PCX };
  const rejected: Decision = { ...maintained([]), connectionId: "pcx-0bbbbbbbbbbbbbbbb", action: "reject" };

  it("sums every connection decided, sorted by id", () => {
    const report = accessReport(passPlan([whole, rejected, narrow]));

    expect(report.connections.map((c) => c.connectionId)).toEqual([
      CONNECTION_ID,
      OTHER_PCX,
      rejected.connectionId,
    ]);
    expect(report.totals).toEqual({
      connections: 3,
      connectionsWholeVpcNow: 1,
      routesNow: 2,
      wholeVpcNow: 1,
      routesAfterNextPass: 3,
      wholeVpcAfterNextPass: 2,
      skipped: 0,
      failures: 0,
    });
    expect(accessExitCode(report)).toBe(LEAST_ACCESS_EXIT.wholeVpc);
  });

  it("exits 1 when anything could not be read, whatever the routes", () => {
    const failures = [{ ...TARGET, region: "eu-west-1", error: new Error("UnauthorizedOperation") }];

    const report = accessReport(passPlan([narrow], { failures }));

    expect(report.failures).toEqual([{ ...TARGET, region: "eu-west-1", error: "UnauthorizedOperation" }]);
    expect(accessExitCode(report)).toBe(LEAST_ACCESS_EXIT.failed);
  });

  it("exits 0 when only the next pass would create whole-VPC routes", () => {
    const toCreate = maintained([["requester", "10.0.0.0/16", "create"]]);

    expect(accessExitCode(accessReport(passPlan([toCreate])))).toBe(LEAST_ACCESS_EXIT.leastAccess);
  });

  it("prints the connections with routes, each flagged, then totals and the verdict", () => {
    const lines = formatAccessReport(accessReport(passPlan([whole, rejected, narrow])));

    expect(lines).toEqual([
      "Routes to peering connections, flagged whole VPC when the destination is a peer VPC CIDR (or holds one)",
      "",
      `  ${CONNECTION_ID}  MAINTAIN  rule apps  active`,
      `    peers    requester ${REQUESTER.account} us-east-1 ${REQUESTER.vpcId} -> accepter ${ACCEPTER.account} us-east-1 ${ACCEPTER.vpcId}`,
      `    routes   accepter   ${ACCEPTER.account}  us-east-1  ${A_MAIN}  10.20.0.0/16  whole VPC  exists`,
      `             requester  ${REQUESTER.account}  us-east-1  ${R_MAIN}  10.0.0.0/16   whole VPC  create`,
      "    totals   now 1 (1 whole-VPC); after the next pass 2 (2 whole-VPC)",
      "",
      `  ${OTHER_PCX}  MAINTAIN  rule apps  active`,
      expect.stringMatching(/^ {4}peers {4}requester /),
      `    routes   accepter  ${ACCEPTER.account}  us-east-1  ${A_MAIN}  10.20.1.0/24  narrow  exists`,
      "    totals   now 1 (0 whole-VPC); after the next pass 1 (0 whole-VPC)",
      "",
      "Totals:",
      "  connections read            3",
      "  routes now                  2",
      "    of which whole-VPC        1 (in 1 connection)",
      "  routes after the next pass  3",
      "    of which whole-VPC        2",
      "  failures                    0",
      "",
      "Not least access: 1 of 2 routes to peering connections route a whole peer VPC now.",
    ]);
  });

  it("marks report mode and says when nothing routes a whole VPC now", () => {
    const report = accessReport(
      passPlan([{ ...maintained([["accepter", "10.20.0.0/16", "create"]]), mode: "report" }]),
    );

    const lines = formatAccessReport(report);

    expect(lines).toContain(
      `  ${CONNECTION_ID}  MAINTAIN  rule apps  active  (report mode: the pass changes nothing)`,
    );
    expect(lines).toContain(
      `    routes   accepter  ${ACCEPTER.account}  us-east-1  ${A_MAIN}  10.20.0.0/16  whole VPC  create if enforced`,
    );
    expect(lines.at(-1)).toBe("Least access: no route to a peering connection routes a whole peer VPC now.");
  });
});
