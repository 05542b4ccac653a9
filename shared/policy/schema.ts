import * as z from "zod";
import { ACCOUNT_ID, REGION, SECURITY_GROUP_ID, VPC_ID } from "../aws-ids";
import { parseCidr } from "../cidr";
import { MODES } from "./mode";

const accountId = z.string().regex(ACCOUNT_ID, "must be a 12-digit AWS account id");
const anyAccount = z.literal("*");
const region = z.string().regex(REGION, "must be an AWS region such as us-east-1");
const vpcId = z.string().regex(VPC_ID, "must be a VPC id such as vpc-0f9e8d7c6b5a40001");
const cidr = z.string().superRefine((text, ctx) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
});

export const ModeSchema = z.enum(MODES, { error: "must be enforce or report" });

const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, "must list at least one entry");

const tags = z
  .record(z.string().min(1), z.string())
  .refine((t) => Object.keys(t).length > 0, "name at least one tag");

/** Which of a VPC's route tables get routes to the peer. */
export const RouteTableSelectorSchema = z.union([z.enum(["all", "main", "none"]), z.strictObject({ tags })], {
  error: "must be all, main, none or {tags: {Key: Value}}",
});

/**
 * Which addresses of one side the other side's tables route to: `vpc`, every VPC CIDR of that side;
 * the CIDRs (IPv4 and IPv6) of that side's subnets carrying every tag listed; or explicit blocks, each
 * routed only while it lies inside one of that side's VPC CIDRs.
 */
export const ReachSchema = z.union(
  [
    z.literal("vpc"),
    z.strictObject({ subnets: z.strictObject({ tags }) }),
    z.strictObject({ cidrs: nonEmpty(cidr) }),
  ],
  { error: "must be vpc, {subnets: {tags: {Key: Value}}} or {cidrs: [...]}" },
);

/** Which of a side's security groups get ingress rules from the peer: none, those tagged so, or those listed. */
export const SecurityGroupSelectorSchema = z.union(
  [
    z.literal("none"),
    z.strictObject({ tags }),
    z.strictObject({
      ids: nonEmpty(
        z.string().regex(SECURITY_GROUP_ID, "must be a security group id such as sg-0123456789abcdef0"),
      ),
    }),
  ],
  { error: "must be none, {tags: {Key: Value}} or {ids: [sg-...]}" },
);

const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** A port (443) or an inclusive range ("8000-8100"), as the ports of one ingress rule. */
export const PortsSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const match = PORT_RANGE.exec(String(value));
  const from = Number(match?.[1]);
  const to = Number(match?.[2] ?? match?.[1]);
  const valid = (port: number) => Number.isInteger(port) && port >= 0 && port <= 65535;
  if (!match || !valid(from) || !valid(to)) {
    ctx.addIssue({
      code: "custom",
      message: `'${value}' is not a port 0-65535 or a range such as 8000-8100`,
    });
    return z.NEVER;
  }
  if (from > to) {
    ctx.addIssue({ code: "custom", message: `range '${value}' runs backwards: write the low port first` });
    return z.NEVER;
  }
  return { from, to };
});

/**
 * One kind of traffic the peer may send: TCP or UDP to ports; ICMP (from IPv4 sources) or ICMPv6 (from
 * IPv6 sources), every type; or all traffic. Only TCP and UDP take ports.
 */
export const IngressSchema = z
  .strictObject({
    protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "all"], {
      error: "must be tcp, udp, icmp, icmpv6 or all",
    }),
    ports: nonEmpty(PortsSchema).optional(),
  })
  .superRefine((ingress, ctx) => {
    const takesPorts = ingress.protocol === "tcp" || ingress.protocol === "udp";
    if (takesPorts && !ingress.ports) {
      ctx.addIssue({ code: "custom", path: ["ports"], message: `${ingress.protocol} needs ports` });
    }
    if (!takesPorts && ingress.ports) {
      ctx.addIssue({
        code: "custom",
        path: ["ports"],
        message: `${ingress.protocol} takes no ports: it allows every ${ingress.protocol === "all" ? "protocol and port" : "type"}`,
      });
    }
  });

export const SecurityGroupsSchema = z
  .strictObject({
    /** The accepter groups that admit the requester addresses the accepter's tables route to. */
    accepter: SecurityGroupSelectorSchema.default("none"),
    /** The requester groups that admit the accepter addresses the requester's tables route to. */
    requester: SecurityGroupSelectorSchema.default("none"),
    ingress: z.array(IngressSchema).default([]),
  })
  .superRefine((groups, ctx) => {
    const opens = groups.accepter !== "none" || groups.requester !== "none";
    if (opens && groups.ingress.length === 0) {
      ctx.addIssue({ code: "custom", path: ["ingress"], message: "list at least one protocol to open" });
    }
  });

export const RuleSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be 1-63 letters, digits, '.', '_' or '-'"),
  accepter: z.strictObject({
    accounts: nonEmpty(accountId),
    regions: nonEmpty(region).optional(),
    vpcs: nonEmpty(vpcId).optional(),
  }),
  requester: z.strictObject({
    accounts: nonEmpty(z.union([accountId, anyAccount])),
    regions: nonEmpty(region).optional(),
    cidrs: nonEmpty(cidr),
  }),
  /**
   * `required`: a request this rule approves is not accepted until a person answers it with the
   * `peering-approval` tag (approve or deny) on the connection in the accepter account and region.
   */
  approval: z.literal("required", { error: "must be 'required' (or left out)" }).optional(),
  /** Overrides the policy's `mode` for the requests and connections this rule governs. */
  mode: ModeSchema.optional(),
  /** Enable remote DNS resolution on each managed side once the connection is active. */
  dnsResolution: z.boolean().default(false),
  routes: z
    .strictObject({
      accepter: RouteTableSelectorSchema.default("all"),
      requester: RouteTableSelectorSchema.default("all"),
      /** `reach.accepter`: the accepter addresses the requester's tables route to; and the other way. */
      reach: z
        .strictObject({ accepter: ReachSchema.default("vpc"), requester: ReachSchema.default("vpc") })
        .default({ accepter: "vpc", requester: "vpc" }),
    })
    .default({ accepter: "all", requester: "all", reach: { accepter: "vpc", requester: "vpc" } }),
  /**
   * Opt-in: ingress rules on each side's chosen security groups from the peer addresses that side's
   * tables route to, tagged with the connection so that the service knows them as its own.
   */
  securityGroups: SecurityGroupsSchema.default({ accepter: "none", requester: "none", ingress: [] }),
});

export const PolicySchema = z
  .strictObject({
    version: z.literal(1),
    mode: ModeSchema.default("enforce"),
    unmatched: z.enum(["reject", "ignore"]).default("reject"),
    rules: z.array(RuleSchema),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", index, "name"],
          message: `duplicate rule name '${rule.name}'`,
        });
      }
      seen.add(rule.name);
    });
  });

export type Policy = z.infer<typeof PolicySchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type { Mode } from "./mode";
export type RouteTableSelector = z.infer<typeof RouteTableSelectorSchema>;
export type Reach = z.infer<typeof ReachSchema>;
export type SecurityGroupSelector = z.infer<typeof SecurityGroupSelectorSchema>;
export type Ingress = z.infer<typeof IngressSchema>;
