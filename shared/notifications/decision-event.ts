// The namespace import lets esbuild drop the parts of zod the functions never use (its locales, most of all).
import * as z from "zod";
import { ACTIONS, FINDINGS } from "../decision/decision";
import { EventBridgeSchema } from "../events/cloudtrail-api-call";
import {
  AccountIdSchema as accountId,
  ConnectionIdSchema as connectionId,
  RegionSchema as region,
  VpcIdSchema as vpcId,
} from "../events/id-schemas";
import { DETAIL_TYPES, EVENT_SOURCE } from "../events/service-events";
import { MODES } from "../policy/mode";

// Reasons, principals and errors reach people: one longer than any the service writes is cut, not refused.
const TEXT_MAX = 2_000;
const text = z.string().transform((t) => (t.length <= TEXT_MAX ? t : `${t.slice(0, TEXT_MAX - 1)}…`));
// A CIDR, a destination, a status: short by nature.
const short = z.string().max(64);
// As the policy schema names rules: a rule name is safe to print anywhere.
const ruleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be a rule name");

const SideSchema = z.object({ account: accountId, region, vpcId, cidrs: z.array(short).max(100) });

const side = z.enum(["accepter", "requester"]);

const RouteRefSchema = z.object({
  side,
  account: accountId,
  region,
  routeTableId: z.string().regex(/^rtb-[0-9a-z]{1,32}$/, "must be a route table id"),
  destination: short,
  conflictsWith: z.string().max(200).optional(),
  error: text.optional(),
});
const routes = z.array(RouteRefSchema).max(5_000);

const RuleRefSchema = z.object({
  side,
  account: accountId,
  region,
  groupId: z.string().regex(/^sg-[0-9a-z]{1,32}$/, "must be a security group id"),
  ruleId: short.optional(),
  protocol: short,
  ports: short,
  source: short,
  error: text.optional(),
});
const rules = z.array(RuleRefSchema).max(5_000);

/** What a decision in report mode would have changed, had it been enforced (nothing was). */
const WouldChangeSchema = z.object({
  connection: z.enum(["accept", "reject"]).optional(),
  createRoutes: routes,
  removeRoutes: routes,
  enableDns: z.array(z.object({ side, account: accountId, region })).max(2),
  securityGroupRules: z.object({ create: rules, revoke: rules }).optional(),
});

/** The part of a decision record (shared/workflow/decision-record.ts) that a notification tells. */
export const NotifiedDecisionSchema = z.object({
  connectionId,
  action: z.enum(ACTIONS),
  // Records written before report mode existed carry no mode: they were all enforced.
  mode: z.enum(MODES).default("enforce"),
  wouldChange: WouldChangeSchema.optional(),
  rule: ruleName.optional(),
  reasons: z.array(text).max(500),
  findings: z.array(z.enum(FINDINGS)).max(FINDINGS.length),
  status: short,
  accepter: SideSchema,
  requester: SideSchema,
  connection: z.enum(["accepted", "rejected", "unchanged"]),
  approval: z.object({ answer: z.enum(["approve", "deny"]), by: text }).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  routes: z.object({
    // Records written before routes were planned for approval carry no `planned`.
    planned: routes.default([]),
    created: routes,
    present: routes,
    conflicting: routes,
    removed: routes,
    failed: routes,
  }),
  // Present when the policy opens security groups.
  securityGroupRules: z
    .object({ planned: rules, created: rules, present: rules, revoked: rules, failed: rules })
    .optional(),
  unmanaged: z.object({ accepter: text.optional(), requester: text.optional() }),
  error: z.object({ name: text, message: text }).optional(),
  notify: z.literal(true),
});

export type NotifiedDecision = z.infer<typeof NotifiedDecisionSchema>;
export type NotifiedRoute = z.infer<typeof RouteRefSchema>;
export type NotifiedRule = z.infer<typeof RuleRefSchema>;

/**
 * A `Peering Decision` that the service published on its bus with `notify: true`, as EventBridge hands
 * it to a Lambda target (the EventBridge envelope, as Powertools' EventBridgeSchema defines it).
 */
export const DecisionEventSchema = EventBridgeSchema.extend({
  source: z.literal(EVENT_SOURCE),
  "detail-type": z.literal(DETAIL_TYPES.decision),
  account: accountId,
  detail: NotifiedDecisionSchema,
});

export type DecisionEvent = z.infer<typeof DecisionEventSchema>;
