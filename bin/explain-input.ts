import { readFileSync } from "node:fs";
import type { VpcPeeringConnection } from "@aws-sdk/client-ec2";
import * as z from "zod";
import { toPeeringConnection } from "../shared/aws/read/to-facts";
import { isCidr, parseCidr } from "../shared/cidr";
import type { DecisionFacts } from "../shared/facts";
import { InputError } from "./io";

/** The reason a side is unmanaged when the input held no route tables. */
export const ROUTE_TABLES_NOT_GIVEN = "route tables not given";

export interface ExplainInput {
  /** What the file held, named for the output. */
  kind: "DecisionFacts" | "EC2 VpcPeeringConnection";
  facts: DecisionFacts;
  /** What the decision could not take into account with this input; printed with it. */
  notes: string[];
}

// decide() parses CIDRs and throws on a bad one; a file is checked here so that the user hears which.
const cidr = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
});
const tags = z.record(z.string(), z.string());

/**
 * DecisionFacts as shared/facts.ts defines it. Strict, because these files are written by hand and a
 * misspelt key would otherwise be silently ignored. `satisfies` makes tsc report when the type moves on.
 */
const RouteTableSchema = z.strictObject({
  id: z.string().min(1),
  main: z.boolean(),
  tags: tags.default({}),
  routes: z.array(
    z.strictObject({ destination: cidr, target: z.string().min(1), state: z.string().optional() }),
  ),
});
const RouteTablesReadSchema = z.discriminatedUnion("readable", [
  z.strictObject({ readable: z.literal(true), tables: z.array(RouteTableSchema) }),
  z.strictObject({ readable: z.literal(false), reason: z.string().min(1) }),
]);
const SubnetsReadSchema = z.discriminatedUnion("readable", [
  z.strictObject({
    readable: z.literal(true),
    subnets: z.array(z.strictObject({ id: z.string().min(1), cidrs: z.array(cidr), tags: tags.default({}) })),
  }),
  z.strictObject({ readable: z.literal(false), reason: z.string().min(1) }),
]);
const IngressRuleSchema = z.strictObject({
  protocol: z.string().min(1),
  fromPort: z.number().int(),
  toPort: z.number().int(),
  // Absent for a rule whose source is a group or a prefix list.
  cidr: cidr.optional(),
});
const SecurityGroupsReadSchema = z.discriminatedUnion("readable", [
  z.strictObject({
    readable: z.literal(true),
    groups: z.array(
      z.strictObject({
        id: z.string().min(1),
        tags: tags.default({}),
        ingress: z.array(IngressRuleSchema).default([]),
        // The service's own rules among them, with the connection each was made for.
        tagged: z
          .array(IngressRuleSchema.extend({ id: z.string().min(1), connectionId: z.string().min(1) }))
          .default([]),
      }),
    ),
  }),
  z.strictObject({ readable: z.literal(false), reason: z.string().min(1) }),
]);
const QuotasSchema = z.strictObject({
  routesPerTable: z.number().int().positive(),
  activePeeringsPerVpc: z.number().int().positive(),
  rulesPerSecurityGroup: z.number().int().positive(),
});
const SideSchema = z.strictObject({
  account: z.string().min(1),
  region: z.string().min(1),
  vpcId: z.string().min(1),
  cidrs: z.array(cidr),
});
const DecisionFactsSchema = z.strictObject({
  connection: z.strictObject({
    id: z.string().min(1),
    status: z.string().min(1),
    requester: SideSchema,
    accepter: SideSchema,
    tags: tags.default({}),
    // Optional for hand-written files: "not enabled" is what a new connection has.
    dnsResolution: z
      .strictObject({ requester: z.boolean(), accepter: z.boolean() })
      .default({ requester: false, accepter: false }),
  }),
  accepterCidrs: z.array(cidr),
  accepterRouteTables: RouteTablesReadSchema,
  requesterRouteTables: RouteTablesReadSchema,
  // Needed only when a rule routes to subnets, as the service reads them only then.
  accepterSubnets: SubnetsReadSchema.optional(),
  requesterSubnets: SubnetsReadSchema.optional(),
  // Needed only when a rule opens security groups.
  accepterSecurityGroups: SecurityGroupsReadSchema.optional(),
  requesterSecurityGroups: SecurityGroupsReadSchema.optional(),
  // With them, the request is checked against them, and the accepter VPC's count when given.
  quotas: QuotasSchema.optional(),
  accepterActivePeerings: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<DecisionFacts>;

/**
 * One VpcPeeringConnection as the AWS CLI and SDK print it. Loose: AWS adds fields, and the ones not
 * checked here (PeeringOptions, ExpirationTime, …) pass through to toPeeringConnection untouched.
 */
const VpcInfoSchema = z.looseObject({
  OwnerId: z.string().min(1),
  Region: z.string().min(1),
  VpcId: z.string().min(1),
  CidrBlock: cidr.optional(),
  CidrBlockSet: z.array(z.looseObject({ CidrBlock: cidr.optional() })).optional(),
  Ipv6CidrBlockSet: z.array(z.looseObject({ Ipv6CidrBlock: cidr.optional() })).optional(),
});
const Ec2ConnectionSchema = z.looseObject({
  VpcPeeringConnectionId: z.string().min(1),
  Status: z.looseObject({ Code: z.string().min(1) }),
  AccepterVpcInfo: VpcInfoSchema,
  RequesterVpcInfo: VpcInfoSchema,
  Tags: z.array(z.looseObject({ Key: z.string().optional(), Value: z.string().optional() })).optional(),
});

const SHAPES =
  "expected DecisionFacts (an object with connection, accepterCidrs, accepterRouteTables and " +
  "requesterRouteTables) or one EC2 VpcPeeringConnection (the output of aws ec2 " +
  "describe-vpc-peering-connections with one connection, or that connection alone)";

export function readExplainInput(file: string, accepterCidrs?: string[]): ExplainInput {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseExplainInput(raw, file, accepterCidrs);
}

/** Tells the two shapes apart by the key only each has, so that errors speak of the intended one. */
export function parseExplainInput(raw: unknown, file: string, accepterCidrs?: string[]): ExplainInput {
  const invalid = accepterCidrs?.find((c) => !isCidr(c));
  if (invalid) throw new InputError(`--accepter-cidrs: '${invalid}' is not a CIDR block`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError(`${file}: ${SHAPES}`);
  }
  if ("connection" in raw) {
    const facts = validate(DecisionFactsSchema, raw, `${file} is not valid DecisionFacts`);
    return { kind: "DecisionFacts", facts, notes: [] };
  }
  if ("VpcPeeringConnections" in raw) {
    const list = raw.VpcPeeringConnections;
    if (!Array.isArray(list) || list.length !== 1) {
      const count = Array.isArray(list) ? `${list.length} connections` : "no list of connections";
      throw new InputError(
        `${file}: VpcPeeringConnections holds ${count}; explain takes exactly one ` +
          "(describe it with --vpc-peering-connection-ids pcx-…)",
      );
    }
    const where = `${file}: VpcPeeringConnections[0] is not a valid VpcPeeringConnection`;
    return fromEc2(validate(Ec2ConnectionSchema, list[0], where), accepterCidrs);
  }
  if ("VpcPeeringConnectionId" in raw) {
    return fromEc2(
      validate(Ec2ConnectionSchema, raw, `${file} is not a valid VpcPeeringConnection`),
      accepterCidrs,
    );
  }
  throw new InputError(`${file}: ${SHAPES}`);
}

/**
 * The connection is all there is: its own copy of the accepter CIDRs stands in for DescribeVpcs, and
 * both sides' route tables are unknown, so decide() reports both sides as not managed.
 */
function fromEc2(pcx: z.infer<typeof Ec2ConnectionSchema>, givenAccepterCidrs?: string[]): ExplainInput {
  // The schema checked what the conversion relies on; Status.Code stays the string AWS printed.
  const connection = toPeeringConnection(pcx as VpcPeeringConnection);
  const notGiven = { readable: false, reason: ROUTE_TABLES_NOT_GIVEN } as const;
  const notes = [
    `${ROUTE_TABLES_NOT_GIVEN}: the route plan could not be computed without route tables, and route ` +
      "conflicts were not checked (explain DecisionFacts with route tables, or the connection live)",
  ];
  const accepterCidrs = givenAccepterCidrs ?? connection.accepter.cidrs;
  if (accepterCidrs.length === 0) {
    notes.push(
      "the connection shows no accepter CIDRs (EC2 shows them only once a request is accepted): give " +
        "them with --accepter-cidrs as DescribeVpcs reports them; without them the request cannot be validated",
    );
  }
  return {
    kind: "EC2 VpcPeeringConnection",
    facts: {
      connection,
      accepterCidrs,
      accepterRouteTables: notGiven,
      requesterRouteTables: notGiven,
    },
    notes,
  };
}

function validate<T extends z.ZodType>(schema: T, raw: unknown, heading: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const message =
      issue.code === "unrecognized_keys" ? `unknown key(s): ${issue.keys.join(", ")}` : issue.message;
    const path = formatPath(issue.path);
    return `  - ${path ? `${path}: ` : ""}${message}`;
  });
  throw new InputError(`${heading}:\n${problems.join("\n")}`);
}

/** `connection.requester.cidrs[0]`: the same spelling as the policy's error messages. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`))
    .join("");
}
