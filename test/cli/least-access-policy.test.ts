import { describe, expect, it } from "vitest";
import { formatPolicyAccess, policyAccess, policyIsLeastAccess } from "../../bin/least-access-policy";
import { named, policy } from "../helpers/facts";

const RULE = {
  name: "apps",
  accepter: { accounts: ["111111111111"] },
  requester: { accounts: ["222222222222"], cidrs: ["10.16.0.0/12"] },
};
const withRoutes = (routes: Record<string, unknown>) => policy([{ ...RULE, routes }]);

const SUBNETS = { subnets: { tags: { Tier: "shared" } } };
const CIDRS = { cidrs: ["10.0.1.0/24", "10.0.2.0/24"] };

describe("policyAccess", () => {
  it.each(
    named([
      {
        name: "the defaults: every table of both sides routes the peer's whole VPC",
        routes: {},
        wholeVpc: { accepter: true, requester: true },
      },
      {
        name: "a side with no tables routes nothing, whatever the peer's reach",
        routes: { requester: "none" },
        wholeVpc: { accepter: true, requester: false },
      },
      {
        name: "no tables on either side: least access",
        routes: { accepter: "none", requester: "none" },
        wholeVpc: { accepter: false, requester: false },
      },
      {
        name: "the accepter's tables route only requester subnets (reach.requester)",
        routes: { reach: { requester: SUBNETS } },
        wholeVpc: { accepter: false, requester: true },
      },
      {
        name: "the requester's tables route only explicit accepter CIDRs (reach.accepter)",
        routes: { reach: { accepter: CIDRS } },
        wholeVpc: { accepter: true, requester: false },
      },
      {
        name: "both reaches narrowed: least access",
        routes: {
          accepter: "main",
          requester: { tags: { peering: "apps" } },
          reach: { accepter: CIDRS, requester: SUBNETS },
        },
        wholeVpc: { accepter: false, requester: false },
      },
      {
        name: "reach.requester narrows only the accepter's tables, not the requester's own",
        routes: { accepter: "none", reach: { requester: SUBNETS } },
        wholeVpc: { accepter: false, requester: true },
      },
    ]),
  )("%s", (_, { routes, wholeVpc }) => {
    const [access] = policyAccess(withRoutes(routes));

    expect(access?.sides.map((s) => [s.side, s.wholeVpc])).toEqual([
      ["accepter", wholeVpc.accepter],
      ["requester", wholeVpc.requester],
    ]);
    expect(access?.leastAccess).toBe(!wholeVpc.accepter && !wholeVpc.requester);
  });

  it("pairs each side's tables with the peer's reach", () => {
    const [access] = policyAccess(withRoutes({ accepter: "main", reach: { requester: SUBNETS } }));

    expect(access?.sides).toEqual([
      { side: "accepter", tables: "main", reach: SUBNETS, wholeVpc: false },
      { side: "requester", tables: "all", reach: "vpc", wholeVpc: true },
    ]);
  });

  it("holds the policy least access only when every rule is", () => {
    const narrow = { ...RULE, name: "narrow", routes: { reach: { accepter: CIDRS, requester: SUBNETS } } };
    const wide = { ...RULE, name: "wide" };

    expect(policyIsLeastAccess(policyAccess(policy([narrow])))).toBe(true);
    expect(policyIsLeastAccess(policyAccess(policy([narrow, wide])))).toBe(false);
    expect(policyIsLeastAccess(policyAccess(policy([])))).toBe(true);
  });
});

describe("formatPolicyAccess", () => {
  it("prints a finding per side routing a whole VPC and a line per least-access rule", () => {
    const rules = policy([
      { ...RULE, name: "wide", routes: { requester: { tags: { peering: "apps" } } } },
      { ...RULE, name: "half", routes: { accepter: "main", reach: { accepter: CIDRS } } },
      { ...RULE, name: "narrow", routes: { requester: "none", reach: { requester: SUBNETS } } },
    ]);

    expect(formatPolicyAccess("policy.yml", policyAccess(rules))).toEqual([
      "policy.yml: valid, 3 rules; least access:",
      "  WHOLE VPC     rule 'wide': accepter route tables (all) route every requester VPC CIDR (reach.requester: vpc)",
      "  WHOLE VPC     rule 'wide': requester route tables (tagged peering=apps) route every accepter VPC CIDR (reach.accepter: vpc)",
      "  WHOLE VPC     rule 'half': accepter route tables (main) route every requester VPC CIDR (reach.requester: vpc)",
      "  least access  rule 'narrow': accepter route tables (all) route only requester subnets tagged Tier=shared; requester route tables: none",
      "  not least access: rules routing a whole peer VPC: 2 of 3",
    ]);
  });

  it("says so when every rule is least access, and when there is no rule", () => {
    const narrow = policy([{ ...RULE, routes: { reach: { accepter: CIDRS, requester: SUBNETS } } }]);

    expect(formatPolicyAccess("p.yml", policyAccess(narrow))).toEqual([
      "p.yml: valid, 1 rule; least access:",
      "  least access  rule 'apps': accepter route tables (all) route only requester subnets tagged Tier=shared; requester route tables (all) route only accepter CIDRs 10.0.1.0/24, 10.0.2.0/24",
      "  every rule routes only peer subnets, explicit CIDRs or no tables",
    ]);
    expect(formatPolicyAccess("empty.yml", policyAccess(policy([])))).toEqual([
      "empty.yml: valid, 0 rules; least access:",
      "  no rules: nothing is routed",
      "  every rule routes only peer subnets, explicit CIDRs or no tables",
    ]);
  });
});
