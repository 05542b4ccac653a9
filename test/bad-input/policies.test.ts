import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { peeringCallEvent, requestPeering, vpcCidrEvent, type World } from "../../model";
import { parsePolicy } from "../../shared/policy/load-policy";
import { ACCEPTER, type FunctionName, REQUESTER } from "../handlers/harness";
import { POLICY_CASES, type PolicyCase, type PolicySource, SHIPPED_POLICY } from "./catalogue";
import { expectEveryCaseRan } from "./coverage";
import { type Attempt, FUNCTIONS, mutating, policyFile, withFreshService } from "./fresh-service";
import { applyMutations, lightMutations, PLAUSIBLE_STRINGS, propertyOptions } from "./mutations";
import { pendingWorld } from "./worlds";

const INVALID =
  "an invalid policy: every function fails loudly, naming the file, and makes no AWS call at all";
const ran = new Set<string>();
const testName = (c: PolicyCase) => `${c.group}: ${c.name}`;
// biome-ignore lint/correctness/noEmptyPattern: vitest takes a hook's fixtures from an object pattern; none are needed
afterAll(({}, file) => {
  const byTest = new Map(POLICY_CASES.map((c) => [testName(c), c.name]));
  expectEveryCaseRan(
    file,
    INVALID,
    POLICY_CASES.map((c) => c.name),
    ran,
    (test) => byTest.get(test) ?? test,
  );
});

/**
 * A request the shipped policy approves, pending: with a valid policy every function would call AWS
 * (and three of them would accept and route it), so "no AWS call at all" is meaningful.
 */
function policyWorld(world: World) {
  const ids = pendingWorld("accept")(world);
  const { connectionId, event } = requestPeering(world, {
    requesterVpcId: ids.app,
    accepterVpcId: ids.shared,
  });
  return { ...ids, connectionId, createEvent: event };
}
type PolicyIds = ReturnType<typeof policyWorld>;

/** A valid event for each function, about the pending request. */
function eventFor(fn: FunctionName, ids: PolicyIds): unknown {
  const region = "us-east-1";
  switch (fn) {
    case "on-peering-request":
      return ids.createEvent;
    case "on-peering-change":
      return peeringCallEvent("AcceptVpcPeeringConnection", {
        connectionId: ids.connectionId,
        account: ACCEPTER,
        region,
      });
    case "on-vpc-cidr-change":
      return vpcCidrEvent("AssociateVpcCidrBlock", {
        vpcId: ids.app,
        account: REQUESTER,
        region,
        cidr: "10.20.0.0/16",
      });
    case "reconcile":
      return { "detail-type": "Scheduled Event", source: "aws.events", detail: {} };
  }
}

const scratch = mkdtempSync(join(tmpdir(), "bad-input-policy-paths-"));

function pathOf(source: PolicySource): string {
  if ("text" in source) return policyFile(source.text);
  if ("bytes" in source) return policyFile(source.bytes);
  return source.path === "missing"
    ? join(scratch, "no-such-policy.yml")
    : mkdtempSync(join(scratch, "policy-dir-"));
}

/** The attempt failed with a PolicyError naming the file (and the rule and field, when given). */
function expectPolicyError(
  attempt: Attempt,
  path: string,
  c?: Pick<PolicyCase, "rule" | "field" | "message">,
) {
  expect(
    attempt.ok,
    attempt.ok ? `the policy loaded: ${JSON.stringify(attempt.value).slice(0, 300)}` : "",
  ).toBe(false);
  if (attempt.ok) return;
  const error = attempt.error as Error & {
    file?: string;
    problems?: Array<{ rule?: string; field?: string; message: string }>;
  };
  expect(error.name, String(error)).toBe("PolicyError");
  expect(error.file).toBe(path);
  expect(error.message).toContain(`invalid policy ${path}:`);
  expect(error.problems?.length).toBeGreaterThan(0);
  if (!c) return;
  if (c.rule) expect(error.message).toContain(`rule '${c.rule}'`);
  if (c.field) expect(error.message).toContain(`field ${c.field}:`);
  if (c.rule && c.field) expect(error.message).toContain(`rule '${c.rule}', field ${c.field}:`);
  const located = (error.problems ?? []).filter(
    (p) => p.rule === c.rule && p.field === c.field && c.message.test(p.message),
  );
  expect(located, error.message).not.toEqual([]);
}

describe("control: with the shipped policy every function calls AWS for this world", () => {
  it.each(FUNCTIONS)("%s", async (fn) => {
    await withFreshService(policyWorld, {}, async (s) => {
      const attempt = await s.attempt(fn, eventFor(fn, s.ids));
      expect(attempt.ok, attempt.ok ? "" : String(attempt.error)).toBe(true);
      expect(attempt.calls.length).toBeGreaterThan(0);
      if (fn !== "on-vpc-cidr-change") expect(s.world.peering(s.ids.connectionId).status.code).toBe("active");
    });
  });
});

describe(INVALID, () => {
  it.each(POLICY_CASES.map((c) => [testName(c), c] as const))("%s", async (_name, c) => {
    const path = pathOf(c.source);
    await withFreshService(policyWorld, { policyPath: path }, async (s) => {
      for (const fn of FUNCTIONS) {
        expectPolicyError(await s.attempt(fn, eventFor(fn, s.ids)), path, c);
      }
      // A policy that failed to load is not cached: the next invocation of the container fails as well.
      expectPolicyError(await s.attempt("on-peering-request", s.ids.createEvent), path, c);
      expect(s.world.calls).toEqual([]);
      expect(s.world.peering(s.ids.connectionId).status.code).toBe("pending-acceptance");
    });
    ran.add(c.name);
  });
});

describe("an invalid policy, over time and against other inputs", () => {
  it("once the file is fixed, the next invocation of the same container loads it", async () => {
    const dir = mkdtempSync(join(scratch, "fixed-"));
    const path = join(dir, "policy.yml");
    writeFileSync(path, SHIPPED_POLICY.replace('"10.16.0.0/12"', '"10.16.0.0/33"'));
    await withFreshService(policyWorld, { policyPath: path }, async (s) => {
      expectPolicyError(await s.attempt("on-peering-request", s.ids.createEvent), path);
      expect(s.world.calls).toEqual([]);

      writeFileSync(path, SHIPPED_POLICY);
      const attempt = await s.attempt("on-peering-request", s.ids.createEvent);

      expect(attempt).toMatchObject({ ok: true, value: { kind: "decided", record: { action: "accept" } } });
    });
  });

  it("an invalid policy wins over an event that would be ignored: the invocation still fails", async () => {
    const path = policyFile("version: 2\nrules: []\n");
    await withFreshService(policyWorld, { policyPath: path }, async (s) => {
      const failed = {
        ...s.ids.createEvent,
        detail: { ...s.ids.createEvent.detail, errorCode: "Client.Nope" },
      };
      expectPolicyError(await s.attempt("on-peering-request", failed), path);
      expect(s.world.calls).toEqual([]);
    });
  });
});

// --- fuzzing ------------------------------------------------------------------------------------

type TextMutation =
  | { op: "delete-line" | "duplicate-line" | "truncate"; at: number }
  | { op: "swap-lines"; at: number; with: number }
  | { op: "insert-line"; at: number; line: string }
  | { op: "insert-text"; at: number; text: string }
  | { op: "delete-range"; at: number; length: number }
  | { op: "indent"; at: number; by: "  " | " " | "\t" | "-2" | "-1" }
  | { op: "replace-token"; at: number; value: string };

const LINES = [
  "version: 2",
  "unmatched: accept",
  "unmatched: ignore",
  "  - name: payments-to-shared",
  "    owner: netops",
  "    dnsResolution: yes",
  "    dnsResolution: true",
  '      cidrs: ["0.0.0.0/0"]',
  '      accounts: ["*"]',
  "rules: []",
  "---",
  "...",
  "%YAML 1.1",
  "x: &x {accounts: ['111111111111']}",
  "      <<: *x",
  "      <<: {owner: x}",
  "? complex",
  "- - -",
  "\t",
  "!!binary AAAA",
  "",
];

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({
    op: fc.constantFrom("delete-line" as const, "duplicate-line" as const, "truncate" as const),
    at: fc.nat(),
  }),
  fc.record({ op: fc.constant("swap-lines" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({
    op: fc.constant("insert-line" as const),
    at: fc.nat(),
    line: fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 30 })),
  }),
  fc.record({
    op: fc.constant("insert-text" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        ":",
        "-",
        "#",
        "&a",
        "*a",
        "[",
        "]",
        "{",
        "}",
        "'",
        '"',
        "\t",
        "\n",
        "\u0000",
        "\ufeff",
      ),
    ),
  }),
  fc.record({
    op: fc.constant("delete-range" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    op: fc.constant("indent" as const),
    at: fc.nat(),
    by: fc.constantFrom("  " as const, " " as const, "\t" as const, "-2" as const, "-1" as const),
  }),
  fc.record({
    op: fc.constant("replace-token" as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(...PLAUSIBLE_STRINGS, "~", "[]", "{}", "yes", "1", "0x1F", "1e3", ".inf", "'*'"),
      fc.string({ maxLength: 12 }),
    ),
  }),
);

/** Applies line- and character-level edits to the policy text; positions wrap around. */
function mutateText(text: string, list: readonly TextMutation[]): string {
  let out = text;
  for (const m of list) {
    const lines = out.split("\n");
    const line = m.at % Math.max(1, lines.length);
    const char = m.at % Math.max(1, out.length + 1);
    switch (m.op) {
      case "delete-line":
        lines.splice(line, 1);
        out = lines.join("\n");
        break;
      case "duplicate-line":
        lines.splice(line, 0, lines[line] ?? "");
        out = lines.join("\n");
        break;
      case "truncate":
        out = out.slice(0, char);
        break;
      case "swap-lines": {
        const other = m.with % Math.max(1, lines.length);
        [lines[line], lines[other]] = [lines[other] ?? "", lines[line] ?? ""];
        out = lines.join("\n");
        break;
      }
      case "insert-line":
        lines.splice(line, 0, m.line);
        out = lines.join("\n");
        break;
      case "insert-text":
        out = out.slice(0, char) + m.text + out.slice(char);
        break;
      case "delete-range":
        out = out.slice(0, char) + out.slice(char + m.length);
        break;
      case "indent": {
        const current = lines[line] ?? "";
        lines[line] =
          m.by === "-2"
            ? current.replace(/^ {1,2}/, "")
            : m.by === "-1"
              ? current.replace(/^ /, "")
              : m.by + current;
        out = lines.join("\n");
        break;
      }
      case "replace-token": {
        // A quoted string, a number or a bare word, the n-th one of the text.
        const tokens = [...out.matchAll(/"[^"\n]*"|\b[\w.:/*-]+\b/g)];
        const token = tokens[m.at % Math.max(1, tokens.length)];
        if (token?.index !== undefined)
          out = out.slice(0, token.index) + m.value + out.slice(token.index + token[0].length);
        break;
      }
    }
  }
  return out;
}

/** Whether the policy loads, as the service would load it (PolicyError otherwise, never anything else). */
function loads(text: string): boolean {
  try {
    parsePolicy(text, "fuzz.yml");
    return true;
  } catch (error) {
    expect((error as Error).name, String(error)).toBe("PolicyError");
    return false;
  }
}

/** The property both policy fuzzers check, for one mutated policy text. */
async function checkPolicy(text: string, tally: Record<string, number>, why: string): Promise<void> {
  const valid = loads(text);
  tally[valid ? "loads" : "invalid"] = (tally[valid ? "loads" : "invalid"] ?? 0) + 1;
  const path = policyFile(text);
  await withFreshService(policyWorld, { policyPath: path }, async (s) => {
    if (valid) {
      // The decision is whatever the mutated policy says; it must not be a policy failure.
      const attempt = await s.attempt("on-peering-request", s.ids.createEvent);
      expect(
        attempt.ok ? "ok" : (attempt.error as Error).name,
        `${why}\n${attempt.ok ? "" : String(attempt.error)}`,
      ).not.toBe("PolicyError");
      return;
    }
    for (const fn of FUNCTIONS) {
      const attempt = await s.attempt(fn, eventFor(fn, s.ids));
      expect(attempt.ok ? "loaded" : (attempt.error as Error).name, why).toBe("PolicyError");
      expectPolicyError(attempt, path);
    }
    expect(mutating(s.world.calls), why).toEqual([]);
    expect(s.world.calls, why).toEqual([]);
  });
}

describe("fuzz: mutations of the shipped policy.yml either load or fail every function closed", () => {
  it(`textual mutations (${propertyOptions().numRuns} runs)`, async () => {
    const tally: Record<string, number> = {};
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(textMutation, { minLength: 1, maxLength: 3 }), async (list) => {
        runs += 1;
        const text = mutateText(SHIPPED_POLICY, list);
        await checkPolicy(text, tally, `policy text:\n${text}`);
      }),
      propertyOptions(),
    );
    expect(runs).toBe(propertyOptions().numRuns);
    if (runs >= 100) {
      expect(tally.loads ?? 0, JSON.stringify(tally)).toBeGreaterThan(0);
      expect(tally.invalid ?? 0, JSON.stringify(tally)).toBeGreaterThan(0);
    }
    if (process.env.PROPERTY_TALLY) console.log("policy text", JSON.stringify(tally));
  });

  it(`structural mutations (${propertyOptions().numRuns} runs)`, async () => {
    const doc = parse(SHIPPED_POLICY);
    const tally: Record<string, number> = {};
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(lightMutations, async (list) => {
        runs += 1;
        const mutated = applyMutations(doc, list);
        let text: string;
        try {
          text = stringify(mutated.value);
        } catch {
          return; // not representable as YAML: nothing to load
        }
        await checkPolicy(text, tally, `${mutated.log.join("\n")}\npolicy text:\n${text.slice(0, 3000)}`);
      }),
      propertyOptions(),
    );
    expect(runs).toBe(propertyOptions().numRuns);
    if (runs >= 100) {
      expect(tally.loads ?? 0, JSON.stringify(tally)).toBeGreaterThan(0);
      expect(tally.invalid ?? 0, JSON.stringify(tally)).toBeGreaterThan(0);
    }
    if (process.env.PROPERTY_TALLY) console.log("policy structure", JSON.stringify(tally));
  });
});
