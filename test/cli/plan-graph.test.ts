import { describe, expect, it } from "vitest";
import { planGraph } from "../../bin/plan-graph";
import { EDGE_KINDS, type EdgeKind } from "../../bin/plan-graph/model";
import { EDGE_STYLES } from "../../bin/plan-graph/style";
import { changesOf, hasChanges } from "../../shared/decision/changes";
import { decide } from "../../shared/decision/decide";
import type { Decision } from "../../shared/decision/decision";
import type { PassPlan } from "../../shared/workflow/plan-pass";
import {
  ACCEPTER,
  CONNECTION_ID,
  type FactsInput,
  facts,
  named,
  policy,
  REQUESTER,
  requesterMain,
  route,
} from "../helpers/facts";

const RULES = [
  {
    name: "apps",
    accepter: { accounts: [ACCEPTER.account] },
    requester: { accounts: [REQUESTER.account], cidrs: ["10.16.0.0/12"] },
  },
  {
    name: "vendor",
    approval: "required",
    accepter: { accounts: [ACCEPTER.account] },
    requester: { accounts: ["777777777777"], cidrs: ["10.77.0.0/16"] },
  },
  {
    name: "trial",
    mode: "report",
    accepter: { accounts: [ACCEPTER.account] },
    requester: { accounts: ["888888888888"], cidrs: ["10.88.0.0/16"] },
  },
];
const POLICY = policy(RULES);
const IGNORING = policy(RULES, "ignore");

/** A true decision, under its own connection id. */
function decided(connectionId: string, input: FactsInput, over = POLICY): Decision {
  return { ...decide(facts(input), over), connectionId };
}

function planOf(...decisions: Decision[]): PassPlan {
  return {
    targets: [{ account: ACCEPTER.account, region: ACCEPTER.region }],
    connections: decisions.map((decision) => ({
      target: { account: decision.accepter.account, region: decision.accepter.region },
      decision,
      changes: changesOf(decision),
    })),
    orphanRoutes: { mode: "enforce", removals: [] },
    skipped: [],
    failures: [],
  };
}

/** A route the requester made to the connection: what a dead connection leaves behind. */
const leftover = { requesterTables: [requesterMain(route("10.0.0.0/16", CONNECTION_ID))] };

/** One true decision of each kind an edge can show (outside policy twice: active, and pending unmatched). */
const KINDS: { name: string; kind: EdgeKind; decision: () => Decision }[] = [
  { name: "accept", kind: "accept", decision: () => decided("pcx-accept", {}) },
  {
    name: "reject (CIDR outside every rule)",
    kind: "reject",
    decision: () => decided("pcx-reject", { requesterCidrs: ["192.168.0.0/16"] }),
  },
  { name: "maintain", kind: "maintain", decision: () => decided("pcx-maintain", { status: "active" }) },
  {
    name: "cleanup (deleted, a route left)",
    kind: "cleanup",
    decision: () => decided("pcx-cleanup", { status: "deleted", ...leftover }),
  },
  {
    name: "await approval",
    kind: "await-approval",
    decision: () =>
      decided("pcx-await", { requesterAccount: "777777777777", requesterCidrs: ["10.77.0.0/20"] }),
  },
  {
    name: "outside policy (active, no rule governs it)",
    kind: "outside-policy",
    decision: () => decided("pcx-outside", { status: "active", requesterCidrs: ["192.168.0.0/16"] }),
  },
  {
    name: "outside policy (pending, unmatched: ignore)",
    kind: "outside-policy",
    decision: () => decided("pcx-unmatched", { requesterCidrs: ["192.168.0.0/16"] }, IGNORING),
  },
  {
    name: "report only (a report-mode rule would accept)",
    kind: "report-only",
    decision: () =>
      decided("pcx-report", { requesterAccount: "888888888888", requesterCidrs: ["10.88.0.0/16"] }),
  },
  {
    name: "nothing to do (provisioning)",
    kind: "ignore",
    decision: () => decided("pcx-ignore", { status: "provisioning" }),
  },
];

interface Drawn {
  from: string;
  to: string;
  arrow: string;
  label: string;
  style: string;
}

/**
 * Reads the Mermaid this module writes: subgraphs must balance, every edge index must have exactly one
 * `linkStyle`, every id must be a plain identifier, every edge must join declared nodes, and no quoted
 * text may hold a raw `"`.
 */
function readMermaid(text: string) {
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toBe("flowchart LR");
  const path: string[] = [];
  const nodes = new Map<string, { label: string; path: string[] }>();
  const edges: Omit<Drawn, "style">[] = [];
  const styles = new Map<number, string>();
  for (const line of lines.slice(1)) {
    expect(line.split('"').length % 2, line).toBe(1);
    const subgraph = /^\s*subgraph ([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\]$/.exec(line);
    const node = /^\s*([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\]$/.exec(line);
    const edge =
      /^\s*(\S+?)(?:\[" "\]:::legendPoint)? (-->|==>|-\.->)\|"([^"]*)"\| (\S+?)(?:\[" "\]:::legendPoint)?$/.exec(
        line,
      );
    const style = /^\s*linkStyle (\d+) (.+)$/.exec(line);
    if (subgraph) path.push(subgraph[2] ?? "");
    else if (line.trim() === "end") expect(path.pop(), "an end without its subgraph").toBeDefined();
    else if (node) {
      expect(nodes.has(node[1] ?? ""), `node ${node[1]} defined twice`).toBe(false);
      nodes.set(node[1] ?? "", { label: node[2] ?? "", path: [...path] });
    } else if (edge)
      edges.push({ from: edge[1] ?? "", arrow: edge[2] ?? "", label: edge[3] ?? "", to: edge[4] ?? "" });
    else if (style) {
      expect(styles.has(Number(style[1])), `linkStyle ${style[1]} twice`).toBe(false);
      styles.set(Number(style[1]), style[2] ?? "");
    } else expect(line, "a line this reader does not know").toMatch(/^\s*classDef legendPoint /);
  }
  expect(path, "subgraphs left open").toEqual([]);
  expect([...styles.keys()].sort((a, b) => a - b)).toEqual(edges.map((_, index) => index));
  const drawn = edges.map((edge, index): Drawn => ({ ...edge, style: styles.get(index) ?? "" }));
  const legend = drawn.filter((edge) => edge.from.startsWith("legend_"));
  const connections = drawn.filter((edge) => !legend.includes(edge));
  for (const { from, to } of connections) expect([from, to].filter((id) => !nodes.has(id))).toEqual([]);
  return { nodes, edges: connections, legend };
}

/** Mermaid entity codes back to the characters they stand for. */
function decodeMermaid(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;

/**
 * Reads the DOT this module writes: braces balance outside quoted strings, every cluster is labelled,
 * every edge joins declared nodes.
 */
function readDot(text: string) {
  expect(braceDepths(text).at(-1)).toBe(0);
  expect(Math.min(...braceDepths(text))).toBeGreaterThanOrEqual(0);
  const path: string[] = [];
  const nodes = new Map<string, { label: string; path: string[] }>();
  const edges: { from: string; to: string; attributes: Record<string, string> }[] = [];
  let opened = false;
  for (const line of text.trimEnd().split("\n").slice(1, -1)) {
    const cluster = new RegExp(String.raw`^\s*subgraph ${QUOTED} \{$`).exec(line);
    const label = new RegExp(String.raw`^\s*label=${QUOTED};$`).exec(line);
    const edge = new RegExp(String.raw`^\s*${QUOTED} -> ${QUOTED} \[(.*)\];$`).exec(line);
    const node = new RegExp(String.raw`^\s*${QUOTED} \[(.*)\];$`).exec(line);
    if (cluster) {
      expect(cluster[1]).toMatch(/^cluster_/);
      opened = true;
    } else if (label && opened) {
      path.push(unquoteDot(label[1] ?? ""));
      opened = false;
    } else if (line.trim() === "}") path.pop();
    else if (edge)
      edges.push({
        from: unquoteDot(edge[1] ?? ""),
        to: unquoteDot(edge[2] ?? ""),
        attributes: dotAttributes(edge[3] ?? ""),
      });
    else if (node)
      nodes.set(unquoteDot(node[1] ?? ""), {
        label: dotAttributes(node[2] ?? "").label ?? "",
        path: [...path],
      });
  }
  const legend = edges.filter((edge) => edge.from.startsWith("legend/"));
  const connections = edges.filter((edge) => !legend.includes(edge));
  for (const { from, to } of connections) expect([from, to].filter((id) => !nodes.has(id))).toEqual([]);
  return { nodes, edges: connections, legend };
}

/** The brace depth after each character outside quoted strings (escapes honoured). */
function braceDepths(text: string): number[] {
  const depths = [0];
  let [depth, quoted, escaped] = [0, false, false];
  for (const c of text) {
    if (quoted) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{" || c === "}") {
      depth += c === "{" ? 1 : -1;
      depths.push(depth);
    }
  }
  expect(quoted, "a quoted string left open").toBe(false);
  return depths;
}

function dotAttributes(list: string): Record<string, string> {
  const found = list.matchAll(new RegExp(String.raw`(\w+)=(?:${QUOTED}|([^,\s]+))`, "g"));
  return Object.fromEntries(
    [...found].map(([, key, quoted, bare]) => [
      key,
      quoted === undefined ? (bare ?? "") : unquoteDot(quoted),
    ]),
  );
}

/** A quoted DOT string's text: `\n` is a line break in a label, any other escaped character itself. */
function unquoteDot(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

describe("planGraph", () => {
  it("builds decisions of every kind from the decision core", () => {
    // The table below is only as good as its decisions: each must be what its row says.
    const actions = KINDS.map(({ decision }) => decision()).map((d) => [
      d.action,
      d.mode,
      d.findings.includes("outside-policy"),
    ]);
    expect(actions).toEqual([
      ["accept", "enforce", false],
      ["reject", "enforce", false],
      ["maintain", "enforce", false],
      ["cleanup", "enforce", false],
      ["await-approval", "enforce", false],
      ["ignore", "enforce", true],
      ["ignore", "enforce", true],
      ["accept", "report", false],
      ["ignore", "enforce", false],
    ]);
  });

  describe.each(named(KINDS))("a connection to %s", (_, { kind, decision }) => {
    const made = decision();
    const style = EDGE_STYLES[kind];

    it("is one Mermaid edge, requester to accepter, with its kind's style and the legend's", () => {
      const { nodes, edges, legend } = readMermaid(planGraph(planOf(made), "mermaid"));
      expect(edges).toHaveLength(1);
      const [edge] = edges;
      expect(nodes.get(edge?.from ?? "")?.label).toMatch(new RegExp(`^${made.requester.vpcId}<br/>`));
      expect(nodes.get(edge?.to ?? "")?.label).toMatch(new RegExp(`^${made.accepter.vpcId}<br/>`));
      const lines = edge?.label.split("<br/>");
      expect(lines?.[0]).toBe(made.connectionId);
      expect(lines?.[1]).toBe(made.rule ?? "no rule");
      expect(lines?.[2]).toContain(style.label);
      expect(edge?.style).toContain(`stroke:${style.color}`);
      expect(edge?.style).toContain(`stroke-width:${style.width}px`);
      expect(legend.map(({ label, arrow, style }) => ({ label, arrow, style }))).toEqual([
        { label: style.label, arrow: edge?.arrow, style: edge?.style },
      ]);
    });

    it("is one DOT edge, requester to accepter, with its kind's style and the legend's", () => {
      const { nodes, edges, legend } = readDot(planGraph(planOf(made), "dot"));
      expect(edges).toHaveLength(1);
      const [edge] = edges;
      expect(nodes.get(edge?.from ?? "")?.label.split("\n")).toEqual([
        made.requester.vpcId,
        ...made.requester.cidrs,
      ]);
      expect(nodes.get(edge?.to ?? "")?.label.split("\n")).toEqual([
        made.accepter.vpcId,
        ...made.accepter.cidrs,
      ]);
      expect(edge?.attributes.label?.split("\n").slice(0, 2)).toEqual([
        made.connectionId,
        made.rule ?? "no rule",
      ]);
      expect(edge?.attributes.color).toBe(style.color);
      expect(edge?.attributes.penwidth).toBe(String(style.width));
      const { label: _edgeLabel, ...look } = edge?.attributes ?? {};
      expect(legend).toHaveLength(1);
      const { label, ...legendLook } = legend[0]?.attributes ?? {};
      expect(label).toBe(style.label);
      expect(legendLook).toEqual(look);
    });
  });

  // Colour alone must not tell kinds apart: the pattern says what the plan does.
  it.each(
    named([
      { name: "accept", arrow: "==>", dot: "bold", dashed: false },
      { name: "maintain", arrow: "-->", dot: "solid", dashed: false },
      { name: "reject", arrow: "-->", dot: "dashed", dashed: true },
      { name: "cleanup", arrow: "-->", dot: "dashed", dashed: true },
      { name: "await-approval", arrow: "-->", dot: "dashed", dashed: true },
      { name: "outside-policy", arrow: "-->", dot: "solid", dashed: false },
      { name: "report-only", arrow: "-.->", dot: "dotted", dashed: true },
      { name: "ignore", arrow: "-->", dot: "solid", dashed: false },
    ] as const),
  )("draws %s with its line pattern", (_, { name, arrow, dot, dashed }) => {
    const made = KINDS.find((row) => row.kind === name)?.decision();
    if (!made) throw new Error(`no decision for ${name}`);
    const [mermaid] = readMermaid(planGraph(planOf(made), "mermaid")).edges;
    const [graphviz] = readDot(planGraph(planOf(made), "dot")).edges;
    expect(mermaid?.arrow).toBe(arrow);
    expect(mermaid?.style.includes("stroke-dasharray")).toBe(dashed);
    expect(graphviz?.attributes.style).toBe(dot);
  });

  it("styles each edge of a plan with every kind like its legend sample, counting the legend's edges too", () => {
    const { edges, legend } = readMermaid(
      planGraph(planOf(...KINDS.map(({ decision }) => decision())), "mermaid"),
    );
    const sample = new Map(legend.map((edge) => [edge.label, edge]));
    const looks = edges.map((edge) => {
      const does = edge.label.split("<br/>")[2] ?? "";
      const kind = sample.get(does.startsWith("report only") ? "report only" : does);
      return [edge.arrow === kind?.arrow, edge.style === kind?.style];
    });
    expect(looks).toEqual(edges.map(() => [true, true]));
    expect(new Set(legend.map((edge) => edge.style)).size).toBe(EDGE_KINDS.length);
  });

  it("gives every kind its own colour, and its own look among those sharing a pattern", () => {
    const styles = EDGE_KINDS.map((kind) => EDGE_STYLES[kind]);
    expect(new Set(styles.map((s) => s.color)).size).toBe(EDGE_KINDS.length);
    expect(new Set(styles.map((s) => `${s.line} ${s.width} ${s.dash}`)).size).toBe(EDGE_KINDS.length);
  });

  it("says what a report-mode decision would do, and draws one that would change nothing as its action", () => {
    const wouldAccept = decided("pcx-report", {
      requesterAccount: "888888888888",
      requesterCidrs: ["10.88.0.0/16"],
    });
    const inSync = decided("pcx-insync", {
      status: "active",
      requesterAccount: "888888888888",
      requesterCidrs: ["10.88.0.0/16"],
      accepterTables: [{ id: "rtb-a", main: true, tags: {}, routes: [route("10.88.0.0/16", "pcx-insync")] }],
      requesterTables: [{ id: "rtb-r", main: true, tags: {}, routes: [route("10.0.0.0/16", "pcx-insync")] }],
    });
    expect([wouldAccept.mode, inSync.mode, inSync.action]).toEqual(["report", "report", "maintain"]);
    expect(hasChanges(changesOf(inSync))).toBe(false);

    const { edges } = readMermaid(planGraph(planOf(wouldAccept, inSync), "mermaid"));
    expect(edges.map((edge) => edge.label.split("<br/>")[2])).toEqual([
      "maintain",
      "report only: would accept",
    ]);
    expect(edges.map((edge) => edge.arrow)).toEqual(["-->", "-.->"]);
  });

  it("groups VPCs by account, then region, and draws a requester the policy does not name", () => {
    const plan = planOf(
      decided("pcx-1", {}),
      decided("pcx-2", { requesterRegion: "eu-west-1" }),
      decided("pcx-3", { requesterAccount: "999999999999", requesterCidrs: ["10.99.0.0/16"] }),
    );
    const mermaid = readMermaid(planGraph(plan, "mermaid"));
    const dot = readDot(planGraph(plan, "dot"));
    const where = (nodes: Map<string, { label: string; path: string[] }>) =>
      [...nodes.values()].map(({ label, path }) => [label.split(/<br\/>|\n/)[0], ...path]);
    const expected = [
      [ACCEPTER.vpcId, `account ${ACCEPTER.account}`, ACCEPTER.region],
      [REQUESTER.vpcId, `account ${REQUESTER.account}`, "eu-west-1"],
      [REQUESTER.vpcId, `account ${REQUESTER.account}`, "us-east-1"],
      [REQUESTER.vpcId, "account 999999999999", "us-east-1"],
    ];
    expect(where(mermaid.nodes)).toEqual(expected);
    expect(where(dot.nodes)).toEqual(expected);
    // Three requesters sharing a VPC id in different places are three nodes; the accepter is one.
    expect(new Set(mermaid.edges.map((edge) => edge.from)).size).toBe(3);
    expect(new Set(mermaid.edges.map((edge) => edge.to)).size).toBe(1);
    expect(mermaid.edges.find((edge) => edge.label.startsWith("pcx-3"))?.label).toContain("reject");
  });

  it("draws a VPC seen by several connections once, with every CIDR they report", () => {
    const plan = planOf(
      decided("pcx-1", { status: "active", requesterCidrs: ["10.22.0.0/16", "10.20.0.0/16"] }),
      decided("pcx-2", { status: "active", requesterCidrs: ["10.21.0.0/16", "10.20.0.0/16"] }),
    );
    const { nodes } = readDot(planGraph(plan, "dot"));
    expect(nodes.get(`${REQUESTER.account}/${REQUESTER.region}/${REQUESTER.vpcId}`)?.label).toBe(
      `${REQUESTER.vpcId}\n10.20.0.0/16\n10.21.0.0/16\n10.22.0.0/16`,
    );
  });

  it("draws the same text whatever order the plan lists connections in", () => {
    const decisions = KINDS.map(({ decision }) => decision());
    for (const format of ["mermaid", "dot"] as const) {
      const forward = planGraph(planOf(...decisions), format);
      expect(planGraph(planOf(...[...decisions].reverse()), format)).toBe(forward);
      expect(planGraph(planOf(...decisions.slice(3), ...decisions.slice(0, 3)), format)).toBe(forward);
    }
    const { edges, legend } = readMermaid(planGraph(planOf(...[...decisions].reverse()), "mermaid"));
    const ids = edges.map((edge) => edge.label.split("<br/>")[0] ?? "");
    expect(ids).toEqual([...ids].sort());
    expect(legend.map((edge) => edge.label)).toEqual(EDGE_KINDS.map((kind) => EDGE_STYLES[kind].label));
  });

  describe("escaping", () => {
    const hostile = 'a"b]<c>[d|e#f{g}`h&i%j\\k\nl';
    const odd = {
      ...decided("pcx-odd", {}),
      rule: hostile,
      requester: { account: 'acct"1', region: "reg}ion", vpcId: `vpc-${hostile}`, cidrs: ["10.20.0.0/16"] },
    };
    const flat = hostile.replace("\n", " ");

    it("writes Mermaid ids as identifiers and labels as entity codes that read back whole", () => {
      const { nodes, edges } = readMermaid(planGraph(planOf(odd), "mermaid"));
      const [edge] = edges;
      expect(edge?.label.replace(/<br\/>/g, "")).not.toMatch(/[<>[\]{}|"`\\]/);
      expect(decodeMermaid(edge?.label.split("<br/>")[1] ?? "")).toBe(flat);
      const requester = nodes.get(edge?.from ?? "");
      expect(requester?.label.replace(/<br\/>/g, "")).not.toMatch(/[<>[\]{}|"`\\]/);
      expect(decodeMermaid(requester?.label.split("<br/>")[0] ?? "")).toBe(`vpc-${flat}`);
      expect(decodeMermaid(requester?.path.join(" / ") ?? "")).toBe('account acct"1 / reg}ion');
    });

    it("quotes DOT ids and labels so that they read back whole", () => {
      const { nodes, edges } = readDot(planGraph(planOf(odd), "dot"));
      const [edge] = edges;
      expect(edge?.from).toBe(`acct"1/reg}ion/vpc-${flat}`);
      expect(edge?.attributes.label?.split("\n")[1]).toBe(flat);
      expect(nodes.get(edge?.from ?? "")?.path).toEqual(['account acct"1', "reg}ion"]);
    });

    it("keeps two VPCs apart whose ids read the same once made safe", () => {
      const one = decided("pcx-1", {});
      const plan = planOf(
        { ...one, requester: { ...one.requester, vpcId: "vpc-a.b" } },
        { ...decided("pcx-2", {}), requester: { ...one.requester, vpcId: "vpc-a_b" } },
      );
      const { nodes, edges } = readMermaid(planGraph(plan, "mermaid"));
      const from = edges.map((edge) => nodes.get(edge.from)?.label.split("<br/>")[0]);
      expect(from).toEqual(["vpc-a.b", "vpc-a_b"]);
      expect(new Set(edges.map((edge) => edge.from)).size).toBe(2);
    });
  });

  it("draws an empty plan as a note, with no legend", () => {
    for (const format of ["mermaid", "dot"] as const) {
      expect(planGraph(planOf(), format)).toContain("no peering connections");
    }
    expect(readMermaid(planGraph(planOf(), "mermaid"))).toMatchObject({ edges: [], legend: [] });
    expect(readDot(planGraph(planOf(), "dot"))).toMatchObject({ edges: [], legend: [] });
  });
});
