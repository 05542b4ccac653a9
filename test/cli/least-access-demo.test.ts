import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AccessReport, AccessRoute } from "../../bin/least-access-plan";
import { demoWorld } from "../../demo/world";
import { installModel, requestPeering } from "../../model";
import {
  ACCEPTER,
  type Handler,
  type HandlerName,
  importHandlers,
  lambdaContext,
  SCHEDULED_EVENT,
} from "../handlers/harness";
import { runCli, SHIPPED_POLICY } from "./run-cli";

type Demo = ReturnType<typeof demoWorld>;
const ENV_KEYS = ["POLICY_PATH", "WAIT_MIN_DELAY_SECONDS", "POWERTOOLS_METRICS_DISABLED"];

/**
 * The demo's organisation and the shipped policy the demo runs with, the real handlers deciding its
 * requests; then the least-access reports over the policy and over what the handlers made of it.
 */
function useDemo() {
  let demo: Demo | undefined;
  let handlers: Record<HandlerName, Handler> | undefined;
  let restore = () => {};
  const saved: Record<string, string | undefined> = {};
  beforeEach(async () => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.POLICY_PATH = SHIPPED_POLICY;
    process.env.WAIT_MIN_DELAY_SECONDS = "0.01";
    // The functions print their metrics as JSON lines: noise here.
    process.env.POWERTOOLS_METRICS_DISABLED = "true";
    demo = demoWorld();
    restore = installModel(demo.world).restore;
    vi.resetModules();
    handlers = await importHandlers();
  });
  afterEach(() => {
    restore();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  const must = <T>(value: T | undefined): T => value ?? expect.fail("only inside a test");
  return {
    demo: () => must(demo),
    /** A request from `requester` to the shared-services VPC, decided by the request handler. */
    request: async (requester: string) => {
      const { world, shared } = must(demo);
      const { connectionId, event } = requestPeering(world, {
        requesterVpcId: requester,
        accepterVpcId: shared,
      });
      await must(handlers)["on-peering-request"](event, lambdaContext(ACCEPTER));
      return connectionId;
    },
    reconcile: () => must(handlers).reconcile(SCHEDULED_EVENT, lambdaContext(ACCEPTER)),
  };
}

const leastAccessPlan = (...more: string[]) =>
  runCli("plan", "--least-access", "--policy", SHIPPED_POLICY, ...more);

function connection(report: AccessReport, id: string) {
  return report.connections.find((c) => c.connectionId === id) ?? expect.fail(`${id} is not reported`);
}

/** A side's routes as `destination whole-VPC|narrow` lines, sorted. */
const flagged = (routes: AccessRoute[], side: AccessRoute["side"]) =>
  routes
    .filter((route) => route.side === side)
    .map((route) => `${route.destination} ${route.wholeVpc ? "whole VPC" : "narrow"}`)
    .sort();

/** The blocks of a VPC's subnets tagged Tier=`tier`, as many times as the peer has route tables. */
function taggedBlocks(demo: Demo, vpcId: string, tier: string, tables: number): string[] {
  const blocks = demo.world
    .subnetsOfVpc(vpcId)
    .filter((subnet) => subnet.tags.Tier === tier)
    .map((subnet) => `${subnet.cidr} narrow`);
  return Array.from({ length: tables }, () => blocks)
    .flat()
    .sort();
}

describe("the least-access report on the demo world", () => {
  const env = useDemo();

  it("flags the narrow rule's routes narrow and the whole-VPC rules' whole VPC, and exits 3", async () => {
    const demo = env.demo();
    const { world, shared, payments, orders, dataLake } = demo;
    const wide = await env.request(payments);
    const narrow = await env.request(orders);
    const trial = await env.request(dataLake);
    expect([wide, narrow].map((id) => world.peering(id).status.code)).toEqual(["active", "active"]);

    const result = await leastAccessPlan("--json");

    expect(result.err).toEqual([]);
    expect(result.code).toBe(3);
    const report: AccessReport = JSON.parse(result.stdout);
    const sharedTables = world.routeTablesOfVpc(shared).length;
    const narrowRoutes = connection(report, narrow);
    expect(narrowRoutes).toMatchObject({ action: "maintain", rule: "orders-to-shared-data" });
    // The shared-services tables route only the orders app subnets; the orders table only the data ones.
    expect(flagged(narrowRoutes.routes, "accepter")).toEqual(taggedBlocks(demo, orders, "app", sharedTables));
    expect(flagged(narrowRoutes.routes, "requester")).toEqual(taggedBlocks(demo, shared, "data", 1));
    expect(narrowRoutes.now).toEqual({ routes: 2 * sharedTables + 2, wholeVpc: 0 });
    const wideRoutes = connection(report, wide);
    expect(wideRoutes.rule).toBe("payments-to-shared");
    expect(flagged(wideRoutes.routes, "accepter")).toEqual(
      Array.from({ length: sharedTables }, () => ["10.24.0.0/16 whole VPC", "fd00:16:24::/48 whole VPC"])
        .flat()
        .sort(),
    );
    expect(flagged(wideRoutes.routes, "requester")).toEqual(["10.0.0.0/16 whole VPC"]);
    expect(wideRoutes.now).toEqual({ routes: 2 * sharedTables + 1, wholeVpc: 2 * sharedTables + 1 });
    // In report mode nothing is routed: whole-VPC routes it would create, none now.
    const trialRoutes = connection(report, trial);
    expect(trialRoutes.mode).toBe("report");
    expect(trialRoutes.routes.every((route) => route.wholeVpc && !route.now)).toBe(true);
    expect(trialRoutes.now).toEqual({ routes: 0, wholeVpc: 0 });
    expect(report.totals).toMatchObject({
      connectionsWholeVpcNow: 1,
      routesNow: narrowRoutes.now.routes + wideRoutes.now.routes,
      wholeVpcNow: wideRoutes.now.wholeVpc,
      failures: 0,
    });

    const text = await leastAccessPlan();
    expect(text.code).toBe(3);
    expect(text.out.at(-1)).toBe(
      `Not least access: ${wideRoutes.now.routes} of ${report.totals.routesNow} routes to peering connections route a whole peer VPC now.`,
    );
  });

  it("exits 0 once the whole-VPC connection is deleted and cleaned up, only the narrow routes left", async () => {
    const { world, payments, orders } = env.demo();
    const wide = await env.request(payments);
    const narrow = await env.request(orders);
    world.setPeeringStatus(wide, "deleted");
    await env.reconcile();

    const result = await leastAccessPlan("--json");

    expect(result.code).toBe(0);
    const report: AccessReport = JSON.parse(result.stdout);
    expect(connection(report, narrow).now.wholeVpc).toBe(0);
    expect(report.totals).toMatchObject({ routesNow: connection(report, narrow).now.routes, wholeVpcNow: 0 });
    expect((await leastAccessPlan()).out.at(-1)).toBe(
      "Least access: no route to a peering connection routes a whole peer VPC now.",
    );
  });
});

describe("check --least-access on the policy the demo uses", () => {
  it("lists 'orders-to-shared-data' as least access and every other rule as routing a whole VPC, exiting 1", async () => {
    const result = await runCli("check", "--least-access", SHIPPED_POLICY);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([]);
    const rules = (flag: string) =>
      result.out.flatMap((line) => new RegExp(`^  ${flag} +rule '([^']+)'`).exec(line)?.[1] ?? []);
    expect(rules("least access")).toEqual(["orders-to-shared-data"]);
    expect([...new Set(rules("WHOLE VPC"))]).toEqual([
      "payments-to-shared",
      "partner-analytics",
      "vendor-onboarding",
      "data-platform-trial",
    ]);
    expect(result.out.at(-1)).toBe("  not least access: rules routing a whole peer VPC: 4 of 5");
  });
});
