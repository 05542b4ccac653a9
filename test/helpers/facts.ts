import type {
  DecisionFacts,
  PeeringStatus,
  Route,
  RouteTable,
  RouteTablesRead,
  SecurityGroup,
  SecurityGroupsRead,
  Subnet,
  SubnetsRead,
} from "../../shared/facts";
import { type Policy, PolicySchema, type Rule, RuleSchema } from "../../shared/policy/schema";

/** Small builders for the pure core's tests: defaults describe one ordinary cross-account request. */

export const CONNECTION_ID = "pcx-0123456789abcdef0";
export const OTHER_PCX = "pcx-0aaaaaaaaaaaaaaaa";
export const ACCEPTER = { account: "111111111111", region: "us-east-1", vpcId: "vpc-0f9e8d7c6b5a40001" };
export const REQUESTER = { account: "222222222222", region: "us-east-1", vpcId: "vpc-0a1b2c3d4e5f60001" };

export function route(destination: string, target: string, state?: string): Route {
  return { destination, target, ...(state && { state }) };
}

export function table(
  id: string,
  routes: Route[] = [],
  options: { main?: boolean; tags?: Record<string, string> } = {},
): RouteTable {
  return { id, main: options.main ?? false, tags: options.tags ?? {}, routes };
}

/** A rule from the policy file's point of view: validated, defaults filled in. */
export function rule(input: Record<string, unknown>): Rule {
  return RuleSchema.parse(input);
}

export function policy(rules: unknown[], unmatched?: "reject" | "ignore"): Policy {
  return PolicySchema.parse({ version: 1, rules, ...(unmatched && { unmatched }) });
}

export interface FactsInput {
  status?: PeeringStatus | string;
  accepterRegion?: string;
  requesterAccount?: string;
  requesterRegion?: string;
  requesterCidrs?: string[];
  /** What the connection says of the accepter; the decision must use `accepterCidrs` instead. */
  connectionAccepterCidrs?: string[];
  accepterCidrs?: string[];
  accepterTables?: RouteTable[] | { unreadable: string };
  requesterTables?: RouteTable[] | { unreadable: string };
  tags?: Record<string, string>;
  dnsResolution?: { requester: boolean; accepter: boolean };
  expiresAt?: string;
  readAt?: string;
  answeredBy?: string;
  /** Each side's subnets, when read (a rule routes to subnets). */
  accepterSubnets?: Subnet[] | { unreadable: string };
  requesterSubnets?: Subnet[] | { unreadable: string };
  /** Each side's security groups, when read (a rule opens security groups). */
  accepterGroups?: SecurityGroup[] | { unreadable: string };
  requesterGroups?: SecurityGroup[] | { unreadable: string };
}

/** A security group; `ingress` lines read `protocol from-to cidr`, and `tagged` adds `id connection`. */
export function group(
  id: string,
  options: { tags?: Record<string, string>; ingress?: string[]; tagged?: string[] } = {},
): SecurityGroup {
  const parse = (line: string) => {
    const [protocol = "", ports = "", cidr = ""] = line.split(" ");
    const [from, to = from] = ports.split(":");
    return { protocol, fromPort: Number(from), toPort: Number(to), cidr };
  };
  const tagged = (options.tagged ?? []).map((line) => {
    const [protocol, ports, cidr, ruleId = "", connectionId = ""] = line.split(" ");
    return { ...parse(`${protocol} ${ports} ${cidr}`), id: ruleId, connectionId };
  });
  return {
    id,
    tags: options.tags ?? {},
    // A tagged rule is one of the group's rules too.
    ingress: [
      ...(options.ingress ?? []).map(parse),
      ...tagged.map(({ id: _, connectionId: __, ...rule }) => rule),
    ],
    tagged,
  };
}

function groupsRead(groups: SecurityGroup[] | { unreadable: string }): SecurityGroupsRead {
  return "unreadable" in groups ? { readable: false, reason: groups.unreadable } : { readable: true, groups };
}

export function subnet(id: string, cidrs: string[], tags: Record<string, string> = {}): Subnet {
  return { id, cidrs, tags };
}

function subnetsRead(subnets: Subnet[] | { unreadable: string }): SubnetsRead {
  return "unreadable" in subnets
    ? { readable: false, reason: subnets.unreadable }
    : { readable: true, subnets };
}

function tablesRead(
  tables: RouteTable[] | { unreadable: string } | undefined,
  fallback: RouteTable[],
): RouteTablesRead {
  return tables && "unreadable" in tables
    ? { readable: false, reason: tables.unreadable }
    : { readable: true, tables: tables ?? fallback };
}

/** The accepter VPC 10.0.0.0/16 has a main table (default route to an IGW) and a partners table. */
export const accepterMain = (...extra: Route[]) =>
  table("rtb-0accept0000000main", [route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-0a"), ...extra], {
    main: true,
  });
export const accepterPartners = (...extra: Route[]) =>
  table("rtb-0accept000partners", [route("10.0.0.0/16", "local"), route("0.0.0.0/0", "nat-0a"), ...extra], {
    tags: { peering: "partners" },
  });
/** The requester VPC 10.20.0.0/16 has one main table with a default route to a NAT gateway. */
export const requesterMain = (...extra: Route[]) =>
  table("rtb-0request000000main", [route("10.20.0.0/16", "local"), route("0.0.0.0/0", "nat-0r"), ...extra], {
    main: true,
  });

export function facts(input: FactsInput = {}): DecisionFacts {
  const accepterCidrs = input.accepterCidrs ?? ["10.0.0.0/16"];
  return {
    connection: {
      id: CONNECTION_ID,
      status: input.status ?? "pending-acceptance",
      requester: {
        ...REQUESTER,
        account: input.requesterAccount ?? REQUESTER.account,
        region: input.requesterRegion ?? REQUESTER.region,
        cidrs: input.requesterCidrs ?? ["10.20.0.0/16"],
      },
      accepter: {
        ...ACCEPTER,
        region: input.accepterRegion ?? ACCEPTER.region,
        cidrs: input.connectionAccepterCidrs ?? accepterCidrs,
      },
      tags: input.tags ?? {},
      dnsResolution: input.dnsResolution ?? { requester: false, accepter: false },
      ...(input.expiresAt && { expiresAt: input.expiresAt }),
    },
    accepterCidrs,
    accepterRouteTables: tablesRead(input.accepterTables, [accepterMain(), accepterPartners()]),
    requesterRouteTables: tablesRead(input.requesterTables, [requesterMain()]),
    ...(input.accepterSubnets && { accepterSubnets: subnetsRead(input.accepterSubnets) }),
    ...(input.requesterSubnets && { requesterSubnets: subnetsRead(input.requesterSubnets) }),
    ...(input.accepterGroups && { accepterSecurityGroups: groupsRead(input.accepterGroups) }),
    ...(input.requesterGroups && { requesterSecurityGroups: groupsRead(input.requesterGroups) }),
    ...(input.readAt && { readAt: input.readAt }),
    ...(input.answeredBy && { answeredBy: input.answeredBy }),
  };
}

/**
 * Turns a table of named rows into `[title, row]` pairs for `it.each(...)("%s", (_, row) => …)`:
 * vitest cuts `$name` titles at 40 characters, `%s` prints them whole.
 */
export function named<T extends { name: string }>(rows: T[], title?: (row: T) => string): [string, T][];
export function named<T>(rows: T[], title: (row: T) => string): [string, T][];
export function named<T>(rows: T[], title?: (row: T) => string): [string, T][] {
  return rows.map((row) => [title ? title(row) : (row as { name: string }).name, row]);
}
