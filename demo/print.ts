import { stripVTControlCharacters, styleText } from "node:util";
import type { World } from "../model";
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
      lines.push(current);
      current = indent + word;
    } else current = empty ? current + word : `${current} ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** A route table as `destination → target` lines; routes absent from `before` are marked new. */
export type TableSnapshot = { id: string; label: string; routes: string[] };

export function snapshot(world: World, vpcId: string, name: string): TableSnapshot[] {
  const vpc = world.vpc(vpcId);
  return world.routeTablesOfVpc(vpcId).map((table) => ({
    id: table.id,
    label: `${name} VPC (${vpc.ownerId} ${vpc.region}), ${table.id}${table.main ? " (main)" : ""}`,
    routes: table.routes.map((r) => `${r.destination.padEnd(18)} → ${Object.values(r.target)[0]} ${r.state}`),
  }));
}

export function printTables(before: TableSnapshot[], after: TableSnapshot[]) {
  for (const table of after) {
    const old = before.find((t) => t.id === table.id)?.routes ?? [];
    const changed = old.length !== table.routes.length || old.some((r) => !table.routes.includes(r));
    line(`  ${paint("underline", table.label)}${changed ? "" : " unchanged"}`);
    for (const route of old) {
      line(`    ${table.routes.includes(route) ? " " : paint("red", "-")} ${route}`);
    }
    for (const route of table.routes.filter((r) => !old.includes(r)))
      line(`    ${paint("green", `+ ${route}`)}`);
  }
}

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
  const { created, present, conflicting, failed } = record.routes;
  line(
    `  Routes: ${created.length} created, ${present.length} already present, ${conflicting.length} conflicting, ${failed.length} failed`,
  );
  for (const [side, why] of Object.entries(record.unmanaged)) {
    const note = `${side} side not managed: ${why}`;
    if (!record.reasons.includes(note)) line(`  ${note}`);
  }
}
