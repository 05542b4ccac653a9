import type { Decision } from "../shared/decision/decision";
import type { PeeringSide } from "../shared/facts";
import type { PlannedRoute } from "../shared/routes/plan-routes";
import { portsText } from "../shared/security-groups/ports-text";

// Fields printed in their own sections below; any other field of the decision (the type grows) is
// printed generically after them, so that nothing the service decided is hidden from the reader.
const PRINTED = new Set([
  "connectionId",
  "status",
  "action",
  "mode",
  "rule",
  "reasons",
  "accepter",
  "requester",
  "plan",
  "securityGroupRules",
  "unmanaged",
]);

/** A decision as plain lines for a terminal: what was seen, what was decided, why, and which routes. */
export function formatDecision(decision: Decision): string[] {
  const lines = [
    `Connection: ${decision.connectionId} (${decision.status})`,
    `  accepter   ${describeSide(decision.accepter)}`,
    `  requester  ${describeSide(decision.requester)}`,
    `Action: ${decision.action.toUpperCase()}${decision.mode === "report" ? " (report mode: not carried out)" : ""}`,
    `Rule: ${decision.rule ?? "(none)"}`,
    "Reasons:",
    ...decision.reasons.map((reason) => `  - ${reason}`),
    "Route plan:",
    ...indent(decision.plan.length > 0 ? planTable(decision.plan) : ["(no routes planned)"]),
  ];
  if (decision.securityGroupRules) {
    const { plan, revoke } = decision.securityGroupRules;
    lines.push(
      "Security-group rules:",
      ...indent(plan.length + revoke.length > 0 ? rulesTable(decision.securityGroupRules) : ["(none)"]),
    );
  }
  const unmanaged = Object.entries(decision.unmanaged);
  if (unmanaged.length === 0) lines.push("Unmanaged sides: none");
  else lines.push("Unmanaged sides:", ...unmanaged.map(([side, why]) => `  ${side}: ${why}`));
  for (const [key, value] of Object.entries(decision)) {
    if (!PRINTED.has(key)) lines.push(...formatOther(key, value));
  }
  return lines;
}

export function describeSide(side: PeeringSide): string {
  const cidrs = side.cidrs.length > 0 ? side.cidrs.join(", ") : "(no CIDRs)";
  return `${side.account} ${side.region} ${side.vpcId}: ${cidrs}`;
}

export function planTable(plan: PlannedRoute[]): string[] {
  return table(
    ["SIDE", "ACCOUNT", "REGION", "ROUTE TABLE", "DESTINATION", "STATUS", "CONFLICT"],
    plan.map((r) => [
      r.side,
      r.account,
      r.region,
      r.routeTableId,
      r.destination,
      r.status,
      r.conflictsWith ? `${r.conflictsWith.destination} -> ${r.conflictsWith.target}` : "",
    ]),
  );
}

/** Each rule the plan wants (to create, or present) and each of the service's own it revokes. */
function rulesTable({ plan, revoke }: NonNullable<Decision["securityGroupRules"]>): string[] {
  const ports = (r: { fromPort: number; toPort: number }) => portsText(r.fromPort, r.toPort);
  return table(
    ["SIDE", "ACCOUNT", "REGION", "GROUP", "PROTOCOL", "PORTS", "SOURCE", "STATUS"],
    [
      ...plan.map((r) => [r.side, r.account, r.region, r.groupId, r.protocol, ports(r), r.cidr, r.status]),
      ...revoke.map((r) => [
        r.side,
        r.account,
        r.region,
        r.groupId,
        r.protocol,
        ports(r),
        r.cidr ?? "another source",
        `revoke ${r.ruleId}`,
      ]),
    ],
  );
}

/** A field this file does not know: lists of records as a table, anything else as JSON. */
function formatOther(key: string, value: unknown): string[] {
  const title = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
  if (!Array.isArray(value)) return [`${title}: ${JSON.stringify(value)}`];
  if (value.length === 0) return [`${title}: none`];
  if (!value.every(isRecord)) return [`${title}: ${value.map(cell).join(", ")}`];
  const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
  const headers = columns.map((c) => c.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase());
  return [
    `${title}:`,
    ...indent(
      table(
        headers,
        value.map((row) => columns.map((c) => cell(row[c]))),
      ),
    ),
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Columns padded to their widest cell; trailing spaces trimmed so that lines compare cleanly. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
