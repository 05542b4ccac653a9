import * as z from "zod";
import { DEFAULT_PACING, type PacerOptions } from "./aws/pacing/request-pacer";
import type { BucketShape } from "./aws/pacing/token-bucket";
import type { WaitBounds } from "./aws/read/waiters";
import type { Quotas } from "./facts";

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const atLeastOne = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const list = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
// "capacity/refill-per-second", e.g. "100/20".
const bucket = (fallback: BucketShape) =>
  z
    .string()
    .regex(/^\d+\/\d+(\.\d+)?$/, 'expected "capacity/refill-per-second", such as "100/20"')
    .transform((text): BucketShape => {
      const [capacity = 0, refillPerSecond = 0] = text.split("/").map(Number);
      return { capacity, refillPerSecond };
    })
    .refine((shape) => shape.capacity >= 1 && shape.refillPerSecond > 0, "both numbers must be above 0")
    .default(fallback);

/** Settings from the environment, validated once; every variable is documented in the README. */
export const ConfigSchema = z.object({
  POLICY_PATH: z.string().min(1).default("policy.yml"),
  ASSUME_ROLE_NAME: z.string().min(1).default("peering-autopilot-execution"),
  ASSUME_ROLE_EXTERNAL_ID: z.string().min(2).optional(),
  ACTIVE_WAIT_SECONDS: seconds(60),
  VISIBLE_WAIT_SECONDS: seconds(30),
  WAIT_MIN_DELAY_SECONDS: seconds(1),
  EVENT_BUS_NAME: z.string().min(1).optional(),
  SWEEP_REGIONS: list,
  AWS_REGION: z.string().min(1).default("us-east-1"),
  SWEEP_CONCURRENCY: z.coerce.number().int().positive().default(16),
  EC2_RATE_SHARE: z.coerce.number().gt(0).lte(1).default(0.5),
  EC2_DESCRIBE_BUCKET: bucket(DEFAULT_PACING.describe),
  EC2_MUTATING_BUCKET: bucket(DEFAULT_PACING.mutating),
  EC2_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(DEFAULT_PACING.maxInFlight),
  // AWS's defaults: 500 routes per route table, 50 active peering connections per VPC, 60 inbound
  // rules per security group (for each of IPv4 and IPv6).
  ROUTE_TABLE_QUOTA: atLeastOne(500),
  ACTIVE_PEERING_QUOTA: atLeastOne(50),
  SECURITY_GROUP_RULE_QUOTA: atLeastOne(60),
});

export interface Config {
  policyPath: string;
  roleName: string;
  externalId?: string;
  waits: { visible: WaitBounds; active: WaitBounds };
  eventBusName?: string;
  /** Regions the reconciler sweeps for rules that name no accepter regions. */
  sweepRegions: string[];
  /** Account-regions the reconciler sweeps at once. */
  sweepConcurrency: number;
  /** The function's own region (STS and the audit bus are called there). */
  region: string;
  /** EC2's request buckets, the share of each this service takes, and its calls in flight. */
  pacing: PacerOptions;
  /** What a request is checked against before it is accepted (the account's quotas, as deployed). */
  quotas: Quotas;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const bounds = (maxWaitSeconds: number): WaitBounds => ({
    maxWaitSeconds,
    minDelaySeconds: c.WAIT_MIN_DELAY_SECONDS,
    maxDelaySeconds: Math.max(c.WAIT_MIN_DELAY_SECONDS, 5),
  });
  return {
    policyPath: c.POLICY_PATH,
    roleName: c.ASSUME_ROLE_NAME,
    ...(c.ASSUME_ROLE_EXTERNAL_ID && { externalId: c.ASSUME_ROLE_EXTERNAL_ID }),
    waits: { visible: bounds(c.VISIBLE_WAIT_SECONDS), active: bounds(c.ACTIVE_WAIT_SECONDS) },
    ...(c.EVENT_BUS_NAME && { eventBusName: c.EVENT_BUS_NAME }),
    sweepRegions: c.SWEEP_REGIONS.length > 0 ? c.SWEEP_REGIONS : [c.AWS_REGION],
    sweepConcurrency: c.SWEEP_CONCURRENCY,
    region: c.AWS_REGION,
    pacing: {
      describe: c.EC2_DESCRIBE_BUCKET,
      mutating: c.EC2_MUTATING_BUCKET,
      share: c.EC2_RATE_SHARE,
      maxInFlight: c.EC2_MAX_IN_FLIGHT,
    },
    quotas: {
      routesPerTable: c.ROUTE_TABLE_QUOTA,
      activePeeringsPerVpc: c.ACTIVE_PEERING_QUOTA,
      rulesPerSecurityGroup: c.SECURITY_GROUP_RULE_QUOTA,
    },
  };
}
