import type { PlanGraphModel } from "./model";
import { EDGE_STYLES, type EdgeStyle, edgeLines, vpcLines } from "./style";

/**
 * Graphviz DOT: accounts and regions as nested clusters, every id quoted, edges coloured and
 * patterned by kind, and a legend cluster with a sample edge for each kind the graph uses.
 */
export function toDot(graph: PlanGraphModel): string {
  const out = [
    "digraph peering {",
    "  rankdir=LR;",
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const { account, regions } of graph.accounts) {
    out.push(
      `  subgraph ${quote(`cluster_account_${account}`)} {`,
      `    label=${quote(`account ${account}`)};`,
    );
    for (const { region, vpcs } of regions) {
      out.push(
        `    subgraph ${quote(`cluster_region_${account}_${region}`)} {`,
        `      label=${quote(region)};`,
      );
      for (const vpc of vpcs) out.push(`      ${quote(vpc.key)} [label=${label(vpcLines(vpc))}];`);
      out.push("    }");
    }
    out.push("  }");
  }
  if (graph.accounts.length === 0) out.push('  "empty" [label="no peering connections", shape=plaintext];');
  for (const edge of graph.edges) {
    out.push(
      `  ${quote(edge.from)} -> ${quote(edge.to)} [label=${label(edgeLines(edge))}, ${attributes(EDGE_STYLES[edge.kind])}];`,
    );
  }
  if (graph.kinds.length > 0) {
    out.push('  subgraph "cluster_legend" {', '    label="legend";', "    node [shape=point, style=invis];");
    for (const kind of graph.kinds) {
      const style = EDGE_STYLES[kind];
      out.push(
        `    ${quote(`legend/${kind}/from`)} -> ${quote(`legend/${kind}/to`)} [label=${quote(style.label)}, ${attributes(style)}];`,
      );
    }
    out.push("  }");
  }
  out.push("}");
  return out.join("\n");
}

function attributes({ color, width, line }: EdgeStyle): string {
  return `color=${quote(color)}, fontcolor=${quote(color)}, penwidth=${width}, style=${line === "thick" ? "bold" : line}`;
}

/** Lines joined with DOT's centred line break. */
function label(lines: string[]): string {
  return `"${lines.map(dotText).join("\\n")}"`;
}

function quote(value: string): string {
  return `"${dotText(value)}"`;
}

/**
 * Inside a quoted DOT string only `"` and `\` need escaping (a backslash would otherwise start an
 * escape such as `\N` or swallow the closing quote); `<`, `>` and brackets are literal there.
 */
function dotText(value: string): string {
  return value.replace(/\s+/g, " ").replace(/["\\]/g, (c) => `\\${c}`);
}
