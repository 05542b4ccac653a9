import type { NotifiedDecision } from "./decision-event";

export function inReportMode(record: Pick<NotifiedDecision, "mode">): boolean {
  return record.mode === "report";
}

type WouldChange = NonNullable<NotifiedDecision["wouldChange"]>;

const NONE: WouldChange = { createRoutes: [], removeRoutes: [], enableDns: [] };

/** What enforcing the decision would have changed; nothing for a decision that was enforced. */
export function wouldChangeOf(record: Pick<NotifiedDecision, "mode" | "wouldChange">): WouldChange {
  return (inReportMode(record) && record.wouldChange) || NONE;
}

/** The sides whose remote DNS resolution the decision would enable, as `side account region` lines. */
export function wouldEnableDns(record: NotifiedDecision): string[] {
  return wouldChangeOf(record).enableDns.map(({ side, account, region }) => `${side} ${account} ${region}`);
}

/** A few words for a subject line: `would accept`, `would remove routes`, `would change routes and DNS`. */
export function wouldDoPhrase(record: NotifiedDecision): string {
  const changes = wouldChangeOf(record);
  if (changes.connection === "accept") return record.approval ? "would accept (approved)" : "would accept";
  if (changes.connection === "reject") return `would reject${rejectionCause(record)}`;
  const creates = changes.createRoutes.length > 0;
  const removes = changes.removeRoutes.length > 0;
  const rules = changes.securityGroupRules;
  const opens = (rules?.create.length ?? 0) > 0 || (rules?.revoke.length ?? 0) > 0;
  if (opens && !creates && !removes && changes.enableDns.length === 0)
    return "would change security-group rules";
  if (changes.enableDns.length > 0) {
    return creates || removes ? "would change routes and DNS" : "would enable DNS";
  }
  if (creates && removes) return "would change routes";
  if (creates) return "would add routes";
  return removes ? "would remove routes" : "would change nothing";
}

function rejectionCause(record: NotifiedDecision): string {
  if (record.findings.includes("denied")) return " (denied)";
  if (record.findings.includes("route-conflict")) return " (conflict)";
  return "";
}

/**
 * The decision in a sentence or two, never as if it happened: `Would accept pcx-… and create 3
 * routes (report mode: nothing was changed).`, then why, then how to have it carried out.
 */
export function wouldDoSentences(record: NotifiedDecision): string {
  const changes = wouldChangeOf(record);
  const id = record.connectionId;
  const clauses = [
    ...(changes.connection ? [`${changes.connection} ${id}`] : []),
    ...count(changes.createRoutes.length, "create"),
    ...count(changes.removeRoutes.length, "remove"),
    ...ruleCount(changes.securityGroupRules?.create.length ?? 0, "open"),
    ...ruleCount(changes.securityGroupRules?.revoke.length ?? 0, "revoke"),
    ...(changes.enableDns.length > 0
      ? [
          `enable remote DNS resolution on the ${changes.enableDns.map((d) => d.side).join(" and ")} side${changes.enableDns.length > 1 ? "s" : ""}`,
        ]
      : []),
  ];
  const forWhom = changes.connection ? "" : ` for ${id}`;
  const would = `Would ${inWords(clauses)}${forWhom} (report mode: nothing was changed).`;
  const why = cause(record);
  return [
    would,
    ...(why ? [why] : []),
    "Nothing is carried out until the rule or the policy is switched to mode: enforce.",
  ].join(" ");
}

function count(n: number, verb: string): string[] {
  return n > 0 ? [`${verb} ${n} route${n === 1 ? "" : "s"}`] : [];
}

function ruleCount(n: number, verb: string): string[] {
  return n > 0 ? [`${verb} ${n} security-group rule${n === 1 ? "" : "s"}`] : [];
}

function inWords(clauses: string[]): string {
  if (clauses.length <= 1) return clauses.join("");
  return `${clauses.slice(0, -1).join(", ")} and ${clauses.at(-1)}`;
}

/** What led to the decision, when a finding tells it better than the reasons do. */
function cause(record: NotifiedDecision): string | undefined {
  const by = record.approval?.by ?? "a person";
  const { findings } = record;
  if (findings.includes("denied")) return `${by} denied the request.`;
  if (findings.includes("approved")) return `${by} approved the request.`;
  if (findings.includes("route-conflict"))
    return "A route already in a selected route table is in the way of a route the connection needs (see the conflicting routes).";
  if (findings.includes("expired")) return "The request expired while it was waiting for a person.";
  if (findings.includes("cidr-not-allowed"))
    return "A requester CIDR that the governing rule does not allow would not be routed.";
  if (record.action === "reject") return "See the reasons.";
  return undefined;
}
