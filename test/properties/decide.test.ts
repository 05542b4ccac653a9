import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sameCidr } from "../../shared/cidr";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import type { DecisionFacts } from "../../shared/facts";
import { decisionInputArb } from "./arbitraries";
import {
  allows,
  approvingRule,
  conflicts,
  conflictsUnder,
  expectedDecision,
  planHolds,
  RULE_TAG,
  requesterOverlaps,
  routesToConnection,
  ruleFor,
  SIDES,
  type Side,
  selectTables,
  tablesOf,
} from "./oracle";
import { RUNS, settings, timeoutFor } from "./runs";

const TIMEOUT = timeoutFor(RUNS, 20);

describe("decide, on random policies and facts", () => {
  it(
    "1. accepts only a pending request with requester CIDRs, accepter CIDRs, no overlap, a first approving rule holding every requester CIDR and no conflicting route (and then always)",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          const rule = approvingRule(policy, facts);
          const conditions = {
            pendingAcceptance: facts.connection.status === "pending-acceptance",
            someRequesterCidr: facts.connection.requester.cidrs.length > 0,
            someAccepterCidr: facts.accepterCidrs.length > 0,
            noOverlap: !requesterOverlaps(facts),
            firstApprovingRule: rule?.name ?? null,
            conflicts: rule ? conflictsUnder(rule, facts) : [],
          };
          const approves =
            conditions.pendingAcceptance &&
            conditions.someRequesterCidr &&
            conditions.someAccepterCidr &&
            conditions.noOverlap &&
            rule !== undefined &&
            conditions.conflicts.length === 0;
          if (decision.action === "accept") {
            expect(conditions).toEqual({
              pendingAcceptance: true,
              someRequesterCidr: true,
              someAccepterCidr: true,
              noOverlap: true,
              firstApprovingRule: decision.rule,
              conflicts: [],
            });
            expect(decision.plan.filter((p) => p.status === "conflict")).toEqual([]);
          } else {
            expect(
              approves,
              `${decision.action} (${decision.reasons.join("; ")}) though every condition holds`,
            ).toBe(false);
          }
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "1b. the action and rule agree with the oracle (the README's table of statuses and rules) for every status",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          const expected = expectedDecision(facts, policy);
          expect({ action: decision.action, rule: decision.rule, reasons: decision.reasons }).toMatchObject({
            action: expected.action,
            rule: expected.rule,
          });
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "2. every planned route goes to a peer CIDR the rule allows, in a table the rule's selector picks, on that side",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          const { connection } = facts;
          for (const planned of decision.plan.filter((p) => p.status !== "conflict")) {
            const rule = policy.rules.find((r) => r.name === decision.rule);
            expect(rule, `planned ${JSON.stringify(planned)} without a rule`).toBeDefined();
            if (!rule) return;
            const tables = tablesOf(planned.side, facts);
            expect(tables, `planned ${JSON.stringify(planned)} on an unreadable side`).toBeDefined();
            const table = tables?.find((t) => t.id === planned.routeTableId);
            expect(
              table,
              `planned ${JSON.stringify(planned)} in a table the side does not have`,
            ).toBeDefined();
            if (!tables || !table) return;
            const selected = selectTables(tables, rule.routes[planned.side]).map((t) => t.id);
            expect(selected, `${planned.routeTableId} is not selected by ${rule.name}`).toContain(table.id);
            expect({ account: planned.account, region: planned.region }).toEqual({
              account: connection[planned.side].account,
              region: connection[planned.side].region,
            });
            const peerCidrs =
              planned.side === "accepter"
                ? connection.requester.cidrs.filter((c) => allows(rule, c))
                : facts.accepterCidrs;
            expect(
              peerCidrs.some((c) => sameCidr(c, planned.destination)),
              `${planned.side} ${planned.routeTableId}: ${planned.destination} is not among ${peerCidrs.join(", ")}`,
            ).toBe(true);
            const ours = table.routes.filter(
              (r) => r.target === connection.id && sameCidr(r.destination, planned.destination),
            );
            const contested = table.routes.filter((r) => conflicts(r, planned.destination, connection.id));
            expect({ planned, ours: ours.length > 0, contested }).toEqual({
              planned,
              ours: planned.status === "present",
              contested: [],
            });
          }
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "2b. an accepted or maintained connection's plan covers every selected table with every allowed peer CIDR",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          if (decision.action !== "accept" && decision.action !== "maintain") return;
          const rule = policy.rules.find((r) => r.name === decision.rule);
          if (!rule) throw new Error(`${decision.action} without a rule`);
          const wanted = SIDES.flatMap((side) =>
            selectTables(tablesOf(side, facts) ?? [], rule.routes[side]).flatMap((table) =>
              (side === "accepter"
                ? facts.connection.requester.cidrs.filter((c) => allows(rule, c))
                : facts.accepterCidrs
              ).map((destination) => `${side} ${table.id} ${destination}`),
            ),
          );
          const planned = decision.plan.map((p) => `${p.side} ${p.routeTableId} ${p.destination}`);
          expect([...planned].sort()).toEqual([...wanted].sort());
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "3. every removal deletes a route whose target is this connection, and nothing the plan keeps",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          const { connection } = facts;
          for (const removal of decision.removals) {
            const table = tablesOf(removal.side, facts)?.find((t) => t.id === removal.routeTableId);
            expect(
              table,
              `removal ${JSON.stringify(removal)} in a table the side does not have`,
            ).toBeDefined();
            // DeleteRoute names the table and the destination only: whatever holds it there is deleted.
            const held = (table?.routes ?? []).filter((r) => r.destination === removal.destination);
            expect({ removal, targets: held.map((r) => r.target) }).toEqual({
              removal,
              targets: [connection.id],
            });
            expect({ account: removal.account, region: removal.region }).toEqual({
              account: connection[removal.side].account,
              region: connection[removal.side].region,
            });
            // A rejected request's plan only explains its conflicts: nothing of it is kept.
            if (decision.action === "accept" || decision.action === "maintain") {
              expect(
                planHolds(decision.plan, removal.side, removal.routeTableId, removal.destination),
                `removes ${JSON.stringify(removal)}, which the plan keeps`,
              ).toBe(false);
            }
          }
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "3b. removed are: routes to the connection the plan does not want (accept, maintain; none on a side whose peer CIDRs are unknown), every route to it (reject, cleanup), none (ignore)",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          const removed = decision.removals.map((r) => `${r.side} ${r.routeTableId} ${r.destination}`).sort();
          const kept = (side: Side, tableId: string, destination: string) =>
            (decision.action === "accept" || decision.action === "maintain") &&
            planHolds(decision.plan, side, tableId, destination);
          const routed = decision.action === "accept" || decision.action === "maintain";
          // The accepter VPC's CIDRs unread: the requester side is left as it is, not emptied.
          const untouched = (side: Side) =>
            routed && side === "requester" && facts.accepterCidrs.length === 0;
          const unwanted =
            decision.action === "ignore"
              ? []
              : routesToConnection(facts)
                  .filter(({ side }) => !untouched(side))
                  .filter(({ side, table, route }) => !kept(side, table.id, route.destination))
                  .map(({ side, table, route }) => `${side} ${table.id} ${route.destination}`)
                  .sort();
          expect({ action: decision.action, removed }).toEqual({
            action: decision.action,
            removed: unwanted,
          });
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "4b. carrying a decision out is a fixpoint: deciding again on the result changes nothing more",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const decision = decide(facts, policy);
          if (decision.action === "ignore") return;
          const after = carriedOut(facts, decision);
          const again = decide(after, policy);
          const routed = decision.action === "accept" || decision.action === "maintain";
          const entries = (d: Decision) =>
            d.plan.map(
              (p) =>
                `${p.side} ${p.routeTableId} ${p.destination} ${p.status === "conflict" ? "conflict" : "routed"}`,
            );
          expect({
            action: again.action,
            rule: again.rule,
            plan: entries(again),
            toCreate: again.plan.filter((p) => p.status === "create"),
            removals: again.removals,
          }).toEqual({
            action: routed ? "maintain" : "ignore",
            rule: routed ? decision.rule : ruleFor(policy, after)?.name,
            plan: routed ? entries(decision) : [],
            toCreate: [],
            removals: [],
          });
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );

  it(
    "4. is deterministic and pure: the same input gives a deep-equal decision, and the input is not changed",
    () => {
      fc.assert(
        fc.property(decisionInputArb, ({ policy, facts }) => {
          const factsCopy = structuredClone(facts);
          const policyCopy = structuredClone(policy);
          const first = decide(facts, policy);
          const second = decide(factsCopy, policyCopy);
          expect(second).toEqual(first);
          expect(decide(facts, policy)).toEqual(first);
          expect(facts).toEqual(factsCopy);
          expect(policy).toEqual(policyCopy);
        }),
        settings(RUNS),
      );
    },
    TIMEOUT,
  );
});

/** The facts after `decision` was carried out: the connection accepted, routes created and removed. */
function carriedOut(facts: DecisionFacts, decision: Decision): DecisionFacts {
  const next = structuredClone(facts);
  if (decision.action === "accept") {
    next.connection.status = "active";
    next.connection.accepter.cidrs = [...facts.accepterCidrs];
  }
  if (decision.action === "reject") next.connection.status = "rejected";
  if (decision.rule && (decision.action === "accept" || decision.action === "maintain")) {
    next.connection.tags = { ...next.connection.tags, [RULE_TAG]: decision.rule };
  }
  for (const side of SIDES) {
    const tables = tablesOf(side, next) ?? [];
    for (const table of tables) {
      table.routes = table.routes.filter(
        (r) =>
          !decision.removals.some(
            (x) => x.side === side && x.routeTableId === table.id && x.destination === r.destination,
          ),
      );
      for (const p of decision.plan) {
        const routed = decision.action === "accept" || decision.action === "maintain";
        if (routed && p.side === side && p.routeTableId === table.id && p.status === "create") {
          table.routes.push({ destination: p.destination, target: facts.connection.id, state: "active" });
        }
      }
    }
  }
  return next;
}
