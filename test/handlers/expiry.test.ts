import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DECISION_TAG, EXPIRY_ANNOUNCED_TAG } from "../../shared/decision/decision-tags";
import type { ReconcileSummary } from "../../shared/workflow/reconcile";
import { ACCEPTER, useService } from "./harness";
import { APPROVAL_POLICY, decisionsFrom, PENDING_TICK } from "./pending-pass-worlds";
import { sharedServices } from "./worlds";

const HOUR_MS = 3_600_000;
// EC2 expires a pending request 168 hours after it was made.
const LIFETIME_MS = 168 * HOUR_MS;

/**
 * A request parked for approval must not expire unnoticed: a day before EC2 expires it the people who
 * can answer are told once, and if it expires unanswered that is recorded once. The model's clock is
 * the system clock, faked here (Date only: waits and timers stay real) so that the model and the
 * service read the same time.
 */
describe("a request awaiting approval as its expiry comes", () => {
  const service = useService(sharedServices, {
    policy: APPROVAL_POLICY,
    env: { EVENT_BUS_NAME: "peering-autopilot-test" },
  });
  const pass = async (tick?: unknown) => (await service.run("reconcile", tick)) as ReconcileSummary;
  const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-11-27T10:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A request from the requester account, parked by a pending pass, and when EC2 will expire it. */
  const parked = async () => {
    const world = service.world();
    const { shared, app } = service.ids();
    const connectionId = world.addPeering({ requesterVpcId: app, accepterVpcId: shared });
    const expiresAt = world.peering(connectionId).expirationTime.getTime();
    await pass(PENDING_TICK);
    expect(decisionsFrom(world, 0).map((e) => e.detail.findings)).toEqual([["awaiting-approval"]]);
    return { connectionId, expiresAt };
  };

  it("is announced as expiring soon once, by the first pass within a day of its expiry", async () => {
    const world = service.world();
    const { connectionId, expiresAt } = await parked();

    // A day and a minute before: not yet.
    advance(expiresAt - Date.now() - 24 * HOUR_MS - 60_000);
    let start = world.published.length;
    await pass(PENDING_TICK);
    expect(decisionsFrom(world, start)).toEqual([]);

    advance(2 * 60_000);
    start = world.published.length;
    const summary = await pass(PENDING_TICK);

    expect(summary).toMatchObject({ pass: "pending", actions: { "await-approval": 1 }, changed: 1 });
    const announced = decisionsFrom(world, start);
    expect(announced.map((e) => [e.detail.connectionId, e.detail.findings, e.detail.notify])).toEqual([
      [connectionId, ["expiring-soon"], true],
    ]);
    expect(announced[0]?.detail.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/expires at .*\(23 h 59 min left\)/)]),
    );
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.[EXPIRY_ANNOUNCED_TAG]).toBeDefined();

    advance(60_000);
    start = world.published.length;
    await pass(PENDING_TICK);
    advance(5 * 60_000);
    await pass();
    expect(decisionsFrom(world, start)).toEqual([]);
    expect(world.peering(connectionId).status.code).toBe("pending-acceptance");
  });

  it("is recorded once as expired, by the full pass, when it expires unanswered", async () => {
    const world = service.world();
    const { connectionId } = await parked();

    advance(LIFETIME_MS);
    let start = world.published.length;
    // The pending pass no longer lists it: it is not pending.
    const pending = await pass(PENDING_TICK);
    expect(pending).toMatchObject({ pass: "pending", connections: 0 });
    expect(decisionsFrom(world, start)).toEqual([]);

    const summary = await pass();

    expect(world.peering(connectionId).status.code).toBe("expired");
    expect(summary).toMatchObject({ pass: "full", connections: 1, failed: 0 });
    const recorded = decisionsFrom(world, start);
    expect(recorded.map((e) => [e.detail.connectionId, e.detail.findings, e.detail.notify])).toEqual([
      [connectionId, ["expired"], true],
    ]);
    expect(world.peering(connectionId).tagsByAccount[ACCEPTER]?.[DECISION_TAG]).toBe("expired");

    advance(5 * 60_000);
    start = world.published.length;
    await pass();
    expect(decisionsFrom(world, start)).toEqual([]);
  });
});
