import type { PassPlan } from "../shared/workflow/plan-pass";
import { toDot } from "./plan-graph/dot";
import { toMermaid } from "./plan-graph/mermaid";
import { planGraphModel } from "./plan-graph/model";

/**
 * The peering graph of a plan, as Mermaid (for GitHub markdown) or Graphviz DOT: VPCs grouped by
 * account and region, connections from requester to accepter, styled by what the plan does. No
 * newline after the last line: the CLI prints the text as one output line.
 */
export function planGraph(plan: PassPlan, format: "mermaid" | "dot"): string {
  const graph = planGraphModel(plan);
  return format === "mermaid" ? toMermaid(graph) : toDot(graph);
}
