import type { RouteTable } from "../facts";
import type { RouteTableSelector } from "../policy/schema";
import { carriesTags } from "../tags";

/** The route tables of one VPC that a rule's `routes` selector picks. */
export function selectRouteTables(tables: RouteTable[], selector: RouteTableSelector): RouteTable[] {
  if (selector === "all") return tables;
  if (selector === "none") return [];
  if (selector === "main") return tables.filter((table) => table.main);
  return tables.filter((table) => carriesTags(table.tags, selector.tags));
}
