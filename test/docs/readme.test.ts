import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { ConfigSchema } from "../../shared/config";
import { decide } from "../../shared/decision/decide";
import type { DecisionFacts, PeeringStatus } from "../../shared/facts";
import { loadPolicy, parsePolicy } from "../../shared/policy/load-policy";
import { PolicySchema } from "../../shared/policy/schema";
import { ROOT, runCli, SHIPPED_POLICY, tempFile } from "../cli/run-cli";
import {
  accepterMain,
  accepterPartners,
  CONNECTION_ID,
  facts,
  policy,
  requesterMain,
  route,
} from "../helpers/facts";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const POLICY_YML = readFileSync(SHIPPED_POLICY, "utf8");

/** The text of a `## ` section of the README, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section '${title}'`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The rows of the first markdown table whose header starts with `header`, as cells. */
function table(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.replace(/ +/g, " ").startsWith(header));
  if (first < 0) throw new Error(`no table starting '${header}'`);
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The fenced code blocks of a text, in order, with their language. */
function codeBlocks(text: string): { lang: string; body: string }[] {
  const blocks: { lang: string; body: string }[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split("\n")) {
    const fence = /^```(\w*)$/.exec(line);
    if (fence && !open) open = { lang: fence[1] ?? "", lines: [] };
    else if (fence && open) {
      blocks.push({ lang: open.lang, body: open.lines.join("\n") });
      open = undefined;
    } else open?.lines.push(line);
  }
  return blocks;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map(([, text]) => text ?? "");

describe("README, The policy: the guard table", () => {
  const APPROVING = policy([
    {
      name: "tens",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.0.0.0/8"] },
    },
  ]);
  // Each guard tripped on its own, on a request the rule would otherwise approve; with the README's
  // example values where the reason has values.
  const GUARDS: [string, DecisionFacts][] = [
    ["no requester CIDR", facts({ requesterCidrs: [] })],
    ["no accepter CIDR", facts({ accepterCidrs: [] })],
    ["overlap", facts({ requesterCidrs: ["10.0.128.0/20"] })],
    ["route conflict", facts({ accepterTables: [accepterMain(route("10.20.4.0/24", "tgw-0a"))] })],
    [
      "route-table quota",
      {
        ...facts({ accepterTables: [accepterMain(route("172.16.0.0/16", "tgw-0a")), accepterPartners()] }),
        quotas: { routesPerTable: 2, activePeeringsPerVpc: 50, rulesPerSecurityGroup: 60 },
      },
    ],
  ];
  const cells = table(section("The policy"), "| guard | reason in the decision |").map(
    ([, reason]) => backticked(reason ?? "")[0] ?? "",
  );
  // `…` in the README stands for the values a reason names.
  const pattern = (cell: string) =>
    new RegExp(`^${cell.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/…/g, ".+?")}$`);

  it("is tripped by each of these facts alone, which a rule would otherwise accept", () => {
    expect(decide(facts(), APPROVING).action).toBe("accept");
    for (const [, tripping] of GUARDS) {
      expect(decide(tripping, APPROVING)).toMatchObject({
        action: "reject",
        findings: expect.arrayContaining(["rejected"]),
      });
    }
  });

  it.each(GUARDS)("lists the reason of the %s guard", (_, tripping) => {
    const [reason = ""] = decide(tripping, APPROVING).reasons;

    expect(cells.filter((cell) => pattern(cell).test(reason))).toHaveLength(1);
  });

  it("lists no guard that decide() does not have", () => {
    const reasons = GUARDS.map(([, tripping]) => decide(tripping, APPROVING).reasons[0] ?? "");

    expect(cells).toHaveLength(GUARDS.length);
    for (const cell of cells) expect(reasons.filter((r) => pattern(cell).test(r))).toHaveLength(1);
  });

  it("covers every rejection of a pending request but the rules' own", () => {
    // A new guard is a new reject() in decidePending: give it facts above and a row in the README.
    const source = readFileSync(join(ROOT, "shared/decision/decide.ts"), "utf8");
    const pending = source.slice(
      source.indexOf("function decidePending"),
      source.indexOf("function decideActive"),
    );
    const rejections = pending.match(/return reject\(/g) ?? [];

    expect(rejections).toHaveLength(GUARDS.length + 1);
  });
});

describe("README, The whole life of a connection: what decide() does in each status", () => {
  const RULES = [
    {
      name: "twenties",
      accepter: { accounts: ["111111111111"] },
      requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] },
    },
  ];
  // Record<PeeringStatus, …>: tsc reports a status added to the type and missing here.
  const STATUSES: Record<PeeringStatus, true> = {
    "initiating-request": true,
    "pending-acceptance": true,
    provisioning: true,
    active: true,
    failed: true,
    rejected: true,
    expired: true,
    deleting: true,
    deleted: true,
  };
  const leftover = route("10.20.0.0/16", CONNECTION_ID);
  /**
   * Every action decide() takes in a status: a rule governs or not, it asks a person or not, unmatched
   * either way, routes left or not.
   */
  function actionsIn(status: string): Set<string> {
    const actions = new Set<string>();
    const variants = [RULES, RULES.map((rule) => ({ ...rule, approval: "required" }))];
    for (const [unmatched, rules] of (["reject", "ignore"] as const).flatMap((u) =>
      variants.map((r) => [u, r] as const),
    )) {
      for (const requesterCidrs of [["10.20.0.0/16"], ["192.168.0.0/16"]]) {
        for (const tables of [[accepterMain()], [accepterMain(leftover)]]) {
          const input = {
            status,
            requesterCidrs,
            accepterTables: tables,
            requesterTables: [requesterMain()],
          };
          actions.add(decide(facts(input), policy(rules, unmatched)).action);
        }
      }
    }
    return actions;
  }
  const rows = table(section("The whole life of a connection"), "| status | action |");

  it("names every status", () => {
    const named = new Set(rows.flatMap(([status]) => backticked(status ?? "")));

    expect([...named].sort()).toEqual(Object.keys(STATUSES).sort());
  });

  it.each(Object.keys(STATUSES))("gives for %s exactly the actions decide() takes", (status) => {
    const listed = rows
      .filter(([cell]) => backticked(cell ?? "").includes(status))
      .flatMap(([, actions]) => backticked(actions ?? ""));

    expect(new Set(listed)).toEqual(actionsIn(status));
  });
});

/** Every key a policy may hold, found by walking the schema, as paths (`rules[].routes.accepter`). */
function policyKeys(schema: z.ZodType, path = ""): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const walk = (inner: unknown, at = path) => policyKeys(inner as z.ZodType, at);
  switch (def.type) {
    case "object":
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, value]) => {
        const at = path ? `${path}.${key}` : key;
        return [at, ...walk(value, at)];
      });
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "readonly":
      return walk(def.innerType);
    case "array":
      return walk(def.element, `${path}[]`);
    case "union":
      return (def.options as z.ZodType[]).flatMap((option) => walk(option));
    case "record":
      // The keys are the user's own (tag names); only the values have a shape.
      return walk(def.valueType, `${path}.*`);
    case "pipe":
      return [...walk(def.in), ...walk(def.out)];
    case "string":
    case "number":
    case "transform":
    case "enum":
    case "literal":
    case "boolean":
      return [];
    default:
      throw new Error(`policyKeys does not know zod's ${def.type} (at ${path || "the top"}): teach it`);
  }
}

describe("README, The policy, and policy.yml: every key the schema accepts", () => {
  const keys = policyKeys(PolicySchema);
  const names = [...new Set(keys.map((key) => key.split(".").at(-1)?.replace("[]", "") ?? key))];
  const policySection = section("The policy");

  it("are found by walking the schema", () => {
    expect(keys).toEqual(
      expect.arrayContaining([
        "version",
        "unmatched",
        "rules",
        "rules[].accepter.vpcs",
        "rules[].requester.cidrs",
        "rules[].dnsResolution",
        "rules[].routes.requester",
        "rules[].routes.accepter.tags",
      ]),
    );
  });

  it.each(names)("names %s in the README's policy section", (name) => {
    expect(policySection).toMatch(new RegExp(`\\b${name}:`));
  });

  it.each(names)("names %s in policy.yml", (name) => {
    expect(POLICY_YML).toMatch(new RegExp(`\\b${name}:`));
  });

  it("shows a policy in the README that loads, as policy.yml does", () => {
    const yaml = codeBlocks(policySection).find((block) => block.lang === "yaml")?.body ?? "";

    expect(parsePolicy(yaml, "README.md").rules[0]?.name).toBe("payments-to-shared");
    expect(loadPolicy(SHIPPED_POLICY).rules).toHaveLength(5);
  });
});

describe("README, The policy: the invalid-policy example", () => {
  it("is what `peering check` prints for it, and what the service's error says", async () => {
    const file = tempFile("policy.yml", POLICY_YML.replace('"10.16.0.0/12"', '"10.16.0.0/33"'));
    const { code, err } = await runCli("check", file);
    const blocks = codeBlocks(section("The policy")).map((block) => block.body);
    let serviceError = "";
    try {
      loadPolicy(file);
    } catch (error) {
      serviceError = (error as Error).message;
    }

    expect(code).toBe(1);
    expect(blocks).toContain(err.join("\n").replaceAll(file, "policy.yml"));
    expect(blocks).toContain(serviceError.replaceAll(file, "policy.yml"));
  });
});

describe("README, Deploying and Configuration: every parameter and every variable", () => {
  const serverlessYml = readFileSync(join(ROOT, "serverless.yml"), "utf8");
  const defaults = serverlessYml.slice(
    serverlessYml.indexOf("params:\n  default:\n"),
    serverlessYml.indexOf("\nprovider:"),
  );
  const params = [...defaults.matchAll(/^ {4}(\w+):/gm)].map(([, name]) => name ?? "");
  const documented = (title: string, header: string) =>
    table(section(title), header).flatMap(([name = ""]) => backticked(name));

  it("finds the deployment parameters in serverless.yml", () => {
    expect(params).toEqual(
      expect.arrayContaining(["externalId", "orgId", "memberAccounts", "eventConcurrency"]),
    );
  });

  it.each(params)("names the parameter %s in the parameters table", (name) => {
    expect(documented("Deploying", "| param |")).toContain(name);
  });

  // Lambda sets AWS_REGION itself; it is the function's own region, never configured.
  const variables = Object.keys(ConfigSchema.shape).filter((name) => name !== "AWS_REGION");

  it.each(variables)("names the variable %s in the configuration table", (name) => {
    expect(documented("Configuration", "| variable |")).toContain(name);
  });
});
