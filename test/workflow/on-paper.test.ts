import { describe, expect, it } from "vitest";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import { onPaper } from "../../shared/workflow/carry-out-strategy";
import { accepterMain, CONNECTION_ID, facts, policy, requesterMain, route } from "../helpers/facts";

const RULES = [
  {
    name: "partners",
    accepter: { accounts: ["111111111111"] },
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    dnsResolution: true,
  },
];
const ENFORCE = policy(RULES);
const REPORT = { ...ENFORCE, mode: "report" as const };
// The accepter's main table routes the requester already; the requester's has nothing yet.
const halfRouted = {
  accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
  requesterTables: [requesterMain()],
};

async function onPaperOutcome(decision: Decision) {
  const [carried] = await onPaper.carryOutAll([{ decision, currentTags: {} }], {
    sessions: undefined as never,
    activeWait: { maxWaitSeconds: 1, minDelaySeconds: 1, maxDelaySeconds: 1 },
    now: new Date(0),
  });
  return carried?.outcome;
}

describe("decisions carried out on paper", () => {
  it("an accepted request: accepted, each planned route as it would end, DNS enabled", async () => {
    const outcome = await onPaperOutcome(decide(facts(halfRouted), ENFORCE));
    expect(outcome).toEqual({
      connection: "accepted",
      routes: [
        expect.objectContaining({ result: "present", route: expect.objectContaining({ side: "accepter" }) }),
        expect.objectContaining({
          result: "created",
          route: expect.objectContaining({ side: "requester" }),
        }),
      ],
      removed: [],
      dns: [
        expect.objectContaining({ result: "enabled", change: expect.objectContaining({ side: "accepter" }) }),
        expect.objectContaining({
          result: "enabled",
          change: expect.objectContaining({ side: "requester" }),
        }),
      ],
      tagged: false,
    });
  });

  it("a maintained connection with DNS already on: routes created or left in conflict, DNS present, the connection unchanged", async () => {
    const decision = decide(
      facts({
        status: "active",
        accepterTables: [accepterMain()],
        requesterTables: [requesterMain(route("10.0.0.0/16", "tgw-0blocking"))],
        dnsResolution: { requester: true, accepter: true },
      }),
      ENFORCE,
    );
    const outcome = await onPaperOutcome(decision);
    expect(outcome?.connection).toBe("unchanged");
    expect(outcome?.routes.map((r) => r.result)).toEqual(["created", "conflicting"]);
    expect(outcome?.dns.map((d) => d.result)).toEqual(["present", "present"]);
  });

  it("a rejection: rejected, its leftover routes removed, none made", async () => {
    const decision = decide(
      facts({
        requesterAccount: "999999999999",
        accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))],
      }),
      ENFORCE,
    );
    const outcome = await onPaperOutcome(decision);
    expect(outcome?.connection).toBe("rejected");
    expect(outcome?.routes).toEqual([]);
    expect(outcome?.removed.map((r) => [r.route.destination, r.result])).toEqual([
      ["10.20.0.0/16", "removed"],
    ]);
  });

  it("a request rejected for a route in the way: none of its planned routes is made, on paper either", async () => {
    const decision = decide(
      facts({
        accepterTables: [accepterMain()],
        requesterTables: [requesterMain(route("10.0.0.0/16", "tgw-0blocking"))],
      }),
      ENFORCE,
    );
    expect(decision.action).toBe("reject");
    expect(decision.plan.map((r) => r.status)).toEqual(["create", "conflict"]);
    const outcome = await onPaperOutcome(decision);
    expect(outcome?.connection).toBe("rejected");
    expect(outcome?.routes).toEqual([]);
    expect(outcome?.dns).toEqual([]);
  });

  it("a dead connection: its routes removed", async () => {
    const decision = decide(
      facts({ status: "deleted", accepterTables: [accepterMain(route("10.20.0.0/16", CONNECTION_ID))] }),
      ENFORCE,
    );
    const outcome = await onPaperOutcome(decision);
    expect(outcome?.connection).toBe("unchanged");
    expect(outcome?.removed.map((r) => r.result)).toEqual(["removed"]);
  });

  it("a decision in report mode changes nothing, on paper as in AWS", async () => {
    const decision = decide(facts(halfRouted), REPORT);
    expect(decision.mode).toBe("report");
    expect(await onPaperOutcome(decision)).toEqual({
      connection: "unchanged",
      routes: [],
      removed: [],
      dns: [],
      tagged: false,
    });
  });

  it("removes orphan routes on paper without a call", async () => {
    const removal = {
      side: "accepter" as const,
      account: "111111111111",
      region: "us-east-1",
      routeTableId: "rtb-0accept0000000main",
      destination: "10.9.0.0/16",
    };
    expect(await onPaper.removeRoutes(undefined as never, [removal])).toEqual([
      { route: removal, result: "removed" },
    ]);
  });
});
