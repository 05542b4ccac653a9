import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadPolicy, parsePolicy } from "../../shared/policy/load-policy";
import { PolicyError } from "../../shared/policy/policy-error";
import type { Policy } from "../../shared/policy/schema";
import { named } from "../helpers/facts";

const FILE = "policies/test.yml";
const SHIPPED = fileURLToPath(new URL("../../policy.yml", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the tests break the document in ways no type allows
type Doc = any;

/** A valid document with two rules; each row breaks one thing in a copy of it. */
function validDoc(): Doc {
  return {
    version: 1,
    rules: [
      {
        name: "first",
        accepter: { accounts: ["111111111111"], regions: ["us-east-1"], vpcs: ["vpc-0f9e8d7c6b5a40001"] },
        requester: {
          accounts: ["222222222222"],
          regions: ["us-east-1"],
          cidrs: ["10.16.0.0/12", "fd00:16::/32"],
        },
        routes: { accepter: "all", requester: "main" },
      },
      {
        name: "second",
        accepter: { accounts: ["111111111111"] },
        requester: { accounts: ["*"], cidrs: ["172.20.0.0/16"] },
        routes: { accepter: { tags: { peering: "partners" } }, requester: "none" },
      },
    ],
  };
}

/** Runs `fn`, which must throw a PolicyError, and returns the error. */
function policyError(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return error as PolicyError;
  }
  throw new Error("expected a PolicyError, but the policy loaded");
}

describe("parsePolicy: the document as written", () => {
  it("accepts the valid base document", () => {
    const policy = parsePolicy(stringify(validDoc()), FILE);
    expect(policy.rules.map((r) => r.name)).toEqual(["first", "second"]);
    expect(policy.rules[1]?.routes).toEqual({
      accepter: { tags: { peering: "partners" } },
      requester: "none",
      reach: { accepter: "vpc", requester: "vpc" },
    });
  });

  it.each(
    named([
      {
        name: "unmatched defaults to reject",
        edit: (_: Doc) => {},
        pick: (p: Policy) => p.unmatched,
        expected: "reject",
      },
      {
        name: "unmatched: ignore is kept",
        edit: (d: Doc) => Object.assign(d, { unmatched: "ignore" }),
        pick: (p: Policy) => p.unmatched,
        expected: "ignore",
      },
      {
        name: "routes default to all/all, reaching the whole VPC",
        edit: (d: Doc) => delete d.rules[0].routes,
        pick: (p: Policy) => p.rules[0]?.routes,
        expected: { accepter: "all", requester: "all", reach: { accepter: "vpc", requester: "vpc" } },
      },
      {
        name: "a missing side of routes defaults to all",
        edit: (d: Doc) => {
          d.rules[0].routes = { accepter: "main" };
        },
        pick: (p: Policy) => p.rules[0]?.routes,
        expected: { accepter: "main", requester: "all", reach: { accepter: "vpc", requester: "vpc" } },
      },
      {
        name: "an empty rule list is a valid policy",
        edit: (d: Doc) => {
          d.rules = [];
        },
        pick: (p: Policy) => p.rules,
        expected: [],
      },
    ]),
  )("%s", (_, { edit, pick, expected }) => {
    const doc = validDoc();
    edit(doc);
    expect(pick(parsePolicy(stringify(doc), FILE))).toEqual(expected);
  });
});

describe("parsePolicy: validation errors name the file, the rule and the field", () => {
  it.each(
    named<{ name: string; edit: (d: Doc) => void; rule?: string; field?: string; message: RegExp }>([
      // top level
      {
        name: "unknown top-level key",
        edit: (d) => Object.assign(d, { unmatch: "ignore" }),
        message: /unknown key\(s\): unmatch/,
      },
      {
        name: "wrong version",
        edit: (d) => Object.assign(d, { version: 2 }),
        field: "version",
        message: /1/,
      },
      {
        name: "version as a string",
        edit: (d) => Object.assign(d, { version: "1" }),
        field: "version",
        message: /1/,
      },
      { name: "missing version", edit: (d) => delete d.version, field: "version", message: /expected 1/ },
      {
        name: "wrong unmatched",
        edit: (d) => Object.assign(d, { unmatched: "accept" }),
        field: "unmatched",
        message: /reject|ignore/,
      },
      { name: "missing rules", edit: (d) => delete d.rules, field: "rules", message: /expected array/ },
      {
        name: "rules not a list",
        edit: (d) => Object.assign(d, { rules: { name: "x" } }),
        field: "rules",
        message: /expected array/,
      },
      // inside a rule
      {
        name: "unknown key in a rule",
        edit: (d) => Object.assign(d.rules[0], { owner: "netops" }),
        rule: "first",
        message: /unknown key\(s\): owner/,
      },
      {
        name: "several unknown keys in a rule, comma-separated",
        edit: (d) => Object.assign(d.rules[1], { owner: "netops", ticket: "NET-1" }),
        rule: "second",
        message: /^unknown key\(s\): owner, ticket$/,
      },
      {
        name: "unknown key in a selector",
        edit: (d) => Object.assign(d.rules[1].requester, { account: ["333333333333"] }),
        rule: "second",
        field: "requester",
        message: /unknown key\(s\): account/,
      },
      {
        name: "bad CIDR (host bits)",
        edit: (d) => {
          d.rules[0].requester.cidrs[1] = "fd00:16::1/32";
        },
        rule: "first",
        field: "requester.cidrs[1]",
        message: /host bits/,
      },
      {
        name: "bad CIDR (three-part IPv4)",
        edit: (d) => {
          d.rules[1].requester.cidrs[0] = "172.20.0/16";
        },
        rule: "second",
        field: "requester.cidrs[0]",
        message: /four-part/,
      },
      {
        name: "bad CIDR (garbage)",
        edit: (d) => {
          d.rules[1].requester.cidrs[0] = "everything";
        },
        rule: "second",
        field: "requester.cidrs[0]",
        message: /not a CIDR block/,
      },
      {
        name: "bad accepter account id (11 digits)",
        edit: (d) => {
          d.rules[0].accepter.accounts[0] = "11111111111";
        },
        rule: "first",
        field: "accepter.accounts[0]",
        message: /12-digit/,
      },
      {
        name: "'*' is not an accepter account",
        edit: (d) => {
          d.rules[1].accepter.accounts = ["*"];
        },
        rule: "second",
        field: "accepter.accounts[0]",
        message: /12-digit/,
      },
      {
        name: "bad requester account id",
        edit: (d) => {
          d.rules[0].requester.accounts = ["222222222222", "abc"];
        },
        rule: "first",
        field: "requester.accounts[1]",
        message: /./,
      },
      {
        name: "account id as a YAML number",
        edit: (d) => {
          d.rules[0].requester.accounts[0] = 222222222222;
        },
        rule: "first",
        field: "requester.accounts[0]",
        message: /./,
      },
      {
        name: "bad accepter region (upper case)",
        edit: (d) => {
          d.rules[0].accepter.regions[0] = "US-EAST-1";
        },
        rule: "first",
        field: "accepter.regions[0]",
        message: /AWS region/,
      },
      {
        name: "bad requester region (no number)",
        edit: (d) => {
          d.rules[0].requester.regions = ["us-east-1", "eu-west"];
        },
        rule: "first",
        field: "requester.regions[1]",
        message: /AWS region/,
      },
      {
        name: "availability zone instead of region",
        edit: (d) => {
          d.rules[0].accepter.regions[0] = "us-east-1a";
        },
        rule: "first",
        field: "accepter.regions[0]",
        message: /AWS region/,
      },
      {
        name: "bad vpc id",
        edit: (d) => {
          d.rules[0].accepter.vpcs[0] = "vpc-123";
        },
        rule: "first",
        field: "accepter.vpcs[0]",
        message: /VPC id/,
      },
      {
        name: "duplicate rule name",
        edit: (d) => {
          d.rules[1].name = "first";
        },
        rule: "rules[1]",
        field: "name",
        message: /duplicate rule name 'first'/,
      },
      {
        name: "invalid rule name",
        edit: (d) => {
          d.rules[1].name = "-starts-with-dash";
        },
        rule: "-starts-with-dash",
        field: "name",
        message: /letters, digits/,
      },
      {
        name: "missing name: the rule is named by index",
        edit: (d) => delete d.rules[1].name,
        rule: "rules[1]",
        field: "name",
        message: /expected string/,
      },
      {
        name: "unnamed rule with a bad CIDR: named by index",
        edit: (d) => {
          delete d.rules[1].name;
          d.rules[1].requester.cidrs = ["172.20.0.0/16", "nonsense"];
        },
        rule: "rules[1]",
        field: "requester.cidrs[1]",
        message: /not a CIDR block/,
      },
      {
        name: "empty rule name: the rule is named by index",
        edit: (d) => {
          d.rules[1].name = "";
        },
        rule: "rules[1]",
        field: "name",
        message: /letters, digits/,
      },
      {
        name: "a rule name that is not a string: the rule is named by index",
        edit: (d) => {
          d.rules[0].name = 7;
        },
        rule: "rules[0]",
        field: "name",
        message: /expected string/,
      },
      {
        name: "a rule that is nothing: named by index",
        edit: (d) => {
          d.rules[1] = null;
        },
        rule: "rules[1]",
        message: /expected object/,
      },
      {
        name: "a rule that is nothing does not keep the next one from being named",
        edit: (d) => {
          d.rules.unshift(null);
          d.rules[2].requester.cidrs[0] = "172.20.0.1/16";
        },
        rule: "second",
        field: "requester.cidrs[0]",
        message: /host bits/,
      },
      {
        name: "missing accepter.accounts",
        edit: (d) => delete d.rules[0].accepter.accounts,
        rule: "first",
        field: "accepter.accounts",
        message: /expected array/,
      },
      {
        name: "missing requester.accounts",
        edit: (d) => delete d.rules[1].requester.accounts,
        rule: "second",
        field: "requester.accounts",
        message: /expected array/,
      },
      {
        name: "missing requester.cidrs",
        edit: (d) => delete d.rules[1].requester.cidrs,
        rule: "second",
        field: "requester.cidrs",
        message: /expected array/,
      },
      {
        name: "missing accepter",
        edit: (d) => delete d.rules[0].accepter,
        rule: "first",
        field: "accepter",
        message: /expected object/,
      },
      {
        name: "empty accepter.accounts",
        edit: (d) => {
          d.rules[0].accepter.accounts = [];
        },
        rule: "first",
        field: "accepter.accounts",
        message: /at least one/,
      },
      {
        name: "empty requester.accounts",
        edit: (d) => {
          d.rules[0].requester.accounts = [];
        },
        rule: "first",
        field: "requester.accounts",
        message: /at least one/,
      },
      {
        name: "empty requester.cidrs",
        edit: (d) => {
          d.rules[1].requester.cidrs = [];
        },
        rule: "second",
        field: "requester.cidrs",
        message: /at least one/,
      },
      {
        name: "empty regions",
        edit: (d) => {
          d.rules[0].accepter.regions = [];
        },
        rule: "first",
        field: "accepter.regions",
        message: /at least one/,
      },
      {
        name: "empty vpcs",
        edit: (d) => {
          d.rules[0].accepter.vpcs = [];
        },
        rule: "first",
        field: "accepter.vpcs",
        message: /at least one/,
      },
      {
        name: "string where a list is expected",
        edit: (d) => {
          d.rules[0].accepter.accounts = "111111111111";
        },
        rule: "first",
        field: "accepter.accounts",
        message: /expected array, received string/,
      },
      {
        name: "bad routes selector",
        edit: (d) => {
          d.rules[0].routes.accepter = "some";
        },
        rule: "first",
        field: "routes.accepter",
        message: /must be all, main, none or \{tags/,
      },
      {
        name: "routes selector with an unknown key",
        edit: (d) => {
          d.rules[1].routes.accepter = { tag: { peering: "partners" } };
        },
        rule: "second",
        field: "routes.accepter",
        message: /must be all, main, none or \{tags/,
      },
      {
        name: "routes tags selector naming no tag",
        edit: (d) => {
          d.rules[1].routes.accepter = { tags: {} };
        },
        rule: "second",
        field: "routes.accepter.tags",
        message: /at least one tag/,
      },
      {
        name: "unknown key in routes",
        edit: (d) => {
          d.rules[0].routes.both = "all";
        },
        rule: "first",
        field: "routes",
        message: /unknown key\(s\): both/,
      },
    ]),
  )("%s", (_, { edit, rule, field, message }) => {
    const doc = validDoc();
    edit(doc);
    const error = policyError(() => parsePolicy(stringify(doc), FILE));

    expect(error.file).toBe(FILE);
    expect(error.message).toContain(`invalid policy ${FILE}`);
    const problem = error.problems.find(
      (p) => p.rule === rule && p.field === field && message.test(p.message),
    );
    expect(problem, JSON.stringify(error.problems)).toBeDefined();
    if (rule) expect(error.message).toContain(`rule '${rule}'`);
    if (field) expect(error.message).toContain(`field ${field}`);
    if (rule && field) expect(error.message).toContain(`rule '${rule}', field ${field}:`);
  });

  it("reports every problem, not only the first", () => {
    const doc = validDoc();
    doc.rules[0].accepter.accounts[0] = "1";
    doc.rules[1].requester.cidrs[0] = "10.0.0.1/8";
    const error = policyError(() => parsePolicy(stringify(doc), FILE));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: "first", field: "accepter.accounts[0]" }),
        expect.objectContaining({ rule: "second", field: "requester.cidrs[0]" }),
      ]),
    );
  });
});

const RULE = `
  - name: only
    accepter:
      accounts: ["111111111111"]
    requester:
      accounts: ["222222222222"]
      cidrs: ["10.20.0.0/16"]
`;

describe("parsePolicy: YAML edge cases", () => {
  it.each(
    named(
      [
        {
          name: "duplicate top-level key",
          text: `version: 1\nversion: 1\nrules: []\n`,
          message: /unique.*line 2/,
        },
        {
          name: "duplicate key inside a rule",
          text: `version: 1\nrules:${RULE.replace("    requester:", '    accepter:\n      accounts: ["1"]\n    requester:')}`,
          message: /unique/,
        },
        { name: "syntax error (unclosed flow list)", text: "version: 1\nrules: [\n", message: /line/ },
        { name: "tab indentation", text: "version: 1\nrules:\n\t- name: x\n", message: /[Tt]ab/ },
        {
          name: "alias bomb (nested aliases)",
          text: [
            "version: 1",
            'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
            "rules: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
            "",
          ].join("\n"),
          message: /alias/i,
        },
        {
          name: "many aliases of one scalar",
          text: `version: 1\nx: &a "111111111111"\nrules: [${Array(80).fill("*a").join(", ")}]\n`,
          message: /alias/i,
        },
        {
          name: "empty file",
          text: "",
          message: /expected a YAML mapping with version, unmatched and rules, found/,
        },
        {
          name: "comments only",
          text: "# nothing here\n",
          message: /expected a YAML mapping with version, unmatched and rules, found/,
        },
        {
          name: "a list, not a mapping",
          text: "- version: 1\n",
          message: /expected a YAML mapping with version, unmatched and rules, found/,
        },
        {
          name: "a scalar, not a mapping",
          text: "policy\n",
          message: /expected a YAML mapping with version, unmatched and rules, found/,
        },
      ],
      (r) => `${r.name} is a PolicyError naming the file`,
    ),
  )("%s", (_, { text, message }) => {
    const error = policyError(() => parsePolicy(text, FILE));
    expect(error.file).toBe(FILE);
    expect(error.message).toContain(FILE);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems.map((p) => p.message).join("\n")).toMatch(message);
  });

  it.each(
    named([
      {
        name: "a duplicate key",
        text: "version: 1\nversion: 1\nrules: []\n",
        messages: ["Map keys must be unique at line 2, column 1"],
      },
      {
        name: "a colon inside the message is kept",
        text: "version: !one 1\nrules: []\n",
        messages: ["Unresolved tag: !one at line 1, column 10"],
      },
      {
        name: "two problems, one line each",
        text: "version: 1\nversion: !one 1\nrules: []\n",
        messages: [
          "Map keys must be unique at line 2, column 1",
          "Unresolved tag: !one at line 2, column 10",
        ],
      },
      {
        name: "tab indentation",
        text: "version: 1\nrules:\n\t- name: x\n",
        messages: ["Tabs are not allowed as indentation at line 3, column 1"],
      },
      // What the YAML 1.2 spec requires refusing although a lenient parser would guess the meaning.
      {
        name: "a comment glued to a quoted value is refused, not dropped",
        text: `version: 1\nrules:${RULE.replace("name: only", 'name: "only"#the only rule')}`,
        messages: [
          "Comments must be separated from other tokens by white space characters at line 3, column 17",
        ],
      },
      {
        name: "a comment glued to a flow list is refused, not dropped",
        text: "version: 1\nrules: []#none\n",
        messages: [
          "Comments must be separated from other tokens by white space characters at line 2, column 10",
        ],
      },
      {
        name: "an implicit key across lines in a flow list is refused",
        text: "version: 1\nrules: [a\n  : b]\n",
        messages: ["Implicit keys of flow sequence pairs need to be on a single line at line 2, column 10"],
      },
    ]),
  )("a YAML problem is the first line of the parser's message, without its closing colon: %s", (_, row) => {
    const error = policyError(() => parsePolicy(row.text, FILE));
    expect(error.problems.map((p) => p.message).sort()).toEqual([...row.messages].sort());
    expect(error.problems.every((p) => p.rule === undefined && p.field === undefined)).toBe(true);
  });

  it.each(
    named([
      { name: "an empty file", text: "", found: "nothing" },
      { name: "comments only", text: "# nothing here\n", found: "nothing" },
      { name: "an explicit null", text: "~\n", found: "nothing" },
      { name: "a list", text: "- version: 1\n", found: "a list" },
      { name: "an empty flow list", text: "[]\n", found: "a list" },
      { name: "a word", text: "policy\n", found: "a string" },
      { name: "a number", text: "42\n", found: "a number" },
      { name: "a boolean", text: "true\n", found: "a boolean" },
    ]),
  )("a document that is not a mapping says what it is: %s", (_, { text, found }) => {
    const error = policyError(() => parsePolicy(text, FILE));
    expect(error.problems).toEqual([
      {
        message: `expected a YAML mapping with version, unmatched and rules, found ${found} (is the file empty, binary, or not UTF-8?)`,
      },
    ]);
  });

  it("anchors and aliases used legitimately load", () => {
    const text = [
      "version: 1",
      "rules:",
      "  - name: a",
      "    accepter:",
      '      accounts: &shared ["111111111111"]',
      "    requester: &app",
      '      accounts: ["222222222222"]',
      '      cidrs: ["10.20.0.0/16", "fd00:16::/32"]',
      "  - name: b",
      "    accepter:",
      "      accounts: *shared",
      '      regions: ["eu-west-1"]',
      "    requester: *app",
      "  - name: c",
      "    accepter:",
      "      accounts: *shared",
      "    requester: *app",
      "    routes: {accepter: main, requester: none}",
      "",
    ].join("\n");
    const policy = parsePolicy(text, FILE);
    expect(policy.rules.map((r) => r.name)).toEqual(["a", "b", "c"]);
    for (const r of policy.rules) {
      expect(r.accepter.accounts).toEqual(["111111111111"]);
      expect(r.requester).toEqual({ accounts: ["222222222222"], cidrs: ["10.20.0.0/16", "fd00:16::/32"] });
    }
  });

  it("merge keys let rules share a base and override one selector", () => {
    const text = [
      "version: 1",
      "rules:",
      "  - name: base",
      "    accepter: &accepter",
      '      accounts: ["111111111111"]',
      '      regions: ["us-east-1"]',
      '    requester: {accounts: ["222222222222"], cidrs: ["10.20.0.0/16"]}',
      "  - name: eu",
      "    accepter:",
      "      <<: *accepter",
      '      regions: ["eu-west-1"]',
      '    requester: {accounts: ["222222222222"], cidrs: ["10.20.0.0/16"]}',
      "",
    ].join("\n");
    const policy = parsePolicy(text, FILE);
    expect(policy.rules[1]?.accepter).toEqual({ accounts: ["111111111111"], regions: ["eu-west-1"] });
  });
});

describe("loadPolicy", () => {
  const dir = mkdtempSync(join(tmpdir(), "policy-load-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the shipped policy.yml", () => {
    const policy = loadPolicy(SHIPPED);
    expect(policy.version).toBe(1);
    expect(policy.unmatched).toBe("reject");
    expect(policy.mode).toBe("enforce");
    expect(policy.rules.map((r) => [r.name, r.mode ?? policy.mode])).toEqual([
      ["payments-to-shared", "enforce"],
      ["partner-analytics", "enforce"],
      ["vendor-onboarding", "enforce"],
      ["data-platform-trial", "report"],
      ["orders-to-shared-data", "enforce"],
    ]);
    expect(policy.rules[0]).toMatchObject({
      accepter: { accounts: ["111111111111"], regions: ["us-east-1"], vpcs: ["vpc-0f9e8d7c6b5a40001"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12", "fd00:16::/32"] },
      routes: { accepter: "all", requester: "all" },
    });
    expect(policy.rules[1]?.routes).toEqual({
      accepter: { tags: { peering: "partners" } },
      requester: "none",
      reach: { accepter: "vpc", requester: "vpc" },
    });
    // The example of least access: each side routes only the peer's tagged subnets, and one port opens.
    expect(policy.rules[4]).toMatchObject({
      routes: {
        accepter: "all",
        requester: "all",
        reach: {
          accepter: { subnets: { tags: { Tier: "data" } } },
          requester: { subnets: { tags: { Tier: "app" } } },
        },
      },
      securityGroups: {
        accepter: { tags: { Peering: "orders" } },
        requester: "none",
        ingress: [{ protocol: "tcp", ports: [{ from: 5432, to: 5432 }] }],
      },
    });
    expect(policy.rules.map((r) => r.approval)).toEqual([
      undefined,
      undefined,
      "required",
      undefined,
      undefined,
    ]);
  });

  it("a file that does not exist is a PolicyError naming it", () => {
    const missing = join(dir, "does-not-exist.yml");
    const error = policyError(() => loadPolicy(missing));
    expect(error.file).toBe(missing);
    expect(error.message).toContain(missing);
    expect(error.message).toMatch(/cannot read the file/);
  });

  it("a file that does not validate is a PolicyError naming the path, rule and field", () => {
    const file = join(dir, "bad.yml");
    writeFileSync(
      file,
      `version: 1\nrules:${RULE.replace('"10.20.0.0/16"', '"10.20.0.0/16", "10.20.0.1/16"')}`,
    );
    const error = policyError(() => loadPolicy(file));
    expect(error.file).toBe(file);
    expect(error.message).toContain(`invalid policy ${file}`);
    expect(error.message).toContain("rule 'only', field requester.cidrs[1]:");
  });
});
