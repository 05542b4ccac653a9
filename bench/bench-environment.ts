import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The environment a deployment would give the handlers, for a benchmark's own organisation: its policy
 * (written to a temporary file), the regions swept, the bus, and the request buckets.
 */
export function useBenchEnvironment(bench: {
  name: string;
  policyYaml: string;
  regions: string[];
  describeBucket: string;
  mutatingBucket: string;
}): void {
  const policyPath = join(mkdtempSync(join(tmpdir(), `bench-${bench.name}-`)), "policy.yml");
  writeFileSync(policyPath, bench.policyYaml);
  Object.assign(process.env, {
    POLICY_PATH: policyPath,
    SWEEP_REGIONS: bench.regions.join(","),
    EVENT_BUS_NAME: "peering-autopilot-bench",
    // The service paces itself by the same buckets, using all of them unless told otherwise (its default
    // leaves half); the targets are set against whole buckets.
    EC2_RATE_SHARE: process.env.BENCH_RATE_SHARE ?? "1",
    EC2_DESCRIBE_BUCKET: bench.describeBucket,
    EC2_MUTATING_BUCKET: bench.mutatingBucket,
    // The organisation's hub VPCs peer with more spokes than AWS's default quota allows (50 active
    // connections a VPC): as an account that had it raised to the most AWS grants.
    ACTIVE_PEERING_QUOTA: "125",
    // The shared-services hubs' groups hold two rules for each of their connections, over AWS's default
    // of 60 inbound rules per group: as an account that had it raised (sweep-world.ts, rulesPerGroup).
    SECURITY_GROUP_RULE_QUOTA: "250",
  });
}
