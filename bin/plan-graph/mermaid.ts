import type { EdgeKind, PlanGraphModel } from "./model";
import { EDGE_STYLES, type EdgeStyle, edgeLines, vpcLines } from "./style";

/**
 * Mermaid flowchart: accounts and regions as nested subgraphs, one `linkStyle` per edge (Mermaid
 * numbers edges in the order they are written, legend included), and a legend with a sample edge
 * for each kind the graph uses.
 */
export function toMermaid(graph: PlanGraphModel): string {
  const ids = new MermaidIds();
  const out = ["flowchart LR"];
  for (const { account, regions } of graph.accounts) {
    out.push(
      `  subgraph ${ids.of(`account/${account}`, `account_${account}`)}["${text(`account ${account}`)}"]`,
    );
    for (const { region, vpcs } of regions) {
      const id = ids.of(`region/${account}/${region}`, `region_${account}_${region}`);
      out.push(`    subgraph ${id}["${text(region)}"]`);
      for (const vpc of vpcs) {
        out.push(
          `      ${ids.of(vpc.key, `vpc_${vpc.vpcId.replace(/^vpc-/, "")}`)}["${label(vpcLines(vpc))}"]`,
        );
      }
      out.push("    end");
    }
    out.push("  end");
  }
  if (graph.accounts.length === 0) out.push(`  ${ids.of("empty", "empty")}["no peering connections"]`);
  const styled: EdgeKind[] = [];
  for (const edge of graph.edges) {
    const arrow = ARROWS[EDGE_STYLES[edge.kind].line];
    out.push(`  ${ids.known(edge.from)} ${arrow}|"${label(edgeLines(edge))}"| ${ids.known(edge.to)}`);
    styled.push(edge.kind);
  }
  if (graph.kinds.length > 0) {
    out.push(
      "  classDef legendPoint fill:none,stroke:none",
      `  subgraph ${ids.of("legend", "legend")}["legend"]`,
    );
    for (const kind of graph.kinds) {
      const style = EDGE_STYLES[kind];
      const [from, to] = [
        ids.of(`legend/${kind}/from`, `legend_${kind}_from`),
        ids.of(`legend/${kind}/to`, `legend_${kind}_to`),
      ];
      out.push(
        `    ${from}[" "]:::legendPoint ${ARROWS[style.line]}|"${text(style.label)}"| ${to}[" "]:::legendPoint`,
      );
      styled.push(kind);
    }
    out.push("  end");
  }
  styled.forEach((kind, index) => {
    out.push(`  linkStyle ${index} ${linkStyle(EDGE_STYLES[kind])}`);
  });
  return out.join("\n");
}

/** Mermaid draws thick and dotted arrows itself, so the kind shows even where styles are dropped. */
const ARROWS: Record<EdgeStyle["line"], string> = {
  thick: "==>",
  solid: "-->",
  dashed: "-->",
  dotted: "-.->",
};

function linkStyle({ color, width, dash }: EdgeStyle): string {
  return `stroke:${color},stroke-width:${width}px,color:${color}${dash ? `,stroke-dasharray:${dash}` : ""}`;
}

function label(lines: string[]): string {
  return lines.map(text).join("<br/>");
}

/** Characters with a meaning in Mermaid's syntax or in HTML, written as Mermaid entity codes. */
function text(value: string): string {
  return value.replace(/\s+/g, " ").replace(/["#%&<>[\\\]`{|}]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * Readable ids (letters, digits and `_` after a fixed prefix, so never a keyword), made unique with a
 * numeric suffix when two keys read the same; each key keeps the id it was first given.
 */
class MermaidIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  of(key: string, readable: string): string {
    const known = this.byKey.get(key);
    if (known) return known;
    const base = readable.replace(/[^A-Za-z0-9_]/g, "_");
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.byKey.set(key, id);
    this.used.add(id);
    return id;
  }

  /** The id of a node already written: every edge joins two nodes of the graph. */
  known(key: string): string {
    const id = this.byKey.get(key);
    if (id === undefined) throw new Error(`plan graph: edge to a VPC that is not a node (${key})`);
    return id;
  }
}
