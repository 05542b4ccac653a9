import { describe, expect, it } from "vitest";
import { ACCEPTER, REQUESTER } from "../handlers/harness";
import { addPcxRoute } from "../handlers/sweep-worlds";
import { expectOnlyReads, useLiveWorld } from "./live-world";
import { organisation, PLAN_POLICY } from "./plan-world";
import { runCli, tempFile } from "./run-cli";

const RULE = (name: string, routes: string) => `
  - name: ${name}
    accepter: { accounts: ["${ACCEPTER}"] }
    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }
    routes: ${routes}`;
const NARROW = RULE(
  "narrow",
  "{ requester: none, reach: { accepter: { cidrs: [10.0.1.0/24] }, requester: { subnets: { tags: { Tier: app } } } } }",
);
const WIDE = RULE("wide", "{ accepter: main }");

describe("check --least-access", () => {
  it("names each rule routing a whole peer VPC, lists the others, and exits 1", async () => {
    const file = tempFile("policy.yml", `version: 1\nrules:${WIDE}${NARROW}\n`);

    const result = await runCli("check", "--least-access", file);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([]);
    expect(result.out).toEqual([
      `${file}: valid, 2 rules; least access:`,
      "  WHOLE VPC     rule 'wide': accepter route tables (main) route every requester VPC CIDR (reach.requester: vpc)",
      "  WHOLE VPC     rule 'wide': requester route tables (all) route every accepter VPC CIDR (reach.accepter: vpc)",
      "  least access  rule 'narrow': accepter route tables (all) route only requester subnets tagged Tier=app; requester route tables: none",
      "  not least access: rules routing a whole peer VPC: 1 of 2",
    ]);
  });

  it("exits 0 when every rule of every file is least access", async () => {
    const narrow = tempFile("narrow.yml", `version: 1\nrules:${NARROW}\n`);
    const empty = tempFile("empty.yml", "version: 1\nrules: []\n");

    const result = await runCli("check", narrow, "--least-access", empty);

    expect(result.code).toBe(0);
    expect(result.out).toContain(`${narrow}: valid, 1 rule; least access:`);
    expect(result.out).toContain(`${empty}: valid, 0 rules; least access:`);
    expect(result.out.filter((line) => line.includes("WHOLE VPC"))).toEqual([]);
  });

  it("still fails an invalid file, reporting the valid ones", async () => {
    const narrow = tempFile("narrow.yml", `version: 1\nrules:${NARROW}\n`);
    const bad = tempFile("bad.yml", `version: 1\nrules:${RULE("bad", "{ reach: { accepter: subnets } }")}\n`);

    const result = await runCli("check", "--least-access", narrow, bad);

    expect(result.code).toBe(1);
    expect(result.out[0]).toBe(`${narrow}: valid, 1 rule; least access:`);
    expect(result.err[0]).toBe(`${bad}: invalid policy (1 problem)`);
    expect(result.err[1]).toContain("rule 'bad', field routes.reach.accepter");
  });
});

const plan = (...more: string[]) =>
  runCli("plan", "--least-access", "--policy", tempFile("policy.yml", PLAN_POLICY), ...more);
const E1 = `${ACCEPTER}  us-east-1`;
const R1 = `${REQUESTER}  us-east-1`;

/** The route lines of one connection's block, up to its totals line. */
function routeLines(out: string[], id: string): string[] {
  const start = out.findIndex((line) => line.startsWith(`  ${id}`));
  if (start < 0) throw new Error(`${id} is not listed`);
  const end = out.findIndex((line, i) => i > start && line.startsWith("    totals"));
  return out.slice(start + 2, end + 1);
}

describe("plan --least-access, with the accepter account's credentials", () => {
  const env = useLiveWorld(ACCEPTER);

  const readOnly = () => expectOnlyReads(env.world());

  it("flags every route to a connection that routes a whole peer VPC, and exits 3", async () => {
    const world = env.world();
    const { sharedMain, sharedPrivate, appMain } = env.ids();
    const ids = organisation(world, env.ids());

    const result = await plan();

    expect(result.err).toEqual([]);
    expect(result.code).toBe(3);
    expect(routeLines(result.out, ids.maintained)).toEqual([
      `    routes   accepter   ${E1}  ${sharedMain}  10.21.0.0/16  whole VPC  exists`,
      `             accepter   ${E1}  ${sharedPrivate}  10.21.0.0/16  whole VPC  exists`,
      `             requester  ${R1}  ${ids.app2Main}  10.0.0.0/16   whole VPC  create`,
      "    totals   now 2 (2 whole-VPC); after the next pass 3 (3 whole-VPC)",
    ]);
    expect(routeLines(result.out, ids.dead)).toEqual([
      `    routes   accepter  ${E1}  ${sharedMain}  10.22.0.0/16  whole VPC  remove`,
      "    totals   now 1 (1 whole-VPC); after the next pass 0 (0 whole-VPC)",
    ]);
    expect(routeLines(result.out, ids.accepted)).toEqual([
      `    routes   accepter   ${E1}  ${sharedMain}  10.20.0.0/16  whole VPC  create`,
      `             accepter   ${E1}  ${sharedPrivate}  10.20.0.0/16  whole VPC  create`,
      `             requester  ${R1}  ${appMain}  10.0.0.0/16   whole VPC  create`,
      "    totals   now 0 (0 whole-VPC); after the next pass 3 (3 whole-VPC)",
    ]);
    expect(result.out).toContain(
      `  ${ids.partnerRequest}  ACCEPT  rule partners  pending-acceptance  (report mode: the pass changes nothing)`,
    );
    expect(routeLines(result.out, ids.partnerRequest)).toEqual([
      `    routes   accepter  ${E1}  ${sharedMain}  172.20.0.0/16  whole VPC  create if enforced`,
      "    totals   now 0 (0 whole-VPC); after the next pass 0 (0 whole-VPC)",
    ]);
    expect(result.out.some((line) => line.startsWith(`  ${ids.rejected}`))).toBe(false);
    expect(result.out.slice(result.out.indexOf("Totals:"))).toEqual([
      "Totals:",
      "  connections read            5",
      "  routes now                  3",
      "    of which whole-VPC        3 (in 2 connections)",
      "  routes after the next pass  6",
      "    of which whole-VPC        6",
      "  failures                    0",
      "",
      "Not least access: 3 of 3 routes to peering connections route a whole peer VPC now.",
    ]);
    readOnly();
  });

  it("prints the report as JSON", async () => {
    const ids = organisation(env.world(), env.ids());

    const result = await plan("--json");

    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      "policy",
      "source",
      "targets",
      "connections",
      "skipped",
      "failures",
      "totals",
    ]);
    const dead = document.connections.find((c: { connectionId: string }) => c.connectionId === ids.dead);
    expect(dead).toMatchObject({
      action: "cleanup",
      mode: "enforce",
      routes: [
        {
          side: "accepter",
          destination: "10.22.0.0/16",
          wholeVpc: true,
          change: "remove",
          now: true,
          afterNextPass: false,
        },
      ],
      now: { routes: 1, wholeVpc: 1 },
      afterNextPass: { routes: 0, wholeVpc: 0 },
    });
    expect(document.totals).toEqual({
      connections: 5,
      connectionsWholeVpcNow: 2,
      routesNow: 3,
      wholeVpcNow: 3,
      routesAfterNextPass: 6,
      wholeVpcAfterNextPass: 6,
      skipped: 0,
      failures: 0,
    });
    readOnly();
  });

  it("exits 0 when every route now is narrower than the peer VPC, even if the pass would widen it", async () => {
    const world = env.world();
    const { shared, sharedMain, app, appMain } = env.ids();
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    addPcxRoute(world, sharedMain, "10.20.1.0/24", active);
    addPcxRoute(world, appMain, "10.0.1.0/24", active);

    const result = await plan();

    expect(result.code).toBe(0);
    const now = routeLines(result.out, active).filter(
      (line) => line.includes("exists") || line.includes("remove"),
    );
    expect(now).toEqual([
      `    routes   accepter   ${E1}  ${sharedMain}  10.20.1.0/24  narrow     remove`,
      `             requester  ${R1}  ${appMain}  10.0.1.0/24   narrow     remove`,
    ]);
    expect(result.out).toContain("    of which whole-VPC        0 (in 0 connections)");
    expect(result.out.at(-1)).toBe(
      "Least access: no route to a peering connection routes a whole peer VPC now.",
    );
    readOnly();
  });

  it("shows whole-VPC routes now that a rule with explicit reach narrows in the next pass", async () => {
    const world = env.world();
    const { shared, sharedMain, sharedPrivate, app, appMain } = env.ids();
    const active = world.addPeering({ requesterVpcId: app, accepterVpcId: shared, status: "active" });
    for (const table of [sharedMain, sharedPrivate]) addPcxRoute(world, table, "10.20.0.0/16", active);
    addPcxRoute(world, appMain, "10.0.0.0/16", active);
    const apps = `    requester: { accounts: ["${REQUESTER}"], cidrs: ["10.16.0.0/12"] }\n`;
    const reach =
      "    routes: { reach: { accepter: { cidrs: [10.0.1.0/24] }, requester: { cidrs: [10.20.1.0/24] } } }\n";
    const narrowed = PLAN_POLICY.replace(apps, `${apps}${reach}`);
    expect(narrowed).not.toBe(PLAN_POLICY);

    const result = await runCli(
      "plan",
      "--least-access",
      "--policy",
      tempFile("policy.yml", narrowed),
      "--json",
    );

    expect(result.code).toBe(3);
    const [connection] = JSON.parse(result.stdout).connections;
    const rows = connection.routes.map(
      (r: { routeTableId: string; destination: string; wholeVpc: boolean; change: string }) =>
        `${r.routeTableId} ${r.destination} ${r.wholeVpc ? "whole" : "narrow"} ${r.change}`,
    );
    expect(rows.sort()).toEqual(
      [
        `${sharedMain} 10.20.0.0/16 whole remove`,
        `${sharedPrivate} 10.20.0.0/16 whole remove`,
        `${appMain} 10.0.0.0/16 whole remove`,
        `${sharedMain} 10.20.1.0/24 narrow create`,
        `${sharedPrivate} 10.20.1.0/24 narrow create`,
        `${appMain} 10.0.1.0/24 narrow create`,
      ].sort(),
    );
    expect(connection.now).toEqual({ routes: 3, wholeVpc: 3 });
    expect(connection.afterNextPass).toEqual({ routes: 3, wholeVpc: 0 });
    readOnly();
  });

  it("exits 1, after the report, when an account-region could not be read", async () => {
    const world = env.world();
    organisation(world, env.ids());
    world.addVpc({ ownerId: ACCEPTER, region: "eu-west-1", cidrs: ["10.1.0.0/16"] });
    world.failNext({
      operation: "DescribeVpcPeeringConnections",
      region: "eu-west-1",
      error: "UnauthorizedOperation",
      times: Number.POSITIVE_INFINITY,
    });
    const twoRegions = PLAN_POLICY.replace(
      'regions: ["us-east-1"], vpcs',
      'regions: ["us-east-1", "eu-west-1"], vpcs',
    );

    const result = await runCli("plan", "--least-access", "--policy", tempFile("policy.yml", twoRegions));

    expect(result.code).toBe(1);
    expect(result.out).toContain("  failures                    1");
    expect(result.err).toEqual([
      expect.stringMatching(
        new RegExp(`^error: account ${ACCEPTER} region eu-west-1 could not be read: .*UnauthorizedOperation`),
      ),
    ]);
  });

  it.each([
    {
      name: "--diff",
      more: ["--diff", "old.yml", "new.yml"],
      error: "--least-access reports one plan, not a --diff",
    },
    {
      name: "--format",
      more: ["--format", "mermaid"],
      error: "--least-access prints a report (or --json), not a --format",
    },
  ])("refuses $name as a usage error (exit 1), making no AWS call", async ({ more, error }) => {
    const result = await runCli("plan", "--least-access", ...more);

    expect(result.code).toBe(1);
    expect(result.err[0]).toBe(`error: ${error}`);
    expect(env.world().calls).toEqual([]);
  });
});
