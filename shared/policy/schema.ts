import * as z from "zod";
import { ACCOUNT_ID, REGION, VPC_ID } from "../aws-ids";
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
