import { describe, expect, it, vi } from "vitest";
import type { CallRecord, World } from "../../model";
import { APPROVED_BY_TAG, DECISION_TAG, RULE_TAG } from "../../shared/decision/decision-tags";
import { NotifiedDecisionSchema } from "../../shared/notifications/decision-event";
import { formatNotification } from "../../shared/notifications/format-notification";
import type { DecisionRecord } from "../../shared/workflow/decision-record";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, type HandlerName, SCHEDULED_EVENT, useService } from "./harness";
import { PENDING_TICK } from "./pending-pass-worlds";
import {
  ADDED_CIDR,
  GONE,
  PERSON,
  type ReportModeWorld,
  reportModeWorld,
  reportPolicy,
} from "./report-mode-world";
import { pcxRoutes } from "./sweep-worlds";

/**
 * In report mode every trigger reads and decides as in enforce, and logs, publishes and notifies what it
 * would do, but changes nothing in AWS: no accept, reject, route, DNS option or tag. Proven over a world
 * with work of every kind (see reportModeWorld), through the deployed handlers.
 */

const BUS = { EVENT_BUS_NAME: "peering-autopilot-test" };

type Service = ReturnType<typeof useService<ReportModeWorld>>;
type Trigger = (service: Service, w: ReportModeWorld) => Promise<unknown>;

const run =
  (name: HandlerName, event: (w: ReportModeWorld) => unknown): Trigger =>
  (service, w) =>
    service.run(name, event(w));

/** Every way the service is set to work: the events of every kind, the reconciler's two passes. */
const TRIGGERS: [string, Trigger][] = [
  ["a request a rule approves (CreateVpcPeeringConnection)", (s, w) => s.invoke(w.events.approvedRequest)],
  ["a request no rule matches (CreateVpcPeeringConnection)", (s, w) => s.invoke(w.events.unmatchedRequest)],
  // Enforced, this one only writes the service's tags: it announces the request once.
  [
    "a request a person must approve (CreateVpcPeeringConnection)",
    (s, w) => s.invoke(w.events.parkedRequest),
  ],
  [
    "a connection accepted by hand (AcceptVpcPeeringConnection)",
    run("on-peering-change", (w) => w.events.acceptedByHand),
  ],
  [
    "a connection deleted (DeleteVpcPeeringConnection)",
    run("on-peering-change", (w) => w.events.deletedEvent),
  ],
  [
    "a connection rejected by hand (RejectVpcPeeringConnection)",
    run("on-peering-change", (w) => w.events.rejectedEvent),
  ],
  ["a CIDR added to a VPC (AssociateVpcCidrBlock)", run("on-vpc-cidr-change", (w) => w.events.cidrAdded)],
  ["an approval tag (CreateTags peering-approval)", run("on-approval-tag", (w) => w.events.approvalTag)],
  ["the reconciler's full pass", run("reconcile", () => SCHEDULED_EVENT)],
  ["the reconciler's pending pass", run("reconcile", () => PENDING_TICK)],
];

/** The mutating EC2 calls from call `from` on; building the world makes none, so all are the service's. */
function ec2Changes(world: World, from = 0): CallRecord[] {
  const since = new Set(world.calls.slice(from));
  return world.mutatingCalls().filter((call) => call.service === "EC2" && since.has(call));
}

/** What AWS holds that the service could change: statuses, tags, DNS options, routes. */
function stateOf(world: World): string {
  return JSON.stringify({
    peerings: [...world.peerings.values()].map((p) => ({
      id: p.id,
      status: p.status.code,
      tags: p.tagsByAccount,
      dns: [p.accepter.allowDnsResolutionFromRemoteVpc, p.requester.allowDnsResolutionFromRemoteVpc],
    })),
    tables: [...world.routeTables.values()].map((t) => ({ id: t.id, routes: t.routes })),
  });
}

const publishedDecisions = (world: World, from = 0) =>
  world.published
    .slice(from)
    .filter((e) => e.detailType === "Peering Decision")
    .map((e) => e.detail as unknown as DecisionRecord & { notify: boolean });

/** The routes DeleteRoute calls removed, as `table destination`. */
const deletedRoutes = (calls: CallRecord[]) =>
  calls.flatMap((call) => {
    if (call.operation !== "DeleteRoute") return [];
    const input = call.input as { RouteTableId: string; DestinationCidrBlock: string };
    return [`${input.RouteTableId} ${input.DestinationCidrBlock}`];
  });

/** The names of the connections a call is about, as its input names them. */
const namesOf = (call: CallRecord, ids: string[]) =>
  ids.filter((id) => JSON.stringify(call.input).includes(id));

describe("report mode, on every trigger", () => {
  const service = useService(reportModeWorld, { policy: reportPolicy({ top: "report" }), env: BUS });

  it.each(TRIGGERS)("%s: no mutating EC2 call, nothing in AWS changed", async (_name, trigger) => {
    const world = service.world();
    const before = stateOf(world);

    await trigger(service, service.ids());

    expect(ec2Changes(world)).toEqual([]);
    expect(stateOf(world)).toBe(before);
    // The service did its work: it read, and told the bus.
    expect(world.calls.some((c) => c.operation.startsWith("Describe"))).toBe(true);
    expect(world.calls.some((c) => c.operation === "PutEvents")).toBe(true);
  });

  it("all of them in a row change nothing, and each event publishes what it would do, to be notified", async () => {
    const world = service.world();
    const w = service.ids();
    const c = w.connections;
    const before = stateOf(world);
    const told = async (trigger: Trigger) => {
      const from = world.published.length;
      await trigger(service, w);
      const published = publishedDecisions(world, from);
      expect(published).toHaveLength(1);
      return published;
    };

    const [accept] = await told((s) => s.invoke(w.events.approvedRequest));
    const [reject] = await told((s) => s.invoke(w.events.unmatchedRequest));
    const [maintain] = await told(run("on-peering-change", () => w.events.acceptedByHand));
    const [cleanup] = await told(run("on-peering-change", () => w.events.deletedEvent));
    const [cleanupRejected] = await told(run("on-peering-change", () => w.events.rejectedEvent));
    const [cidr] = await told(run("on-vpc-cidr-change", () => w.events.cidrAdded));
    const [answer] = await told(run("on-approval-tag", () => w.events.approvalTag));
    const [parked] = await told((s) => s.invoke(w.events.parkedRequest));

    expect(ec2Changes(world)).toEqual([]);
    expect(stateOf(world)).toBe(before);
    const records = [accept, reject, maintain, cleanup, cleanupRejected, cidr, answer];
    for (const record of records) {
      expect(record).toMatchObject({ mode: "report", changed: false, tagged: false, notify: true });
      expect(record?.findings).toContain("report-only");
      expect(record?.routes.created).toEqual([]);
      expect(record?.routes.removed).toEqual([]);
    }
    const route = (routeTableId: string, destination: string) =>
      expect.objectContaining({ routeTableId, destination });
    const dnsBothSides = [
      expect.objectContaining({ side: "accepter", account: ACCEPTER }),
      expect.objectContaining({ side: "requester" }),
    ];
    expect(accept).toMatchObject({ connectionId: c.approved, action: "accept", connection: "unchanged" });
    expect(accept?.wouldChange).toEqual({
      connection: "accept",
      createRoutes: expect.arrayContaining([
        route(w.sharedMain, "10.20.0.0/16"),
        route(w.sharedPrivate, "10.20.0.0/16"),
        route(w.appMain, "10.0.0.0/16"),
      ]),
      removeRoutes: [],
      enableDns: dnsBothSides,
    });
    expect(reject).toMatchObject({ connectionId: c.unmatched, action: "reject", connection: "unchanged" });
    expect(reject?.wouldChange).toMatchObject({ connection: "reject", createRoutes: [] });
    expect(maintain).toMatchObject({ connectionId: c.active, action: "maintain" });
    expect(maintain?.wouldChange).toMatchObject({
      createRoutes: expect.arrayContaining([
        route(w.sharedMain, "10.24.0.0/16"),
        route(w.appEuMain, "10.0.0.0/16"),
      ]),
      enableDns: dnsBothSides,
    });
    expect(cleanup).toMatchObject({ connectionId: c.deleted, action: "cleanup" });
    expect(cleanup?.wouldChange?.removeRoutes).toEqual(
      expect.arrayContaining([route(w.legacyMain, "10.30.0.0/16"), route(w.oldMain, "10.5.0.0/16")]),
    );
    expect(cleanupRejected).toMatchObject({ connectionId: c.rejected, action: "cleanup" });
    expect(cleanupRejected?.wouldChange?.removeRoutes).toEqual([route(w.spareMain, "10.5.0.0/16")]);
    expect(cidr).toMatchObject({ connectionId: c.active, action: "maintain" });
    expect(cidr?.wouldChange?.createRoutes).toEqual(
      expect.arrayContaining([route(w.sharedMain, ADDED_CIDR)]),
    );
    expect(answer).toMatchObject({
      connectionId: c.answered,
      action: "accept",
      approval: { answer: "approve", by: PERSON },
      wouldChange: { connection: "accept" },
    });

    // Nothing to change (the announcement's tags are not written): published and notified all the same.
    expect(parked).toMatchObject({
      connectionId: c.parked,
      action: "await-approval",
      mode: "report",
      tagged: false,
      notify: true,
      findings: ["awaiting-approval"],
      wouldChange: { createRoutes: [], removeRoutes: [], enableDns: [] },
    });
    expect(formatNotification(NotifiedDecisionSchema.parse(parked), { now: world.now() }).subject).toMatch(
      /awaiting approval \(report mode\)$/,
    );

    // What people read says report mode, from the records the service really published.
    for (const record of records) {
      const { subject, text } = formatNotification(NotifiedDecisionSchema.parse(record), {
        now: world.now(),
      });
      expect(subject).toContain("report mode, would");
      expect(text).toContain("(report mode: nothing was changed)");
    }
  });

  it("a sweep publishes no decision, so nothing is notified again and again; its summary counts them", async () => {
    const world = service.world();
    const w = service.ids();
    const info = vi.spyOn(service.logger(), "info");

    const from = world.published.length;
    const full = (await service.run("reconcile")) as ReconcileSummary;
    const again = (await service.run("reconcile")) as ReconcileSummary;
    const pending = (await service.run("reconcile", PENDING_TICK)) as ReconcileSummary;

    expect(ec2Changes(world)).toEqual([]);
    expect(publishedDecisions(world, from)).toEqual([]);
    expect(world.published.slice(from).map((e) => e.detailType)).toEqual(
      Array(3).fill("Peering Reconcile Summary"),
    );
    const swept = { changed: 0, failed: 0, orphanRoutesRemoved: 0, errors: [] };
    // The three pending requests, the active connection, the deleted one and the one rejected by hand.
    expect(full).toMatchObject({ ...swept, pass: "full", reportOnly: 6, orphanRoutesReported: 1 });
    expect(again).toMatchObject({ ...swept, pass: "full", reportOnly: 6, orphanRoutesReported: 1 });
    expect(pending).toMatchObject({ ...swept, pass: "pending", reportOnly: 3, orphanRoutesReported: 0 });
    expect(pcxRoutes(world, w.sharedMain)).toEqual([`10.77.0.0/16 -> ${GONE}`]);

    // Logged, every one of them, in report mode and with what it would change.
    const logged = info.mock.calls.flatMap(([message, extra]) =>
      message === "decision" ? [(extra as { decision: DecisionRecord }).decision] : [],
    );
    const firstPass = logged.slice(0, full.connections);
    expect(
      firstPass.map((r) => [r.connectionId, r.action, r.mode, r.wouldChange?.connection]).sort(),
    ).toEqual(
      [
        [w.connections.approved, "accept", "report", "accept"],
        [w.connections.unmatched, "reject", "report", "reject"],
        [w.connections.parked, "await-approval", "report", undefined],
        [w.connections.answered, "accept", "report", "accept"],
        [w.connections.active, "maintain", "report", undefined],
        [w.connections.deleted, "cleanup", "report", undefined],
        [w.connections.rejected, "cleanup", "report", undefined],
      ].sort(),
    );
    const active = firstPass.find((r) => r.connectionId === w.connections.active);
    expect(active?.wouldChange?.createRoutes.map((r) => r.destination)).toEqual(
      expect.arrayContaining(["10.24.0.0/16", "10.25.0.0/16", ADDED_CIDR, "10.0.0.0/16"]),
    );
    expect(active?.wouldChange?.enableDns).toHaveLength(2);
    const deleted = firstPass.find((r) => r.connectionId === w.connections.deleted);
    expect(deleted?.wouldChange?.removeRoutes).toHaveLength(2);
  });
});

describe("enforce mode, on the same world and triggers", () => {
  // Shows that the check above is not vacuous: each trigger does change AWS when enforced.
  const service = useService(reportModeWorld, { policy: reportPolicy({}), env: BUS });

  it.each(TRIGGERS)("%s: makes mutating EC2 calls", async (_name, trigger) => {
    const world = service.world();
    const before = stateOf(world);

    await trigger(service, service.ids());

    expect(ec2Changes(world).length).toBeGreaterThan(0);
    expect(stateOf(world)).not.toBe(before);
  });

  it("the full pass makes every kind of change report mode holds back", async () => {
    const world = service.world();
    await service.run("reconcile");
    expect(new Set(ec2Changes(world).map((c) => c.operation))).toEqual(
      new Set([
        "AcceptVpcPeeringConnection",
        "RejectVpcPeeringConnection",
        "CreateRoute",
        "DeleteRoute",
        "ModifyVpcPeeringConnectionOptions",
        "CreateTags",
      ]),
    );
  });
});

describe("a rule's mode overrides the policy's", () => {
  describe("the policy enforced, the apps rule in report mode", () => {
    const service = useService(reportModeWorld, {
      policy: reportPolicy({ top: "enforce", apps: "report" }),
      env: BUS,
    });

    it("leaves the apps rule's connections alone and carries out the rest", async () => {
      const world = service.world();
      const w = service.ids();
      const c = w.connections;

      const summary = (await service.run("reconcile")) as ReconcileSummary;

      const calls = ec2Changes(world);
      const all = Object.values(c);
      // The apps rule governs the approved request, the active connection and (as its tag says) the deleted one.
      for (const call of calls) expect(namesOf(call, [c.approved, c.active, c.deleted])).toEqual([]);
      expect(world.peering(c.approved).status.code).toBe("pending-acceptance");
      expect(pcxRoutes(world, w.appEuMain)).toEqual([]);
      expect(pcxRoutes(world, w.legacyMain)).toEqual([`10.30.0.0/16 -> ${c.deleted}`]);
      expect(pcxRoutes(world, w.oldMain)).toEqual([`10.5.0.0/16 -> ${c.deleted}`]);
      expect(world.peering(c.approved).tagsByAccount[ACCEPTER]).toBeUndefined();
      // The partner's rule, the request no rule matches and the one rejected by hand follow the policy.
      expect(world.peering(c.answered).status.code).toBe("active");
      expect(world.peering(c.unmatched).status.code).toBe("rejected");
      expect(pcxRoutes(world, w.spareMain)).toEqual([]);
      expect(pcxRoutes(world, w.sharedMain)).toEqual([`172.20.0.0/16 -> ${c.answered}`]);
      expect(calls.flatMap((call) => namesOf(call, all))).toEqual(
        expect.arrayContaining([c.answered, c.unmatched]),
      );
      // A removal names its table, not its connection: only the hand-rejected one's and the orphan go.
      expect(deletedRoutes(calls).sort()).toEqual(
        [`${w.spareMain} 10.5.0.0/16`, `${w.sharedMain} 10.77.0.0/16`].sort(),
      );
      expect(summary).toMatchObject({ reportOnly: 3, orphanRoutesRemoved: 1, orphanRoutesReported: 0 });
    });
  });

  describe("the policy in report mode, the partner's rule enforced", () => {
    const service = useService(reportModeWorld, {
      policy: reportPolicy({ top: "report", partner: "enforce" }),
      env: BUS,
    });

    it("carries out only the partner rule's decisions", async () => {
      const world = service.world();
      const w = service.ids();
      const c = w.connections;

      const summary = (await service.run("reconcile")) as ReconcileSummary;

      const calls = ec2Changes(world);
      expect(calls.length).toBeGreaterThan(0);
      const partners = [c.answered, c.parked];
      for (const call of calls) {
        expect(namesOf(call, Object.values(c)).length).toBeGreaterThan(0);
        expect(partners).toEqual(expect.arrayContaining(namesOf(call, Object.values(c))));
      }
      expect(world.peering(c.parked).tagsByAccount[ACCEPTER]).toMatchObject({
        [DECISION_TAG]: "await-approval",
      });
      expect(deletedRoutes(calls)).toEqual([]);
      expect(world.peering(c.answered).status.code).toBe("active");
      expect(pcxRoutes(world, w.sharedMain)).toEqual([
        `10.77.0.0/16 -> ${GONE}`,
        `172.20.0.0/16 -> ${c.answered}`,
      ]);
      expect(world.peering(c.answered).tagsByAccount[ACCEPTER]).toMatchObject({
        [DECISION_TAG]: "accept",
        [APPROVED_BY_TAG]: "tag",
      });
      expect(world.peering(c.unmatched).status.code).toBe("pending-acceptance");
      expect(pcxRoutes(world, w.spareMain)).toEqual([`10.5.0.0/16 -> ${c.rejected}`]);
      // The answered request accepted, the parked one announced (tagged).
      expect(summary).toMatchObject({
        changed: 2,
        reportOnly: 5,
        orphanRoutesRemoved: 0,
        orphanRoutesReported: 1,
      });
    });
  });
});

describe("switching a rule from report to enforce", () => {
  const service = useService(reportModeWorld, {
    policy: reportPolicy({ top: "enforce", apps: "report" }),
    env: BUS,
  });

  it("makes the next trigger and the next pass carry its decisions out", async () => {
    const world = service.world();
    const w = service.ids();
    const c = w.connections;
    await service.invoke(w.events.approvedRequest);
    await service.run("reconcile");
    expect(world.peering(c.approved).status.code).toBe("pending-acceptance");
    expect(pcxRoutes(world, w.appEuMain)).toEqual([]);

    await service.redeploy(reportPolicy({ top: "enforce", apps: "enforce" }));
    const from = world.calls.length;
    await service.invoke(w.events.approvedRequest);

    expect(world.peering(c.approved).status.code).toBe("active");
    expect(pcxRoutes(world, w.sharedPrivate)).toContain(`10.20.0.0/16 -> ${c.approved}`);
    expect(pcxRoutes(world, w.appMain)).toEqual([`10.0.0.0/16 -> ${c.approved}`]);
    expect(world.peering(c.approved).accepter.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(world.peering(c.approved).tagsByAccount[ACCEPTER]).toMatchObject({
      [DECISION_TAG]: "accept",
      [RULE_TAG]: "apps",
    });
    for (const call of ec2Changes(world, from)) expect(namesOf(call, [c.approved])).toEqual([c.approved]);

    const pass = (await service.run("reconcile")) as ReconcileSummary;

    expect(pass).toMatchObject({ reportOnly: 0, failed: 0 });
    expect(pcxRoutes(world, w.appEuMain)).toEqual([`10.0.0.0/16 -> ${c.active}`]);
    expect(pcxRoutes(world, w.sharedMain)).toEqual(
      expect.arrayContaining([`10.24.0.0/16 -> ${c.active}`, `${ADDED_CIDR} -> ${c.active}`]),
    );
    expect(world.peering(c.active).requester.allowDnsResolutionFromRemoteVpc).toBe(true);
    expect(pcxRoutes(world, w.legacyMain)).toEqual([]);
    expect(pcxRoutes(world, w.oldMain)).toEqual([]);
    expect(world.peering(c.active).tagsByAccount[ACCEPTER]).toMatchObject({ [RULE_TAG]: "apps" });

    const calm = world.calls.length;
    const next = (await service.run("reconcile")) as ReconcileSummary;
    expect(ec2Changes(world, calm)).toEqual([]);
    expect(next).toMatchObject({ changed: 0, reportOnly: 0 });
  });
});
