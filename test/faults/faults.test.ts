import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import type { World } from "../../model";
import { REQUESTER, useService } from "../handlers/harness";
import { sharedServices } from "../handlers/worlds";
import {
  expectConverged,
  expectFailuresLogged,
  expectPassesAccounted,
  expectStory,
  type KnownDivergence,
  runScenario,
  type ScenarioRun,
} from "./run-scenario";
import { type Defect, scenarios } from "./scenarios";

/*
 * Each scenario (scenarios.ts) runs the real handlers over the in-memory model: its events delivered as
 * Lambda delivers asynchronous invocations, retries included (delivery.ts), and at most one reconciler
 * pass (two for a scenario whose fault outlasts that budget, after a check that nothing wrong was done).
 * Then:
 * - the world is exactly what the oracle (desired-state.ts) works out from the policy and the world, not
 *   a subset: every route to a peering connection in every table, every status, every tag, DNS options,
 *   and the rejections announced on the bus. So every approved request ends active and routed, every
 *   rejected one rejected, and nothing is accepted or routed that should not be;
 * - no route to anything else changed;
 * - every failed attempt left a failure record about its connection in the function's log, and every
 *   reconciler pass counts its failures in its summary;
 * - the story went as the scenario says (which attempts failed, crashed or succeeded), and every injected
 *   fault and crash point was used up.
 */

/** The shipped example policy, which the harness uses when a test gives none. */
const POLICY = readFileSync("policy.yml", "utf8");
const CENTRAL = "444444444444";
// Waits are real time: keep them short (the harness makes the first poll delay 10 ms).
const ENV = {
  VISIBLE_WAIT_SECONDS: "0.1",
  ACTIVE_WAIT_SECONDS: "0.1",
  EVENT_BUS_NAME: "peering-autopilot-test",
};

const build = (world: World) => ({
  ...sharedServices(world),
  // A requester VPC whose CIDR no rule allows: its request must be rejected.
  outside: world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.168.0.0/16"] }),
});

/**
 * Defects of the service that these scenarios expose (reported, not fixed here). For each, the scenario's
 * own test checks everything else, and a twin marked `it.fails` asserts the correct behaviour: it passes
 * while the defect is there, and fails (so drop `.fails`) once it is fixed.
 */
const knownDefects: Record<Defect, { check: string; skips: Skipped }> = {
  // A rejection whose audit event is not published (PutEvents fails, or the invocation dies first) is never
  // announced: the retry decides `ignore` on the now rejected connection, without findings, so no decision
  // with `notify` reaches the notification topic.
  "rejection-not-announced": {
    check: "the rejection reaches the notification topic",
    skips: "rejections announced",
  },
};
type Skipped = KnownDivergence | "failure records";

const groups = [
  { title: "the function in the accepter account", central: false, options: {} },
  { title: "the function in a central account", central: true, options: { home: CENTRAL } },
];

for (const group of groups) {
  describe(`fault injection, ${group.title}`, () => {
    const service = useService(build, { ...group.options, env: ENV });

    for (const scenario of scenarios.filter((s) => (s.service === "central") === group.central)) {
      const defects = scenario.defects ?? [];
      /** Everything but what the given defects keep from holding. */
      const check = (run: ScenarioRun, except: Defect[]) => {
        const skipped = new Set(except.map((d) => knownDefects[d].skips));
        expectConverged(
          run,
          [...skipped].filter((s): s is KnownDivergence => s !== "failure records"),
        );
        if (!skipped.has("failure records")) expectFailuresLogged(run);
      };

      it(scenario.name, async () => {
        const run = await runScenario(service, scenario, POLICY);
        expectStory(run, scenario);
        check(run, defects);
        expectPassesAccounted(run);
        scenario.verify?.(run.ctx, run);
      });

      for (const defect of defects) {
        it.fails(`${scenario.name}: ${knownDefects[defect].check} [known defect: ${defect}]`, async () => {
          check(
            await runScenario(service, scenario, POLICY),
            defects.filter((d) => d !== defect),
          );
        });
      }
    }
  });
}
