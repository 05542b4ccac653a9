import { expect } from "vitest";
import { type Fault, peeringCallEvent, type World } from "../../model";
import { ACCEPTER, type FunctionName, REQUESTER } from "../handlers/harness";
import type { sharedServices } from "../handlers/worlds";
import type { Attempt } from "./delivery";
import type { ScenarioConnection } from "./desired-state";

/**
 * Fault-injection scenarios, one row each. Every scenario starts from the shared-services world
 * (test/handlers/worlds.ts) with three requests unless it says otherwise: `app` (same region, approved),
 * `appEu` (inter-region, secondary and IPv6 CIDRs, approved) and `outside` (a CIDR outside the
 * allowlist, rejected). Unless a scenario lists its own steps, each request's CreateVpcPeeringConnection
 * event is delivered (with Lambda's retries), then the reconciler runs once.
 *
 * aws-sdk-client-mock replaces `send`, so the SDK's own retries (adaptive, 5 attempts) do not run here:
 * every injected failure reaches the service as a call that failed for good, as if the SDK had used up
 * its attempts. The function's retries by Lambda and the reconciler must absorb them.
 */

export type RequestName = "app" | "appEu" | "outside";
export type WorldIds = ReturnType<typeof sharedServices> & { outside: string };

export interface ScenarioContext {
  world: World;
  ids: WorldIds;
  requests: Record<RequestName, { connectionId: string; event: unknown }>;
}

type EventOf = (ctx: ScenarioContext) => unknown;

/** Events about one connection; several are delivered at the same time, each in its own container. */
type DeliverStep = {
  kind: "deliver";
  label: string;
  connection: RequestName;
  events: { fn: FunctionName; event: EventOf }[];
};

export type Step =
  | DeliverStep
  | { kind: "reconcile"; label: string }
  | { kind: "change"; label: string; apply: (ctx: ScenarioContext) => void }
  /** A checkpoint before the scenario goes beyond the retry budget: nothing wrong has been done so far. */
  | { kind: "assert-safe"; label: string };

export interface Scenario {
  name: string;
  topic: string;
  /** `central`: the function runs in a central account and assumes a role into the accepter's too. */
  service?: "central";
  requests?: RequestName[];
  setup?: (ctx: ScenarioContext) => void;
  steps?: Step[];
  /** What people did to a connection outside the service (for the oracle). */
  outside?: Partial<Record<RequestName, ScenarioConnection["outside"]>>;
  decidedBeforeDeletion?: RequestName[];
  /** Attempt outcomes per delivery step label: pins the story, and proves each fault was hit. */
  outcomes?: Record<string, Attempt["outcome"][]>;
  /** Why this scenario needs a second reconciler pass once its fault is over. */
  beyondBudget?: string;
  /** Scenario-specific assertions after the run. */
  verify?: (ctx: ScenarioContext, run: ScenarioRunView) => void;
  /** Known defects of the service this scenario exposes (see knownDefects in faults.test.ts). */
  defects?: Defect[];
}

export type Defect = "rejection-not-announced";

/** What `verify` may look at. */
export interface ScenarioRunView {
  deliveries: Record<string, { attempts: Attempt[] }[]>;
  records(message: string): Record<string, unknown>[];
}

// --- steps ------------------------------------------------------------------------------------

type Delivered = DeliverStep["events"][number];

const createEvent = (name: RequestName): Delivered => ({
  fn: "on-peering-request",
  event: (ctx) => ctx.requests[name].event,
});

/** Accept or Delete, as CloudTrail records it in the account that made the call (us-east-1). */
const callEvent = (
  eventName: "AcceptVpcPeeringConnection" | "DeleteVpcPeeringConnection",
  name: RequestName,
  account: string,
): Delivered => ({
  fn: "on-peering-change",
  event: (ctx) =>
    peeringCallEvent(eventName, {
      connectionId: ctx.requests[name].connectionId,
      account,
      region: "us-east-1",
    }),
});

const deliverStep = (label: string, name: RequestName, events: Delivered[]): DeliverStep => ({
  kind: "deliver",
  label,
  connection: name,
  events,
});

export const create = (name: RequestName, label = `Create ${name}`) =>
  deliverStep(label, name, [createEvent(name)]);

/** The same event delivered twice at the same time (EventBridge delivers at least once). */
const createTwiceAtOnce = (name: RequestName) =>
  deliverStep(`Create ${name} twice at once`, name, [createEvent(name), createEvent(name)]);

const accepted = (name: RequestName) =>
  deliverStep(`Accept ${name}`, name, [callEvent("AcceptVpcPeeringConnection", name, ACCEPTER)]);
const deleted = (name: RequestName) =>
  deliverStep(`Delete ${name}`, name, [callEvent("DeleteVpcPeeringConnection", name, REQUESTER)]);

const reconcile = (label = "reconcile"): Step => ({ kind: "reconcile", label });
const world = (label: string, apply: (ctx: ScenarioContext) => void): Step => ({
  kind: "change",
  label,
  apply,
});
const assertSafe: Step = { kind: "assert-safe", label: "nothing wrong done so far" };

const ALL: RequestName[] = ["app", "appEu", "outside"];
export const defaultSteps = (requests: RequestName[]): Step[] => [
  ...requests.map((r) => create(r)),
  reconcile(),
];

const fail = (fault: Fault) => (ctx: ScenarioContext) => ctx.world.failNext(fault);
const deleteByRequester = (name: RequestName) => (ctx: ScenarioContext) =>
  ctx.world.setPeeringStatus(ctx.requests[name].connectionId, "deleted", `Deleted by ${REQUESTER}`);

const F = "failed" as const;
const S = "succeeded" as const;
const C = "crashed" as const;

// --- the table --------------------------------------------------------------------------------

const throttling: Scenario[] = [
  {
    name: "RequestLimitExceeded ×1 on DescribeVpcPeeringConnections",
    topic: "throttling",
    setup: fail({ operation: "DescribeVpcPeeringConnections", error: "RequestLimitExceeded" }),
    outcomes: { "Create app": [F, S], "Create appEu": [S], "Create outside": [S] },
  },
  {
    name: "RequestLimitExceeded ×3 on DescribeVpcPeeringConnections: every attempt of one event fails, the reconciler decides it",
    topic: "throttling",
    setup: fail({ operation: "DescribeVpcPeeringConnections", error: "RequestLimitExceeded", times: 3 }),
    outcomes: { "Create app": [F, F, F], "Create appEu": [S] },
  },
  {
    name: "RequestLimitExceeded ×10 on DescribeVpcPeeringConnections: outlasts every attempt and a reconciler pass",
    topic: "throttling",
    setup: fail({ operation: "DescribeVpcPeeringConnections", error: "RequestLimitExceeded", times: 10 }),
    steps: [...defaultSteps(ALL), assertSafe, reconcile("reconcile after the burst")],
    outcomes: { "Create app": [F, F, F], "Create appEu": [F, F, F], "Create outside": [F, F, F] },
    beyondBudget:
      "3 events × 3 attempts + the reconciler's listing consume all 10 failures; under the SDK's retries (5 attempts) far fewer calls would fail",
  },
  {
    name: "RequestLimitExceeded ×1 on AcceptVpcPeeringConnection",
    topic: "throttling",
    setup: fail({ operation: "AcceptVpcPeeringConnection", error: "RequestLimitExceeded" }),
    outcomes: { "Create app": [F, S], "Create appEu": [S] },
  },
  {
    name: "RequestLimitExceeded ×3 on AcceptVpcPeeringConnection: one event goes to the DLQ, the reconciler accepts it",
    topic: "throttling",
    setup: fail({ operation: "AcceptVpcPeeringConnection", error: "RequestLimitExceeded", times: 3 }),
    outcomes: { "Create app": [F, F, F], "Create appEu": [S] },
  },
  {
    name: "RequestLimitExceeded ×10 on AcceptVpcPeeringConnection: outlasts every attempt and a reconciler pass",
    topic: "throttling",
    setup: fail({ operation: "AcceptVpcPeeringConnection", error: "RequestLimitExceeded", times: 10 }),
    steps: [
      ...defaultSteps(ALL),
      assertSafe,
      world("the throttling burst ends", (ctx) => ctx.world.clearFaults()),
      reconcile("reconcile after the burst"),
    ],
    outcomes: { "Create app": [F, F, F], "Create appEu": [F, F, F], "Create outside": [S] },
    beyondBudget: "2 approved events × 3 attempts + 2 accepts in the first pass use 8 of the 10 failures",
  },
  {
    name: "RequestLimitExceeded ×1 on CreateRoute",
    topic: "throttling",
    setup: fail({ operation: "CreateRoute", error: "RequestLimitExceeded" }),
    outcomes: { "Create app": [F, S], "Create appEu": [S] },
  },
  {
    name: "RequestLimitExceeded ×3 on CreateRoute: every route of the first attempt",
    topic: "throttling",
    setup: fail({ operation: "CreateRoute", error: "RequestLimitExceeded", times: 3 }),
    outcomes: { "Create app": [F, S], "Create appEu": [S] },
  },
  {
    name: "RequestLimitExceeded ×10 on CreateRoute: one event to the DLQ, the next retried, the reconciler completes",
    topic: "throttling",
    setup: fail({ operation: "CreateRoute", error: "RequestLimitExceeded", times: 10 }),
    outcomes: { "Create app": [F, F, F], "Create appEu": [F, S] },
  },
];

const serverAndNetwork: Scenario[] = [
  {
    name: "InternalError on DescribeVpcPeeringConnections",
    topic: "5xx and network",
    setup: fail({ operation: "DescribeVpcPeeringConnections", error: "InternalError" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "TimeoutError (no response) on DescribeRouteTables of the requester side",
    topic: "5xx and network",
    setup: fail({ operation: "DescribeRouteTables", account: REQUESTER, error: "TimeoutError" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "ServiceUnavailable on AcceptVpcPeeringConnection",
    topic: "5xx and network",
    setup: fail({ operation: "AcceptVpcPeeringConnection", error: "ServiceUnavailable" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "ECONNRESET on AcceptVpcPeeringConnection after it took effect (response lost)",
    topic: "5xx and network",
    setup: fail({ operation: "AcceptVpcPeeringConnection", error: "ECONNRESET", afterEffect: true }),
    outcomes: { "Create app": [F, S] },
    verify: (_ctx, run) => retryRoutes(run, "Create app"),
  },
  {
    name: "InternalError on CreateRoute in the requester account",
    topic: "5xx and network",
    setup: fail({ operation: "CreateRoute", account: REQUESTER, error: "InternalError" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "TimeoutError on CreateRoute after it took effect (response lost)",
    topic: "5xx and network",
    setup: fail({ operation: "CreateRoute", account: ACCEPTER, error: "TimeoutError", afterEffect: true }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "ServiceUnavailable on CreateTags after an accept",
    topic: "5xx and network",
    setup: fail({ operation: "CreateTags", error: "ServiceUnavailable" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "ServiceUnavailable on RejectVpcPeeringConnection",
    topic: "5xx and network",
    requests: ["outside", "app"],
    setup: fail({ operation: "RejectVpcPeeringConnection", error: "ServiceUnavailable" }),
    outcomes: { "Create outside": [F, S], "Create app": [S] },
  },
  {
    name: "InternalError on CreateTags after a rejection",
    topic: "5xx and network",
    requests: ["outside", "app"],
    setup: fail({ operation: "CreateTags", error: "InternalError" }),
    outcomes: { "Create outside": [F, S], "Create app": [S] },
  },
  {
    name: "ServiceUnavailable on DeleteRoute while cleaning up after the requester deleted the connection",
    topic: "5xx and network",
    requests: ["app"],
    steps: [
      create("app"),
      world("the requester deletes the connection; DeleteRoute will fail once", (ctx) => {
        deleteByRequester("app")(ctx);
        ctx.world.failNext({ operation: "DeleteRoute", account: ACCEPTER, error: "ServiceUnavailable" });
      }),
      deleted("app"),
      reconcile(),
    ],
    outside: { app: "deleted" },
    decidedBeforeDeletion: ["app"],
    outcomes: { "Create app": [S], "Delete app": [F, S] },
  },
  {
    name: "ServiceUnavailable on PutEvents when a rejection is announced",
    topic: "5xx and network",
    requests: ["outside", "app"],
    setup: fail({ operation: "PutEvents", error: "ServiceUnavailable" }),
    outcomes: { "Create outside": [F, S], "Create app": [S] },
    defects: ["rejection-not-announced"],
  },
];

const sts: Scenario[] = [
  {
    name: "AssumeRole into the requester account denied: the accepter side is completed, the requester side reported unmanaged",
    topic: "STS",
    requests: ["app", "outside"],
    setup: (ctx) => ctx.world.addAccount(REQUESTER, { role: false }),
    outcomes: { "Create app": [S], "Create outside": [S] },
    verify: (ctx, run) => {
      const [decision] = decisionsAbout(run, ctx.requests.app.connectionId);
      expect(decision?.unmanaged).toEqual({ requester: expect.stringContaining("AccessDenied") });
    },
  },
  {
    name: "AssumeRole into the requester account fails once (ServiceUnavailable): Lambda's retry completes both sides",
    topic: "STS",
    setup: fail({ operation: "AssumeRole", roleAccount: REQUESTER, error: "ServiceUnavailable" }),
    outcomes: { "Create app": [F, S] },
    verify: (ctx, run) => {
      // A transient failure is not a missing role: the attempt fails (logged), and the retry routes both sides.
      const decisions = decisionsAbout(run, ctx.requests.app.connectionId);
      expect(decisions[0]).toMatchObject({ action: "accept", unmanaged: {} });
    },
  },
  {
    name: "AssumeRole into the accepter account fails once (InternalError), from a central account",
    topic: "STS",
    service: "central",
    setup: fail({ operation: "AssumeRole", roleAccount: ACCEPTER, error: "InternalError" }),
    outcomes: { "Create app": [F, S] },
  },
  {
    name: "AssumeRole into the accepter account times out (network) for every attempt of one event, from a central account",
    topic: "STS",
    service: "central",
    setup: fail({ operation: "AssumeRole", roleAccount: ACCEPTER, error: "TimeoutError", times: 3 }),
    outcomes: { "Create app": [F, F, F], "Create appEu": [S] },
  },
];

const waits: Scenario[] = [
  {
    name: "connection not visible for the first 2 describes (within the visibility wait)",
    topic: "eventual consistency",
    setup: (ctx) => {
      ctx.world.peering(ctx.requests.app.connectionId).hiddenForDescribes = 2;
    },
    outcomes: { "Create app": [S] },
  },
  {
    name: "connection not visible for 2 minutes (beyond the visibility wait): the event leaves it, the reconciler decides it",
    topic: "eventual consistency",
    setup: (ctx) => {
      ctx.world.peering(ctx.requests.app.connectionId).visibleFrom = new Date(
        ctx.world.now().getTime() + 120_000,
      );
    },
    outcomes: { "Create app": [S] },
    verify: (ctx, run) => {
      const left = run.records("connection left alone");
      expect(left.map((r) => r.connectionId)).toEqual([ctx.requests.app.connectionId]);
    },
  },
  {
    name: "connection provisioning for 30 s after the accept (beyond the activation wait): Lambda's retry routes it",
    topic: "eventual consistency",
    requests: ["app"],
    setup: (ctx) => {
      ctx.world.options.activationDelayMs = 30_000;
    },
    outcomes: { "Create app": [F, S] },
    verify: (_ctx, run) => {
      const [first] = decisionsOf(run, "Create app");
      expect(first).toMatchObject({ action: "accept", error: { name: "ActivationTimeoutError" } });
      retryRoutes(run, "Create app");
    },
  },
  {
    name: "connection provisioning for 90 s after the accept (beyond the first retry too): the reconciler routes it",
    topic: "eventual consistency",
    requests: ["app"],
    setup: (ctx) => {
      ctx.world.options.activationDelayMs = 90_000;
    },
    outcomes: { "Create app": [F, S] },
    verify: (_ctx, run) => {
      const [, retry] = decisionsOf(run, "Create app");
      // The retry finds it still provisioning, leaves it and succeeds; the reconciler routes it later.
      expect(retry).toMatchObject({ action: "ignore", status: "provisioning" });
    },
  },
  {
    name: "RouteLimitExceeded in one full route table: everything else converges, the record names that route",
    topic: "route limit",
    setup: (ctx) => {
      const { world: w, ids } = ctx;
      w.options.routeLimit = 5;
      for (let i = 1; i <= 4; i++) {
        w.routeTable(ids.sharedPrivate).routes.push({
          destination: `172.31.${i}.0/24`,
          target: { transitGatewayId: "tgw-0aaaabbbbccccdddd" },
          state: "active",
          origin: "CreateRoute",
        });
      }
    },
    outcomes: { "Create app": [F, F, F], "Create appEu": [F, F, F], "Create outside": [S] },
  },
];

const crashes: Scenario[] = [
  {
    name: "crash after AcceptVpcPeeringConnection, before routing",
    topic: "crash",
    setup: (ctx) => {
      ctx.world.crashAfter({ operation: "AcceptVpcPeeringConnection" });
      // The retry still finds it provisioning for a few describes, and must wait for it.
      ctx.world.options.describesUntilActive = 2;
    },
    outcomes: { "Create app": [C, S] },
    verify: (_ctx, run) => retryRoutes(run, "Create app"),
  },
  {
    name: "crash after the accepter side's routes, before the requester side's",
    topic: "crash",
    // The accepter VPC has two route tables: the crash follows its second route.
    setup: (ctx) => ctx.world.crashAfter({ operation: "CreateRoute", account: ACCEPTER, times: 2 }),
    outcomes: { "Create app": [C, S] },
    verify: (ctx) => {
      const routed = callsUntilCrash(ctx).filter((c) => c.operation === "CreateRoute");
      expect(routed.map((c) => c.account)).toEqual([ACCEPTER, ACCEPTER]);
    },
  },
  {
    name: "crash after routing both sides, before tagging",
    topic: "crash",
    setup: (ctx) => ctx.world.crashAfter({ operation: "CreateRoute", times: 3 }),
    outcomes: { "Create app": [C, S] },
    verify: (ctx) => {
      const made = callsUntilCrash(ctx).map((c) => c.operation);
      expect(made.filter((op) => op === "CreateRoute")).toHaveLength(3);
      expect(made).not.toContain("CreateTags");
    },
  },
  {
    name: "crash after RejectVpcPeeringConnection, before tagging",
    topic: "crash",
    requests: ["outside", "app"],
    setup: (ctx) => ctx.world.crashAfter({ operation: "RejectVpcPeeringConnection" }),
    outcomes: { "Create outside": [C, S], "Create app": [S] },
    defects: ["rejection-not-announced"],
  },
];

const order: Scenario[] = [
  {
    name: "Create event delivered twice, one after the other",
    topic: "delivery order",
    steps: [
      create("app"),
      create("app", "Create app again"),
      create("appEu"),
      create("outside"),
      create("outside", "Create outside again"),
      reconcile(),
    ],
    outcomes: { "Create app": [S], "Create app again": [S], "Create outside again": [S] },
  },
  {
    name: "Create event delivered twice at the same time, in two containers",
    topic: "delivery order",
    steps: [createTwiceAtOnce("app"), createTwiceAtOnce("outside"), reconcile()],
  },
  {
    name: "Create events delivered late, after the reconciler decided the requests",
    topic: "delivery order",
    steps: [reconcile(), ...ALL.map((r) => create(r))],
    outcomes: { "Create app": [S], "Create appEu": [S], "Create outside": [S] },
  },
  {
    name: "Delete event delivered twice at the same time, after the connection was routed",
    topic: "delivery order",
    requests: ["app"],
    steps: [
      create("app"),
      world("the requester deletes the connection", deleteByRequester("app")),
      deliverStep("Delete app twice at once", "app", [
        callEvent("DeleteVpcPeeringConnection", "app", REQUESTER),
        callEvent("DeleteVpcPeeringConnection", "app", REQUESTER),
      ]),
      reconcile(),
    ],
    outside: { app: "deleted" },
    decidedBeforeDeletion: ["app"],
    verify: (ctx, run) => {
      // Both remove the same routes; the one that finds a route gone (InvalidRoute.NotFound) counts it done.
      expect(outcomesOf(run, "Delete app twice at once")).toEqual([[S], [S]]);
      expect(failedCalls(ctx, "DeleteRoute", "InvalidRoute.NotFound")).not.toHaveLength(0);
    },
  },
  {
    name: "Delete event before the Create event: the requester withdrew the request before anything ran",
    topic: "delivery order",
    setup: deleteByRequester("app"),
    steps: [deleted("app"), ...defaultSteps(ALL)],
    outside: { app: "deleted" },
    outcomes: { "Delete app": [S], "Create app": [S] },
  },
  {
    name: "Delete event before the late Create event, after the reconciler had routed the connection",
    topic: "delivery order",
    steps: [
      reconcile(),
      world("the requester deletes the connection", deleteByRequester("app")),
      deleted("app"),
      ...ALL.map((r) => create(r)),
    ],
    outside: { app: "deleted" },
    decidedBeforeDeletion: ["app"],
    outcomes: { "Delete app": [S], "Create app": [S] },
  },
  {
    name: "Accept event and late Create event at the same time, for a request a person accepted by hand",
    topic: "delivery order",
    setup: (ctx) => ctx.world.setPeeringStatus(ctx.requests.app.connectionId, "active"),
    steps: [
      deliverStep("Accept and Create app at once", "app", [
        callEvent("AcceptVpcPeeringConnection", "app", ACCEPTER),
        createEvent("app"),
      ]),
      ...defaultSteps(["appEu", "outside"]),
    ],
    outside: { app: "accepted" },
    verify: (ctx, run) => {
      // Both plan the same routes; the one that finds them created meanwhile (RouteAlreadyExists) counts them present.
      expect(outcomesOf(run, "Accept and Create app at once")).toEqual([[S], [S]]);
      expect(failedCalls(ctx, "CreateRoute", "RouteAlreadyExists")).not.toHaveLength(0);
    },
  },
  {
    name: "Accept event before the Create event: a person accepted the request by hand",
    topic: "delivery order",
    setup: (ctx) => ctx.world.setPeeringStatus(ctx.requests.app.connectionId, "active"),
    steps: [accepted("app"), ...defaultSteps(ALL)],
    outside: { app: "accepted" },
    outcomes: { "Accept app": [S], "Create app": [S] },
  },
];

const recovery: Scenario[] = [
  {
    name: "InternalError reading the route tables of one region in a reconciler pass (events lost): the connection routed there waits for its late event",
    topic: "recovery",
    setup: fail({ operation: "DescribeRouteTables", region: "eu-west-1", error: "InternalError" }),
    steps: [reconcile(), ...ALL.map((r) => create(r))],
    outcomes: { "Create app": [S], "Create appEu": [S], "Create outside": [S] },
    verify: (ctx, run) => {
      const undecided = run.records("connection not decided").map((r) => r.connectionId);
      expect(undecided).toEqual([ctx.requests.appEu.connectionId]);
    },
  },
  {
    name: "every event delivery fails (EC2 unavailable throughout): one reconciler pass recovers everything",
    topic: "recovery",
    setup: fail({ operation: "DescribeVpcPeeringConnections", error: "ServiceUnavailable", times: Infinity }),
    steps: [
      ...ALL.map((r) => create(r)),
      world("EC2 recovers", (ctx) => ctx.world.clearFaults()),
      reconcile(),
    ],
    outcomes: { "Create app": [F, F, F], "Create appEu": [F, F, F], "Create outside": [F, F, F] },
  },
];

export const scenarios: Scenario[] = [
  ...throttling,
  ...serverAndNetwork,
  ...sts,
  ...waits,
  ...crashes,
  ...order,
  ...recovery,
];

/** A retry after an accept that did not finish finds the connection active and routes it itself. */
function retryRoutes(run: ScenarioRunView, label: string): void {
  const retry = decisionsOf(run, label).at(-1);
  expect(retry, `${label}: the retry`).toMatchObject({
    action: "maintain",
    routes: { created: expect.any(Array) },
  });
  expect((retry as { routes: { created: unknown[] } }).routes.created).not.toHaveLength(0);
}

/** The decision each attempt of a delivery logged. */
function decisionsOf(run: ScenarioRunView, label: string): (Record<string, unknown> | undefined)[] {
  const attempts = run.deliveries[label]?.[0]?.attempts ?? [];
  return attempts.map(
    (a) => a.logs.find((r) => r.message === "decision")?.attributes.decision as Record<string, unknown>,
  );
}

function decisionsAbout(run: ScenarioRunView, connectionId: string): Record<string, unknown>[] {
  return run.records("decision").filter((d) => d.connectionId === connectionId);
}

function outcomesOf(run: ScenarioRunView, label: string): Attempt["outcome"][][] {
  return (run.deliveries[label] ?? []).map((d) => d.attempts.map((a) => a.outcome));
}

function callsUntilCrash(ctx: ScenarioContext) {
  const calls = ctx.world.calls;
  const crash = calls.findIndex((c) => c.crashedAfter);
  expect(crash, "a crash happened").toBeGreaterThanOrEqual(0);
  return calls.slice(0, crash + 1);
}

function failedCalls(ctx: ScenarioContext, operation: string, error: string) {
  return ctx.world.calls.filter((c) => c.operation === operation && c.error === error);
}
