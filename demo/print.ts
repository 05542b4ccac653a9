import { styleText } from "node:util";
import type { World } from "../model";
import type { DecisionRecord } from "../shared/workflow/decision-record";

type Style = Parameters<typeof styleText>[0];
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (style: Style, text: string) => (useColour ? styleText(style, text) : text);

export const heading = (text: string) => console.log(`\n${paint("bold", `━━ ${text} ━━`)}`);
export const line = (text = "") => console.log(text);

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
  line(
    `  Decision: ${paint(["bold", colour], record.action.toUpperCase())}${record.rule ? ` by rule '${record.rule}'` : ""}`,
  );
  for (const reason of record.reasons) line(`    · ${reason}`);
  const { created, present, conflicting, failed } = record.routes;
  line(
    `  Routes: ${created.length} created, ${present.length} already present, ${conflicting.length} conflicting, ${failed.length} failed`,
  );
  for (const [side, why] of Object.entries(record.unmanaged)) line(`  ${side} side not managed: ${why}`);
}
