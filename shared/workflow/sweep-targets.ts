import type { Policy } from "../policy/schema";

export interface SweepTarget {
  account: string;
  region: string;
}

/** Every accepter account and region the policy names; rules without regions cover `defaultRegions`. */
export function sweepTargets(policy: Policy, defaultRegions: string[]): SweepTarget[] {
  const keys = new Set(
    policy.rules.flatMap((rule) =>
      rule.accepter.accounts.flatMap((account) =>
        (rule.accepter.regions ?? defaultRegions).map((region) => `${account}/${region}`),
      ),
    ),
  );
  return [...keys].map((key) => {
    const [account = "", region = ""] = key.split("/");
    return { account, region };
  });
}
