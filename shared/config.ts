import { z } from "zod";
import type { WaitBounds } from "./aws/waiters";

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const list = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** Settings from the environment, validated once; every variable is documented in the README. */
const ConfigSchema = z.object({
  POLICY_PATH: z.string().min(1).default("policy.yml"),
  ASSUME_ROLE_NAME: z.string().min(1).default("peering-autopilot-execution"),
  ASSUME_ROLE_EXTERNAL_ID: z.string().min(2).optional(),
  ACTIVE_WAIT_SECONDS: seconds(60),
  VISIBLE_WAIT_SECONDS: seconds(30),
  WAIT_MIN_DELAY_SECONDS: seconds(1),
  EVENT_BUS_NAME: z.string().min(1).optional(),
  SWEEP_REGIONS: list,
  AWS_REGION: z.string().min(1).default("us-east-1"),
  SWEEP_CONCURRENCY: z.coerce.number().int().positive().default(4),
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
  };
}
