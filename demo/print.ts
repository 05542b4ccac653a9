import { stripVTControlCharacters, styleText } from "node:util";
import type { World } from "../model";
import { CONNECTION_TAG } from "../shared/security-groups/rule-key";
import type { DecisionRecord } from "../shared/workflow/decision-record";

type Style = Parameters<typeof styleText>[0];
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (style: Style, text: string) => (useColour ? styleText(style, text) : text);

/** The demo fits a terminal this many columns wide. */
export const WIDTH = 100;

export const heading = (text: string) => console.log(`\n${paint("bold", `━━ ${text} ━━`)}`);
export const line = (text = "") => {
  for (const part of wrap(text)) console.log(part);
};

/**
 * Breaks a line longer than `width` at spaces, so that the terminal never breaks one inside a CIDR or
 * an id; continuation lines are indented under the text, past any bullet. A single word longer than
 * the width stays whole.
 */
export function wrap(text: string, width = WIDTH): string[] {
  const columns = (s: string) => [...stripVTControlCharacters(s)].length;
  if (columns(text) <= width) return [text];
  const lead = /^( *)((?:[·+-] )?)/.exec(stripVTControlCharacters(text)) ?? ["", "", ""];
  const margin = lead[1]?.length ?? 0;
  const indent = " ".repeat(margin + (lead[2] ? lead[2].length : 2));
  const lines: string[] = [];
  let current = text.slice(0, margin);
  let empty = true;
  for (const word of text.slice(margin).split(" ")) {
    if (!empty && word !== "" && columns(`${current} ${word}`) > width) {
      lines.push(current.trimEnd());
      current = indent + word;
    } else current = empty ? current + word : `${current} ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** What one resource holds as lines (a table's routes, a group's ingress rules), to show what changed. */
export type Snapshot = { id: string; label: string; lines: string[] };

/** A route table as `destination → target state` lines. */
export function snapshot(world: World, vpcId: string, name: string): Snapshot[] {
  const vpc = world.vpc(vpcId);
  return world.routeTablesOfVpc(vpcId).map((table) => ({
    id: table.id,
    label: `${name} VPC (${vpc.ownerId} ${vpc.region}), ${table.id}${table.main ? " (main)" : ""}`,
    lines: table.routes.map((r) => `${r.destination.padEnd(18)} → ${Object.values(r.target)[0]} ${r.state}`),
  }));
}

/**
 * A VPC's security groups as `protocol port from source` ingress lines, each with the service's
 * connection tag when it carries one: the rules without it are never the service's to touch.
 */
export function groupSnapshot(world: World, vpcId: string, name: string): Snapshot[] {
  return world.securityGroupsOfVpc(vpcId).map((group) => ({
    id: group.id,
    label: `${name} group ${group.name} ${group.id}${tagList(group.tags, " tagged ")}`,
    lines: world
      .securityGroupRules(group.id)
      .filter((rule) => !rule.isEgress)
      .map((rule) => {
        const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
        const from = `${rule.protocol} ${ports} from ${String(Object.values(rule.source)[0])}`;
        const tag = rule.tags[CONNECTION_TAG];
        return `${from.padEnd(28)} ${tag ? `tag ${CONNECTION_TAG}=${tag}` : "no connection tag"}`;
      }),
  }));
}

/** Each resource's lines after, with those absent before marked + and those gone since marked -. */
export function printChanges(before: Snapshot[], after: Snapshot[]) {
  for (const item of after) {
    const old = before.find((t) => t.id === item.id)?.lines ?? [];
    const changed = old.length !== item.lines.length || old.some((r) => !item.lines.includes(r));
    line(`  ${paint("underline", item.label)}${changed ? "" : " unchanged"}`);
    for (const entry of old) {
      line(`    ${item.lines.includes(entry) ? " " : paint("red", "-")} ${entry}`);
    }
    for (const entry of item.lines.filter((r) => !old.includes(r)))
      line(`    ${paint("green", `+ ${entry}`)}`);
  }
}

/**
 * A VPC's subnets with their tags, each said routed when a table of the peer VPC routes its block to
 * the connection: what the rule's reach made of the tags, read back from the tables.
 */
export function printSubnets(world: World, vpcId: string, peerVpcId: string, connectionId: string) {
  const routed = new Set(
    world
      .routeTablesOfVpc(peerVpcId)
      .flatMap((table) => table.routes)
      .filter((route) => Object.values(route.target)[0] === connectionId)
      .map((route) => route.destination),
  );
  for (const subnet of world.subnetsOfVpc(vpcId)) {
    const status = routed.has(subnet.cidr) ? "routed" : "not routed";
    line(`    ${status.padEnd(11)} ${subnet.cidr.padEnd(14)} ${subnet.id}${tagList(subnet.tags, "  ")}`);
  }
}

const tagList = (tags: Record<string, string>, lead: string) => {
  const pairs = Object.entries(tags).map(([key, value]) => `${key}=${value}`);
  return pairs.length > 0 ? `${lead}${pairs.join(", ")}` : "";
};

export function printDecision(record: DecisionRecord) {
  const colour: Style = record.action === "accept" ? "green" : record.action === "reject" ? "red" : "yellow";
  const mode = record.mode === "report" ? " (report mode: not carried out)" : "";
  line(
    `  Decision: ${paint(["bold", colour], record.action.toUpperCase())}${record.rule ? ` by rule '${record.rule}'` : ""}${mode}`,
  );
  for (const reason of record.reasons) line(`    · ${reason}`);
  if (record.wouldChange) {
    const { connection, createRoutes, removeRoutes, enableDns } = record.wouldChange;
    const would = [
      ...(connection ? [`${connection} the connection`] : []),
      `create ${createRoutes.length} route(s)`,
      `remove ${removeRoutes.length}`,
      `enable DNS on ${enableDns.length} side(s)`,
    ];
    line(`  Would: ${would.join(", ")}; changed: ${record.changed ? "yes" : "nothing"}`);
    for (const route of createRoutes) {
      line(
        `    + ${route.side} ${route.routeTableId} ${route.destination} (${route.account} ${route.region})`,
      );
    }
  }
  const { created, present, conflicting, failed, removed } = record.routes;
  line(
    `  Routes: ${created.length} created, ${present.length} already present, ${conflicting.length} conflicting, ${failed.length} failed${removed.length > 0 ? `, ${removed.length} removed` : ""}`,
  );
  const rules = record.securityGroupRules;
  if (rules && Object.values(rules).some((list) => list.length > 0)) {
    line(
      `  Security-group rules: ${rules.created.length} created, ${rules.present.length} already present, ${rules.revoked.length} revoked, ${rules.failed.length} failed`,
    );
  }
  for (const [side, why] of Object.entries(record.unmanaged)) {
    const note = `${side} side not managed: ${why}`;
    if (!record.reasons.includes(note)) line(`  ${note}`);
  }
}
