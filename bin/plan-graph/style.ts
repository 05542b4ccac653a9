import type { ConnectionEdge, EdgeKind, VpcNode } from "./model";

/**
 * How an edge of each kind is drawn. Mid-tone colours that hold on white and on dark backgrounds;
 * the line pattern (and the kind written in every label) tells kinds apart without colour.
 */
export interface EdgeStyle {
  /** What the legend and the edge labels call the kind. */
  label: string;
  color: string;
  /** Line width in pixels (Mermaid) and points (DOT pen width). */
  width: number;
  line: "thick" | "solid" | "dashed" | "dotted";
  /** The SVG dash pattern of a dashed or dotted line, so that dashed kinds differ in Mermaid too. */
  dash?: string;
}

export const EDGE_STYLES: Record<EdgeKind, EdgeStyle> = {
  accept: { label: "accept", color: "#2da44e", width: 3.5, line: "thick" },
  maintain: { label: "maintain", color: "#218bff", width: 2, line: "solid" },
  "await-approval": { label: "await approval", color: "#a371f7", width: 2, line: "dashed", dash: "12 4" },
  reject: { label: "reject", color: "#e5534b", width: 2.5, line: "dashed", dash: "6 3" },
  cleanup: { label: "clean up", color: "#e16f24", width: 2, line: "dashed", dash: "3 3" },
  "outside-policy": { label: "outside policy", color: "#bf3989", width: 1.5, line: "solid" },
  "report-only": { label: "report only", color: "#1b9aaa", width: 2, line: "dotted", dash: "1 4" },
  ignore: { label: "nothing to do", color: "#8c959f", width: 1, line: "solid" },
};

/** An edge's label, one line each: the connection, its rule, and what the plan does with it. */
export function edgeLines(edge: ConnectionEdge): string[] {
  const does =
    edge.kind === "report-only"
      ? `${EDGE_STYLES["report-only"].label}: would ${edge.action}`
      : EDGE_STYLES[edge.kind].label;
  return [edge.connectionId, edge.rule ?? "no rule", does];
}

/** A VPC's label: its id, then its CIDRs. */
export function vpcLines(vpc: VpcNode): string[] {
  return [vpc.vpcId, ...vpc.cidrs];
}
