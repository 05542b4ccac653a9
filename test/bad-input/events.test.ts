import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { peeringCallEvent, requestPeering, vpcCidrEvent, type World } from "../../model";
import { ACCEPTER, REQUESTER, SCHEDULED_EVENT } from "../handlers/harness";
import {
  baseEvent,
  EVENT_CASES,
  type EventCase,
  FUZZ_SAMPLES,
  OWN_BASE,
  RECONCILE_CASES,
  type ReconcileCase,
} from "./catalogue";
import { expectEveryCaseRan } from "./coverage";
import {
  CLOUDTRAIL_FUNCTIONS,
  type CloudTrailFunction,
  mutating,
  signature,
  signatures,
  withFreshService,
} from "./fresh-service";
import { related } from "./json-paths";
import { applyMutations, mutations, propertyOptions } from "./mutations";
import { actionsOf, namesAField, READ_PATHS, type Summary, summarize } from "./outcomes";
import { pendingWorld, steadyWorld } from "./worlds";

/** The catalogued cases that ran to the end, checked against the catalogue at the end of the file. */
const ran = { events: new Set<string>(), reconcile: new Set<string>() };

const HAND_WRITTEN = "hand-written bad events: a clear reason or a clear error, and no change in AWS";
const RECONCILER = "the reconciler ignores the content of its event";
const RECONCILER_TABLE = "whatever event it is fed, it does exactly what the scheduled event makes it do";
const reconcileTest = (name: string) => `fed ${name}, does exactly the same`;

// biome-ignore lint/correctness/noEmptyPattern: vitest takes a hook's fixtures from an object pattern; none are needed
afterAll(({}, file) => {
  expectEveryCaseRan(
    file,
    HAND_WRITTEN,
    EVENT_CASES.map((c) => c.name),
    ran.events,
  );
  expectEveryCaseRan(
    file,
    RECONCILER_TABLE,
    RECONCILE_CASES.map((c) => c.name),
    ran.reconcile,
    (test) => test.replace(/^fed (.*), does exactly the same$/, "$1"),
  );
});

/** The summary of each function's valid event in the steady world, computed once. */
const controls = new Map<string, Promise<Summary>>();
function control(fn: CloudTrailFunction, base: EventCase["base"]): Promise<Summary> {
  const key = `${fn} ${base}`;
  let summary = controls.get(key);
  if (!summary) {
    summary = withFreshService(steadyWorld, {}, async (s) =>
      summarize(await s.attempt(fn, baseEvent(base, s.ids))),
    );
    controls.set(key, summary);
  }
  return summary;
}

describe("control: in the steady world every valid event is decided and changes nothing", () => {
  it.each(CLOUDTRAIL_FUNCTIONS.map((fn) => [fn, OWN_BASE[fn]] as const))(
    "%s, fed its own valid %s event",
    async (fn, base) => {
      const summary = await control(fn, base);
      expect(summary).toMatchObject({ kind: "decided", mutating: [] });
      expect(actionsOf(summary)).not.toEqual([]);
      expect(actionsOf(summary).every((a) => a === "maintain" || a === "ignore")).toBe(true);
    },
  );
});

describe(HAND_WRITTEN, () => {
  it.each(EVENT_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const expected = c.expect;
    const unaffected = expected.kind === "unaffected" ? await control(c.fn, c.base) : undefined;
    await withFreshService(steadyWorld, {}, async (s) => {
      const event = baseEvent(c.base, s.ids);
      c.edit(event, s.ids);
      const info = vi.spyOn(s.logger, "info");

      const attempt = await s.attempt(c.fn, event);
      const summary = summarize(attempt);

      // Whatever the case: nothing that changes anything.
      expect(signatures(mutating(attempt.calls)), JSON.stringify(summary).slice(0, 500)).toEqual([]);
      switch (expected.kind) {
        case "invalid": {
          expect(summary).toMatchObject({ kind: "threw", name: "InvalidEventError" });
          const reason = summary.kind === "threw" ? (summary.reason ?? "") : "";
          expect(reason).toMatch(expected.reason);
          expect(namesAField(reason), reason.slice(0, 300)).toBe(true);
          expect(summary.kind === "threw" && summary.message).toMatch(/^invalid event (\(no id\)|\S+): /);
          expect(attempt.calls).toEqual([]);
          break;
        }
        case "ignored": {
          expect(summary).toMatchObject({ kind: "ignored", reason: expect.stringMatching(expected.reason) });
          expect(info).toHaveBeenCalledWith(
            "event ignored",
            expect.objectContaining({ reason: expect.stringMatching(expected.reason) }),
          );
          expect(attempt.calls).toEqual([]);
          break;
        }
        case "skipped": {
          expect(summary).toMatchObject({ kind: "skipped", reason: expect.stringMatching(expected.reason) });
          expect(info).toHaveBeenCalledWith(
            "connection left alone",
            expect.objectContaining({ reason: expect.stringMatching(expected.reason) }),
          );
          if (expected.aws === "none") expect(attempt.calls).toEqual([]);
          break;
        }
        case "unaffected":
          expect(summary).toEqual(unaffected);
          break;
        case "decided":
          expect(summary.kind).toBe("decided");
          expect(actionsOf(summary)).toEqual(expected.actions);
          break;
        case "nothing":
          expect(attempt.ok && attempt.value).toEqual([]);
          break;
      }
      // The steady world is as it was: both connections still active, the pending one still pending.
      expect(s.world.peering(s.ids.steady).status.code).toBe("active");
      expect(s.world.peering(s.ids.outside).status.code).toBe("active");
      expect(s.world.peering(s.ids.probe).status.code).toBe("pending-acceptance");
    });
    ran.events.add(c.name);
  });
});

describe(RECONCILER, () => {
  const scheduled = SCHEDULED_EVENT;
  const sweep = (world: World) => {
    const ids = steadyWorld(world);
    // Something for the sweep to decide: a request the policy rejects (the warranted change).
    const wide2 = world.addVpc({ ownerId: REQUESTER, region: "us-east-1", cidrs: ["192.169.0.0/16"] });
    const pending = world.addPeering({ requesterVpcId: wide2, accepterVpcId: ids.shared });
    return { ...ids, pending };
  };
  const run = (event: (ids: ReturnType<typeof sweep>) => unknown) =>
    withFreshService(sweep, {}, async (s) => {
      const attempt = await s.attempt("reconcile", event(s.ids));
      return {
        attempt,
        changes: signatures(mutating(attempt.calls)),
        pending: s.world.peering(s.ids.pending),
      };
    });
  let expected: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    expected = await run(() => scheduled);
  });

  it("with its scheduled event, rejects the pending request and changes nothing else", () => {
    expect(expected.attempt.ok).toBe(true);
    expect(expected.pending.status.code).toBe("rejected");
    expect(expected.changes.every((c) => c.includes(expected.pending.id))).toBe(true);
    expect(expected.changes.map((c) => c.split(" ")[1])).toEqual([
      "CreateTags",
      "RejectVpcPeeringConnection",
    ]);
  });

  describe(RECONCILER_TABLE, () => {
    it.each(RECONCILE_CASES.map((c) => [reconcileTest(c.name), c] as const))(
      "%s",
      async (_n, c: ReconcileCase) => {
        const actual = await run(c.event as (ids: unknown) => unknown);
        expect(actual.attempt.ok, actual.attempt.ok ? "" : String(actual.attempt.error)).toBe(true);
        expect(actual.attempt.ok && actual.attempt.value).toEqual(
          expected.attempt.ok && expected.attempt.value,
        );
        expect(actual.changes).toEqual(expected.changes);
        ran.reconcile.add(c.name);
      },
    );
  });
});

// --- fuzzing ------------------------------------------------------------------------------------

const FIXTURES = new URL("../fixtures/events/", import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));
const FIXTURE_PCX = ["pcx-0123456789abcdef0", "pcx-0fedcba9876543210"];

function fuzzWorld(kind: "reject" | "accept") {
  return (world: World) => {
    const ids = pendingWorld(kind)(world);
    const { connectionId, event } = requestPeering(world, {
      requesterVpcId: ids.requesterVpcId,
      accepterVpcId: ids.shared,
    });
    return { ...ids, connectionId, createEvent: event };
  };
}
type FuzzIds = ReturnType<ReturnType<typeof fuzzWorld>>;

/** The sample events of FUZZ_SAMPLES for one fuzz world, each with the function its rule feeds. */
function samplesOf(
  ids: FuzzIds,
): Record<(typeof FUZZ_SAMPLES)[number], { fn: CloudTrailFunction; event: unknown }> {
  const id = ids.connectionId;
  const region = "us-east-1";
  const rebased = (name: string) => {
    let text = readFileSync(new URL(name, FIXTURES), "utf8");
    for (const pcx of FIXTURE_PCX) text = text.replaceAll(pcx, id);
    return JSON.parse(text);
  };
  return {
    "model: CreateVpcPeeringConnection": { fn: "on-peering-request", event: ids.createEvent },
    "model: AcceptVpcPeeringConnection": {
      fn: "on-peering-change",
      event: peeringCallEvent("AcceptVpcPeeringConnection", {
        connectionId: id,
        account: ACCEPTER,
        region,
      }),
    },
    "model: RejectVpcPeeringConnection": {
      fn: "on-peering-change",
      event: peeringCallEvent("RejectVpcPeeringConnection", {
        connectionId: id,
        account: ACCEPTER,
        region,
      }),
    },
    "model: DeleteVpcPeeringConnection (requester)": {
      fn: "on-peering-change",
      event: peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: id,
        account: REQUESTER,
        region,
      }),
    },
    "model: DeleteVpcPeeringConnection (accepter)": {
      fn: "on-peering-change",
      event: peeringCallEvent("DeleteVpcPeeringConnection", {
        connectionId: id,
        account: ACCEPTER,
        region,
      }),
    },
    "model: AssociateVpcCidrBlock (requester VPC)": {
      fn: "on-vpc-cidr-change",
      event: vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: ids.requesterVpcId,
        account: REQUESTER,
        region,
        cidr: "10.99.0.0/16",
      }),
    },
    "model: DisassociateVpcCidrBlock (accepter VPC)": {
      fn: "on-vpc-cidr-change",
      event: vpcCidrEvent("DisassociateVpcCidrBlock", {
        vpcId: ids.shared,
        account: ACCEPTER,
        region,
        cidr: "10.1.0.0/16",
      }),
    },
    "fixture: create-cross-account.json": {
      fn: "on-peering-request",
      event: fixture("create-cross-account.json"),
    },
    "fixture: create-inter-region.json": {
      fn: "on-peering-request",
      event: fixture("create-inter-region.json"),
    },
    "fixture: create-failed-call.json": {
      fn: "on-peering-request",
      event: fixture("create-failed-call.json"),
    },
    "fixture: accept.json": { fn: "on-peering-change", event: fixture("accept.json") },
    "fixture: delete.json": { fn: "on-peering-change", event: fixture("delete.json") },
    "fixture: associate-vpc-cidr.json": {
      fn: "on-vpc-cidr-change",
      event: fixture("associate-vpc-cidr.json"),
    },
    "fixture, rebased on the real connection: create-cross-account.json": {
      fn: "on-peering-request",
      event: rebased("create-cross-account.json"),
    },
    "fixture, rebased on the real connection: create-inter-region.json": {
      fn: "on-peering-request",
      event: rebased("create-inter-region.json"),
    },
    "fixture, rebased on the real connection: accept.json": {
      fn: "on-peering-change",
      event: rebased("accept.json"),
    },
    "fixture, rebased on the real connection: delete.json": {
      fn: "on-peering-change",
      event: rebased("delete.json"),
    },
  };
}

it("the fuzz samples are every fixture, and each catalogued sample", () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
  for (const f of fixtures) expect(FUZZ_SAMPLES).toContain(`fixture: ${f}`);
  expect(Object.keys(withoutWorld()).sort()).toEqual([...FUZZ_SAMPLES].sort());
});

/** The sample names, built against a throwaway world (for the check above). */
function withoutWorld() {
  return samplesOf({
    connectionId: "pcx-00000000000000001",
    createEvent: {},
    requesterVpcId: "vpc-0",
    shared: "vpc-1",
  } as unknown as FuzzIds);
}

describe.each([
  ["REJECTS", "reject"],
  ["ACCEPTS", "accept"],
] as const)("fuzz: mutated events about a request the policy %s", (_label, kind) => {
  const build = fuzzWorld(kind);
  let warranted: Summary;
  const baselines = new Map<string, Summary>();

  beforeAll(async () => {
    warranted = await withFreshService(build, {}, async (s) =>
      summarize(await s.attempt("on-peering-request", s.ids.createEvent)),
    );
    for (const name of FUZZ_SAMPLES) {
      baselines.set(
        name,
        await withFreshService(build, {}, async (s) => {
          const { fn, event } = samplesOf(s.ids)[name];
          return summarize(await s.attempt(fn, event));
        }),
      );
    }
  });

  it(`the warranted decision is ${kind}, made with ${kind === "reject" ? "Reject and CreateTags" : "Accept, CreateRoute and CreateTags"} only`, () => {
    expect(warranted).toMatchObject({ kind: "decided" });
    expect(actionsOf(warranted)).toEqual([kind]);
    const operations = new Set(
      warranted.kind === "decided" ? warranted.mutating.map((m) => m.split(" ")[1]) : [],
    );
    expect([...operations].sort()).toEqual(
      kind === "reject"
        ? ["CreateTags", "RejectVpcPeeringConnection"]
        : ["AcceptVpcPeeringConnection", "CreateRoute", "CreateTags"],
    );
  });

  it("every unmutated sample gets a reason, or the warranted decision, or nothing to do", () => {
    for (const [name, summary] of baselines) {
      if (summary.kind === "decided" && summary.decisions.length > 0)
        expect(summary, name).toEqual(warranted);
      else if (summary.kind === "decided") expect(summary.mutating, name).toEqual([]);
      else
        expect(summary, name).toMatchObject({
          kind: expect.stringMatching(/ignored|skipped/),
          mutating: [],
        });
    }
  });

  it(`a mutated event is refused, left alone or decided exactly as the real connection warrants (${propertyOptions().numRuns} runs)`, async () => {
    let runs = 0;
    const tally: Record<string, number> = {};
    const count = (what: string) => {
      tally[what] = (tally[what] ?? 0) + 1;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FUZZ_SAMPLES), mutations, async (name, list) => {
        runs += 1;
        await withFreshService(build, {}, async (s) => {
          const sample = samplesOf(s.ids)[name];
          const mutated = applyMutations(sample.event, list);
          const attempt = await s.attempt(sample.fn, mutated.value);
          const summary = summarize(attempt);
          const touched = mutated.touched.some((p) => READ_PATHS.some((r) => related(p, r)));
          const why = `${name} -> ${sample.fn}\n${mutated.log.join("\n")}\n=> ${JSON.stringify(summary).slice(0, 1500)}`;

          // Only the warranted change, on the real connection, can ever happen.
          for (const call of mutating(attempt.calls)) {
            if (kind === "reject") {
              expect(["RejectVpcPeeringConnection", "CreateTags"], why).toContain(call.operation);
              expect(signature(call), why).toContain(s.ids.connectionId);
            } else {
              expect(warranted.kind === "decided" && warranted.mutating, why).toContain(signature(call));
            }
          }
          count(touched ? summary.kind : "untouched");
          if (summary.kind === "decided" && summary.decisions.length > 0) count("warranted decision");
          if (!touched) {
            // Nothing the service reads was changed: the same outcome as the unmutated sample.
            expect(summary, why).toEqual(baselines.get(name));
            return;
          }
          switch (summary.kind) {
            case "threw":
              expect(summary.name, why).toBe("InvalidEventError");
              expect(namesAField(summary.reason ?? ""), why).toBe(true);
              expect(attempt.calls, why).toEqual([]);
              break;
            case "ignored":
            case "skipped":
              expect(summary.reason.length, why).toBeGreaterThan(0);
              expect(summary.mutating, why).toEqual([]);
              break;
            case "decided":
              if (summary.decisions.length === 0) expect(summary.mutating, why).toEqual([]);
              else expect(summary, why).toEqual(warranted);
              break;
            default:
              expect.fail(`unexpected outcome\n${why}`);
          }
          expect(s.world.peering(s.ids.connectionId).status.code, why).toBe(
            summary.kind === "decided" && summary.decisions.length > 0
              ? kind === "reject"
                ? "rejected"
                : "active"
              : "pending-acceptance",
          );
        });
      }),
      propertyOptions(),
    );
    expect(runs).toBe(propertyOptions().numRuns);
    // The fuzzing is not degenerate: every kind of outcome was reached (with enough runs to tell).
    if (runs >= 100) {
      for (const what of ["untouched", "threw", "ignored", "skipped", "decided", "warranted decision"]) {
        expect(tally[what] ?? 0, `${what} in ${JSON.stringify(tally)}`).toBeGreaterThan(0);
      }
    }
    if (process.env.PROPERTY_TALLY) console.log(kind, JSON.stringify(tally));
  });
});
