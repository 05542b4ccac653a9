import fc from "fast-check";
import ipaddr from "ipaddr.js";
import type { DecisionFacts, PeeringStatus, Route, RouteTable, RouteTablesRead } from "../../shared/facts";
import { type Policy, PolicySchema } from "../../shared/policy/schema";

/**
 * Generators for the property tests: policies, the facts `decide` works from, and whole worlds for the
 * handlers. Every pool is small on purpose, so that selectors match, CIDRs nest and routes collide often.
 */

/** The account the function runs in; always the first of the pool. */
export const HOME = "111111111111";
export const ACCOUNTS = [HOME, "222222222222", "333333333333"];
export const REGIONS = ["us-east-1", "eu-west-1"];
export const VPC_IDS = [
  "vpc-0aaaaaaaaaaaaaa01",
  "vpc-0bbbbbbbbbbbbbb02",
  "vpc-0cccccccccccccc03",
  "vpc-0dddddddddddddd04",
];
/** The connection being decided (pure level) and some others that routes may point at. */
export const CONNECTION_ID = "pcx-0123456789abcdef0";
export const OTHER_PCX = ["pcx-0aaaaaaaaaaaaaaaa", "pcx-0bbbbbbbbbbbbbbbb"];
/** Peering connections that no world holds: their routes are blackholes the reconciler may remove. */
export const ORPHAN_PCX = ["pcx-0fffffffffffff001", "pcx-0fffffffffffff002"];
export const STATUSES: PeeringStatus[] = [
  "initiating-request",
  "pending-acceptance",
  "provisioning",
  "active",
  "failed",
  "rejected",
  "expired",
  "deleting",
  "deleted",
];
const TAGS: [string, string][] = [
  ["tier", "private"],
  ["tier", "public"],
  ["peering", "partners"],
];

// --- CIDR blocks ----------------------------------------------------------------------------------

/** The network block of `address/prefix` in canonical spelling (host bits cleared). */
export function networkOf(address: string, prefix: number): string {
  const text = `${address}/${prefix}`;
  const network = address.includes(":")
    ? ipaddr.IPv6.networkAddressFromCIDR(text)
    : ipaddr.IPv4.networkAddressFromCIDR(text);
  return `${network.toString()}/${prefix}`;
}

/** Addresses from a coarse grid, so that blocks of different sizes nest and overlap often. */
const ipv4 = (prefixes: number[]) =>
  fc
    .tuple(
      fc.constantFrom(10, 10, 10, 172),
      fc.constantFrom(0, 16, 20, 31, 128),
      fc.constantFrom(0, 64, 128),
      fc.constantFrom(...prefixes),
    )
    .map(([a, b, c, prefix]) => networkOf(`${a}.${b}.${c}.0`, prefix));
const ipv6 = (prefixes: number[]) =>
  fc
    .tuple(fc.constantFrom(0, 0x16, 0x24), fc.constantFrom(0, 0x24, 0x100), fc.constantFrom(...prefixes))
    .map(([b, c, prefix]) => networkOf(`fd00:${b.toString(16)}:${c.toString(16)}::`, prefix));
const mixed = (v4: number[], v6: number[]) =>
  fc.oneof({ weight: 3, arbitrary: ipv4(v4) }, { weight: 1, arbitrary: ipv6(v6) });

/** Blocks a policy allows: large. */
export const allowCidrArb = mixed([8, 12, 16], [32, 40]);
/** Blocks a VPC has: medium. */
export const vpcCidrArb = mixed([16, 18, 20, 24], [48, 56]);
export const vpcIpv4Arb = ipv4([16, 18, 20, 24]);
export const vpcIpv6Arb = ipv6([48, 56]);
/** Destinations of routes already in tables: any size. */
export const routeCidrArb = mixed([8, 12, 16, 20, 24, 28], [32, 48, 56, 64]);

const uniqueCidrs = (arb: fc.Arbitrary<string>, minLength: number, maxLength: number) =>
  fc.uniqueArray(arb, { minLength, maxLength });

// --- policies -------------------------------------------------------------------------------------

const selectorArb = fc.oneof(
  fc.constantFrom("all", "main", "none"),
  fc.subarray(TAGS, { minLength: 1 }).map((entries) => ({ tags: Object.fromEntries(entries) })),
);

const ruleBodyArb = fc.record(
  {
    accepter: fc.record(
      {
        accounts: fc.subarray(ACCOUNTS, { minLength: 1 }),
        regions: fc.subarray(REGIONS, { minLength: 1 }),
        vpcs: fc.subarray(VPC_IDS, { minLength: 1 }),
      },
      { requiredKeys: ["accounts"] },
    ),
    requester: fc.record(
      {
        accounts: fc.subarray([...ACCOUNTS, "*"], { minLength: 1 }),
        regions: fc.subarray(REGIONS, { minLength: 1 }),
        cidrs: uniqueCidrs(allowCidrArb, 1, 3),
      },
      { requiredKeys: ["accounts", "cidrs"] },
    ),
    dnsResolution: fc.boolean(),
    routes: fc.record({ accepter: selectorArb, requester: selectorArb }, { requiredKeys: [] }),
  },
  { requiredKeys: ["accepter", "requester"] },
);

/** A policy as written in the file, and as the service sees it once validated. */
export interface GeneratedPolicy {
  raw: Record<string, unknown>;
  policy: Policy;
}

export const policyArb: fc.Arbitrary<GeneratedPolicy> = fc
  .record(
    {
      version: fc.constant(1),
      unmatched: fc.constantFrom("reject", "ignore"),
      rules: fc
        .array(ruleBodyArb, { minLength: 1, maxLength: 4 })
        .map((rules) => rules.map((rule, i) => ({ name: `rule-${i + 1}`, ...rule }))),
    },
    { requiredKeys: ["version", "rules"] },
  )
  .map((raw) => ({ raw, policy: PolicySchema.parse(raw) }));

// --- decision facts --------------------------------------------------------------------------------

/** Where a route of a generated table points, resolved once the CIDRs of both sides are known. */
type Destination = { cidr: string } | { peer: number };
type RouteTemplate =
  | { kind: "gateway"; destination: string; target: string }
  | { kind: "tgw" | "nat" | "other-pcx" | "this"; destination: Destination; target: string; state: string };

const destinationArb: fc.Arbitrary<Destination> = fc.oneof(
  routeCidrArb.map((cidr) => ({ cidr })),
  fc.nat(5).map((peer) => ({ peer })),
);

const routeTemplateArb: fc.Arbitrary<RouteTemplate> = fc.oneof(
  fc.record({
    kind: fc.constant("gateway" as const),
    destination: fc.constantFrom("0.0.0.0/0", "::/0"),
    target: fc.constantFrom("igw-0aaaabbbbccccdddd", "nat-0aaaabbbbccccdddd"),
  }),
  fc.record({
    kind: fc.constantFrom("tgw" as const, "nat" as const),
    destination: destinationArb,
    target: fc.constantFrom("tgw-0aaaabbbbccccdddd", "nat-0aaaabbbbccccdddd"),
    state: fc.constant("active"),
  }),
  fc.record({
    kind: fc.constant("other-pcx" as const),
    destination: destinationArb,
    target: fc.constantFrom(...OTHER_PCX),
    state: fc.constantFrom("active", "blackhole"),
  }),
  // Routes to the connection itself: to a peer CIDR (present) or to something else (stale).
  fc.record({
    kind: fc.constant("this" as const),
    destination: destinationArb,
    target: fc.constant(CONNECTION_ID),
    state: fc.constantFrom("active", "blackhole"),
  }),
);

interface TableTemplateForFacts {
  main: boolean;
  tags: Record<string, string>;
  routes: RouteTemplate[];
}

const tableTemplateArb: fc.Arbitrary<TableTemplateForFacts> = fc.record({
  main: fc.boolean(),
  tags: fc.subarray(TAGS).map((entries) => Object.fromEntries(entries) as Record<string, string>),
  routes: fc.array(routeTemplateArb, { maxLength: 5 }),
});

const sideTablesArb: fc.Arbitrary<TableTemplateForFacts[] | "unreadable"> = fc.oneof(
  { weight: 6, arbitrary: fc.array(tableTemplateArb, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant("unreadable" as const) },
);

const locationArb = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  region: fc.constantFrom(...REGIONS),
  vpcId: fc.constantFrom(...VPC_IDS),
});

const sideCidrsArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant([] as string[]) },
  { weight: 9, arbitrary: uniqueCidrs(vpcCidrArb, 1, 3) },
);

/** Routes with unique destinations (a table cannot hold two), local routes first. */
export function withUniqueDestinations<T extends { destination: string }>(routes: T[]): T[] {
  const seen = new Set<string>();
  return routes.filter((route) => !seen.has(route.destination) && Boolean(seen.add(route.destination)));
}

function resolveTables(
  side: "accepter" | "requester",
  templates: TableTemplateForFacts[] | "unreadable",
  own: string[],
  peer: string[],
): RouteTablesRead {
  if (templates === "unreadable") {
    return { readable: false, reason: `cannot assume the ${side}'s role: AccessDenied (generated)` };
  }
  const tables = templates.map(
    (template, i): RouteTable => ({
      id: `rtb-0${side === "accepter" ? "a" : "b"}00000000000000${i}`,
      main: template.main,
      tags: template.tags,
      routes: withUniqueDestinations([
        ...own.map((cidr): Route => ({ destination: cidr, target: "local", state: "active" })),
        ...template.routes.flatMap((route): Route[] => {
          if (route.kind === "gateway") return [{ destination: route.destination, target: route.target }];
          const destination =
            "cidr" in route.destination ? route.destination.cidr : peer[route.destination.peer % peer.length];
          return destination ? [{ destination, target: route.target, state: route.state }] : [];
        }),
      ]),
    }),
  );
  return { readable: true, tables };
}

const rawFactsArb = fc.record({
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constant<PeeringStatus>("pending-acceptance") },
    { weight: 3, arbitrary: fc.constant<PeeringStatus>("active") },
    { weight: 2, arbitrary: fc.constantFrom(...STATUSES) },
  ),
  requester: locationArb,
  accepter: locationArb,
  requesterCidrs: sideCidrsArb,
  accepterCidrs: sideCidrsArb,
  /** A pending connection does not show the accepter's CIDRs; DescribeVpcs does. */
  connectionShowsAccepterCidrs: fc.boolean(),
  accepterTables: sideTablesArb,
  requesterTables: sideTablesArb,
  dnsResolution: fc.record({ requester: fc.boolean(), accepter: fc.boolean() }),
  /** The rule an earlier decision recorded on the connection, if any. */
  taggedRule: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
});

type RawFacts = typeof rawFactsArb extends fc.Arbitrary<infer T> ? T : never;

export const factsArb: fc.Arbitrary<DecisionFacts> = rawFactsArb.map(toFacts);

function toFacts(f: RawFacts): DecisionFacts {
  return {
    connection: {
      id: CONNECTION_ID,
      status: f.status,
      requester: { ...f.requester, cidrs: f.requesterCidrs },
      accepter: { ...f.accepter, cidrs: f.connectionShowsAccepterCidrs ? f.accepterCidrs : [] },
      tags:
        f.taggedRule === undefined
          ? {}
          : { "peering-autopilot:decision": "accept", "peering-autopilot:rule": `rule-${f.taggedRule}` },
      dnsResolution: f.dnsResolution,
    },
    accepterCidrs: f.accepterCidrs,
    accepterRouteTables: resolveTables("accepter", f.accepterTables, f.accepterCidrs, f.requesterCidrs),
    requesterRouteTables: resolveTables("requester", f.requesterTables, f.requesterCidrs, f.accepterCidrs),
  };
}

/** A block inside `outer`: same family, a prefix up to 8 bits longer, anywhere within it. */
export function subBlockArb(outer: string): fc.Arbitrary<string> {
  const [address = "", prefixText = ""] = outer.split("/");
  const prefix = Number(prefixText);
  const bits = address.includes(":") ? 128 : 32;
  const base = ipaddr.parse(address).toByteArray();
  return fc
    .tuple(
      fc.integer({ min: prefix, max: Math.min(prefix + 8, bits) }),
      fc.array(fc.nat(255), { minLength: 16, maxLength: 16 }),
    )
    .map(([inner, noise]) => {
      // Keep the outer block's bits, randomise the rest, then clear the host bits of the inner block.
      const bytes = base.map((byte, i) => {
        const keep = Math.max(0, Math.min(8, prefix - i * 8));
        const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
        return (byte & mask) | ((noise[i] ?? 0) & ~mask & 0xff);
      });
      return networkOf(ipaddr.fromByteArray(bytes).toString(), inner);
    });
}

/**
 * Facts that one of the policy's rules is about: its selectors' accounts, regions and VPCs, requester
 * CIDRs inside its allowlist (most of the time). Random facts alone rarely get past the rules.
 */
function alignedFactsArb(policy: Policy): fc.Arbitrary<DecisionFacts> {
  return fc.constantFrom(...policy.rules).chain((rule) => {
    const requesterAccounts = rule.requester.accounts.filter((a) => a !== "*");
    return fc
      .record({
        accepter: fc.record({
          account: fc.constantFrom(...rule.accepter.accounts),
          region: fc.constantFrom(...(rule.accepter.regions ?? REGIONS)),
          vpcId: fc.constantFrom(...(rule.accepter.vpcs ?? VPC_IDS)),
        }),
        requester: fc.record({
          account: fc.constantFrom(...(requesterAccounts.length > 0 ? requesterAccounts : ACCOUNTS)),
          region: fc.constantFrom(...(rule.requester.regions ?? REGIONS)),
          vpcId: fc.constantFrom(...VPC_IDS),
        }),
        requesterCidrs: fc.uniqueArray(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...rule.requester.cidrs).chain(subBlockArb) },
            { weight: 1, arbitrary: vpcCidrArb },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      })
      .chain((aligned) => rawFactsArb.map((raw) => toFacts({ ...raw, ...aligned })));
  });
}

/** Facts for `policy`: half of them about one of its rules, half anything at all. */
export function factsFor(policy: Policy): fc.Arbitrary<DecisionFacts> {
  return fc.oneof(factsArb, alignedFactsArb(policy));
}

/** A policy and facts to decide under it. */
export const decisionInputArb: fc.Arbitrary<GeneratedPolicy & { facts: DecisionFacts }> = policyArb.chain(
  (generated) => factsFor(generated.policy).map((facts) => ({ ...generated, facts })),
);

// --- worlds for the handlers ------------------------------------------------------------------------

/** How a connection of a generated world came about, and which event (if any) announces it. */
export type PeeringKind =
  | "request" // pending, with its CreateVpcPeeringConnection event
  | "lost" // pending, its event lost: only the reconciler finds it
  | "active" // accepted by hand, with its AcceptVpcPeeringConnection event
  | "deleted" // deleted by one side, with its DeleteVpcPeeringConnection event
  | "rejected"; // rejected by hand, with its RejectVpcPeeringConnection event

export interface PeeringTemplate {
  requester: number;
  /** Offset from the requester among the other VPCs, so that the two sides always differ. */
  accepterOffset: number;
  kind: PeeringKind;
  deletedBy: "requester" | "accepter";
}

/**
 * A destination: a block of its own, one of some VPC's CIDRs, or one of the CIDRs of the VPC at the other
 * end of one of the table's VPC's connections (to contest a route some connection wants there).
 */
export type WorldDestination =
  | { cidr: string }
  | { vpc: number; index: number }
  | { peerOf: number; index: number };

export type WorldRouteTemplate =
  | { kind: "igw" | "nat" | "tgw"; destination: WorldDestination }
  | { kind: "default"; destination: "0.0.0.0/0" | "::/0"; target: "igw" | "nat" }
  /** A route to one of the world's connections that involves the table's VPC (skipped if none does). */
  | { kind: "pcx"; peering: number; destination: WorldDestination }
  | { kind: "orphan"; orphan: number; destination: WorldDestination };

export interface TableTemplate {
  vpc: number;
  /** Add the routes and tags to the VPC's main table instead of a new table. */
  intoMain: boolean;
  tags: Record<string, string>;
  routes: WorldRouteTemplate[];
}

export interface WorldSpec {
  /** The other accounts (the home account always exists and needs no role). */
  others: { account: string; role: boolean }[];
  regions: string[];
  vpcs: { owner: number; region: number; cidrs: string[]; ipv6Cidrs: string[] }[];
  peerings: PeeringTemplate[];
  tables: TableTemplate[];
  /**
   * A VPC gains `cidr`, or (with `remove`) loses its last block other than the primary one, after the
   * connections exist; the change is announced by its event.
   */
  cidrChange?: { vpc: number; cidr: string; remove: boolean };
}

const worldDestinationArb: fc.Arbitrary<WorldDestination> = fc.oneof(
  routeCidrArb.map((cidr) => ({ cidr })),
  fc.record({ vpc: fc.nat(3), index: fc.nat(3) }),
  fc.record({ peerOf: fc.nat(3), index: fc.nat(3) }),
);

const worldRouteArb: fc.Arbitrary<WorldRouteTemplate> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("igw" as const, "nat" as const, "tgw" as const),
    destination: worldDestinationArb,
  }),
  fc.record({
    kind: fc.constant("default" as const),
    destination: fc.constantFrom("0.0.0.0/0" as const, "::/0" as const),
    target: fc.constantFrom("igw" as const, "nat" as const),
  }),
  fc.record({ kind: fc.constant("pcx" as const), peering: fc.nat(3), destination: worldDestinationArb }),
  fc.record({
    kind: fc.constant("orphan" as const),
    orphan: fc.nat(ORPHAN_PCX.length - 1),
    destination: worldDestinationArb,
  }),
);

/** The account, region and VPC id of a world's VPC. */
export function vpcOf(spec: WorldSpec, index: number) {
  const accounts = [HOME, ...spec.others.map((o) => o.account)];
  const i = index % spec.vpcs.length;
  const vpc = spec.vpcs[i];
  if (!vpc) throw new Error("a world has VPCs");
  return {
    ...vpc,
    account: accounts[vpc.owner % accounts.length] ?? HOME,
    region: spec.regions[vpc.region % spec.regions.length] ?? "us-east-1",
    vpcId: VPC_IDS[i] ?? "",
    index: i,
  };
}

/** The requester and accepter VPCs (indexes) of a generated connection: always two different VPCs. */
export function endsOf(spec: WorldSpec, template: PeeringTemplate): { requester: number; accepter: number } {
  const n = spec.vpcs.length;
  const requester = template.requester % n;
  return { requester, accepter: (requester + 1 + (template.accepterOffset % (n - 1))) % n };
}

export const worldSpecArb: fc.Arbitrary<WorldSpec> = fc.record(
  {
    others: fc.subarray(ACCOUNTS.slice(1), { minLength: 1 }).chain((accounts) =>
      fc.tuple(
        ...accounts.map((account) =>
          // Mostly with the execution role; without it the account's side cannot be managed.
          fc.record({
            account: fc.constant(account),
            role: fc.oneof(
              { weight: 4, arbitrary: fc.constant(true) },
              { weight: 1, arbitrary: fc.constant(false) },
            ),
          }),
        ),
      ),
    ),
    regions: fc.subarray(REGIONS, { minLength: 1 }),
    vpcs: fc.array(
      fc.record({
        owner: fc.nat(2),
        region: fc.nat(1),
        cidrs: uniqueCidrs(vpcIpv4Arb, 1, 2),
        ipv6Cidrs: uniqueCidrs(vpcIpv6Arb, 0, 1),
      }),
      { minLength: 2, maxLength: VPC_IDS.length },
    ),
    peerings: fc.array(
      fc.record({
        requester: fc.nat(3),
        accepterOffset: fc.nat(2),
        kind: fc.oneof(
          { weight: 3, arbitrary: fc.constant("request" as const) },
          { weight: 1, arbitrary: fc.constant("lost" as const) },
          { weight: 2, arbitrary: fc.constant("active" as const) },
          { weight: 1, arbitrary: fc.constant("deleted" as const) },
          { weight: 1, arbitrary: fc.constant("rejected" as const) },
        ),
        deletedBy: fc.constantFrom("requester" as const, "accepter" as const),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    tables: fc.array(
      fc.record({
        vpc: fc.nat(3),
        intoMain: fc.boolean(),
        tags: fc.subarray(TAGS).map((entries) => Object.fromEntries(entries) as Record<string, string>),
        routes: fc.array(worldRouteArb, { maxLength: 4 }),
      }),
      { maxLength: 4 },
    ),
    cidrChange: fc.record({ vpc: fc.nat(3), cidr: vpcCidrArb, remove: fc.boolean() }),
  },
  { requiredKeys: ["others", "regions", "vpcs", "peerings", "tables"] },
);

/** A block holding `cidr`: its prefix shortened by up to 8 bits (not below /8, /16 for IPv6). */
const coverArb = (cidr: string) => {
  const [address = "", prefixText = ""] = cidr.split("/");
  const floor = address.includes(":") ? 16 : 8;
  return fc.nat(8).map((k) => networkOf(address, Math.max(floor, Number(prefixText) - k)));
};

/**
 * A rule about one of the world's connections: its accepter's account (and maybe region and VPC),
 * its requester's account (or "*"), and blocks holding the requester's CIDRs — sometimes one fewer.
 */
function alignedRuleArb(spec: WorldSpec) {
  return fc.constantFrom(...spec.peerings).chain((template) => {
    const ends = endsOf(spec, template);
    const accepter = vpcOf(spec, ends.accepter);
    const requester = vpcOf(spec, ends.requester);
    const cidrs = [...requester.cidrs, ...requester.ipv6Cidrs];
    return fc.record(
      {
        accepter: fc.record(
          {
            accounts: fc.constant([accepter.account]),
            regions: fc.constant([accepter.region]),
            vpcs: fc.constant([accepter.vpcId]),
          },
          { requiredKeys: ["accounts"] },
        ),
        requester: fc.record(
          {
            accounts: fc.constantFrom([requester.account], ["*"]),
            regions: fc.constant([requester.region]),
            cidrs: fc
              .tuple(...cidrs.map(coverArb))
              .chain((covers) =>
                fc.subarray([...new Set(covers)], { minLength: Math.max(1, covers.length - 1) }),
              ),
          },
          { requiredKeys: ["accounts", "cidrs"] },
        ),
        dnsResolution: fc.boolean(),
        routes: fc.record({ accepter: selectorArb, requester: selectorArb }, { requiredKeys: [] }),
      },
      { requiredKeys: ["accepter", "requester"] },
    );
  });
}

/** A policy for a world: one or two rules about its connections among up to two random ones, in any order. */
export function policyForWorld(spec: WorldSpec): fc.Arbitrary<GeneratedPolicy> {
  return fc
    .record({
      aligned: fc.array(alignedRuleArb(spec), { minLength: 1, maxLength: 2 }),
      random: fc.array(ruleBodyArb, { maxLength: 2 }),
      unmatched: fc.constantFrom("reject", "ignore"),
    })
    .chain(({ aligned, random, unmatched }) =>
      fc
        .shuffledSubarray([...aligned, ...random], { minLength: aligned.length + random.length })
        .map((rules) => ({
          version: 1,
          unmatched,
          rules: rules.map((rule, i) => ({ name: `rule-${i + 1}`, ...rule })),
        })),
    )
    .map((raw) => ({ raw, policy: PolicySchema.parse(raw) }));
}

/** A world and a policy for it: mostly one about its connections, sometimes any policy at all. */
export const worldCaseArb: fc.Arbitrary<{ spec: WorldSpec; generated: GeneratedPolicy }> = worldSpecArb.chain(
  (spec) =>
    fc.record({
      spec: fc.constant(spec),
      generated: fc.oneof(
        { weight: 3, arbitrary: policyForWorld(spec) },
        { weight: 1, arbitrary: policyArb },
      ),
    }),
);
