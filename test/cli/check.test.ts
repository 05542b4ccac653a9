import { afterEach, describe, expect, it } from "vitest";
import { runCli, SHIPPED_POLICY, tempFile } from "./run-cli";

const VALID_RULE = `
  - name: payments-to-shared
    accepter:
      accounts: ["111111111111"]
    requester:
      accounts: ["222222222222"]
      cidrs: ["10.16.0.0/12"]`;

describe("check", () => {
  afterEach(() => {
    delete process.env.POLICY_PATH;
  });

  it("passes the shipped policy and summarises each rule", async () => {
    const result = await runCli("check", SHIPPED_POLICY);

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out[0]).toBe(`${SHIPPED_POLICY}: valid, 5 rules, mode: enforce, unmatched: reject`);
    expect(result.out).toEqual(
      expect.arrayContaining([
        "  rule 'payments-to-shared'",
        "    accepter:  accounts 111111111111; regions us-east-1; vpcs vpc-0f9e8d7c6b5a40001",
        "    requester: accounts 222222222222; regions us-east-1, eu-west-1; cidrs 10.16.0.0/12, fd00:16::/32",
        "    routes:    accepter all; requester all",
        "    mode:      enforce (the policy's): decisions are carried out",
        "    approval:  none: approved requests are accepted at once",
        "  rule 'vendor-onboarding'",
        "    approval:  required: each request waits for a person's peering-approval tag",
        "  rule 'partner-analytics'",
        "    accepter:  accounts 111111111111; regions us-east-1; vpcs any",
        "    requester: accounts 333333333333; regions any; cidrs 172.20.0.0/16",
        "    routes:    accepter tables tagged peering=partners; requester none",
        "  rule 'data-platform-trial'",
        "    mode:      report (the rule's own): decided and reported, nothing carried out",
        "  rule 'orders-to-shared-data'",
        "    requester: accounts 222222222222; regions us-east-1; cidrs 10.40.0.0/16",
        "    reach:     requester tables route accepter subnets tagged Tier=data; accepter tables route requester subnets tagged Tier=app",
        "    groups:    accepter groups tagged Peering=orders; requester none; admit the peer's routed addresses on tcp 5432",
      ]),
    );
    expect(result.out.filter((line) => line === "    groups:    none opened")).toHaveLength(4);
  });

  it("says what explicit blocks, group ids and each kind of traffic open", async () => {
    const narrow = tempFile(
      "narrow.yml",
      `version: 1
rules:
  - name: narrow
    accepter: { accounts: ["111111111111"] }
    requester: { accounts: ["222222222222"], cidrs: ["10.20.0.0/16"] }
    routes:
      reach:
        accepter: { cidrs: ["10.0.16.0/24", "10.0.17.0/24"] }
    securityGroups:
      accepter: { ids: ["sg-0123456789abcdef0"] }
      requester: { tags: { Peering: dns, Env: prod } }
      ingress:
        - { protocol: tcp, ports: [443, "8000-8100"] }
        - { protocol: icmp }`,
    );

    const result = await runCli("check", narrow);

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "    reach:     requester tables route accepter CIDRs 10.0.16.0/24, 10.0.17.0/24; accepter tables route requester every VPC CIDR",
    );
    expect(result.out).toContain(
      "    groups:    accepter groups sg-0123456789abcdef0; requester groups tagged Peering=dns, Env=prod; admit the peer's routed addresses on tcp 443, 8000-8100; icmp",
    );
  });

  it("says what `*` and an empty rule list mean", async () => {
    const anyAccount = tempFile(
      "any.yml",
      `version: 1
unmatched: ignore
rules:
  - name: anyone
    accepter: { accounts: ["111111111111"] }
    requester: { accounts: ["*"], cidrs: ["172.16.0.0/12"] }`,
    );
    const empty = tempFile("empty.yml", "version: 1\nrules: []\n");

    const result = await runCli("check", anyAccount, empty);

    expect(result.code).toBe(0);
    expect(result.out).toContain(`${anyAccount}: valid, 1 rule, mode: enforce, unmatched: ignore`);
    expect(result.out).toContain("    requester: accounts * (any account); regions any; cidrs 172.16.0.0/12");
    expect(result.out).toContain(`${empty}: valid, 0 rules, mode: enforce, unmatched: reject`);
    expect(result.out).toContain("  no rules: every request is handled by unmatched (reject)");
  });

  it("checks $POLICY_PATH when no file is given", async () => {
    const file = tempFile("from-env.yml", `version: 1\nrules:${VALID_RULE}\n`);
    process.env.POLICY_PATH = file;

    const result = await runCli("check");

    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(`${file}: valid, 1 rule, mode: enforce, unmatched: reject`);
  });

  it.each([
    {
      name: "a bad CIDR",
      yaml: `version: 1\nrules:${VALID_RULE.replace("10.16.0.0/12", "10.16.0.0/33")}`,
      problem: "rule 'payments-to-shared', field requester.cidrs[0]: not a CIDR block: '10.16.0.0/33'",
    },
    {
      name: "a CIDR with host bits",
      yaml: `version: 1\nrules:${VALID_RULE.replace("10.16.0.0/12", "10.16.0.1/12")}`,
      problem:
        "rule 'payments-to-shared', field requester.cidrs[0]: host bits set in '10.16.0.1/12' (network is 10.16.0.0/12)",
    },
    {
      name: "a bad account id",
      yaml: `version: 1\nrules:${VALID_RULE.replace('["111111111111"]', '["11111111111"]')}`,
      problem: "rule 'payments-to-shared', field accepter.accounts[0]: must be a 12-digit AWS account id",
    },
    {
      name: "an unknown key in a rule",
      yaml: `version: 1\nrules:${VALID_RULE}\n      colour: blue`,
      problem: "rule 'payments-to-shared', field requester: unknown key(s): colour",
    },
    {
      name: "a bad top-level field",
      yaml: `version: 1\nunmatched: accept\nrules:${VALID_RULE}`,
      problem: "field unmatched: ",
    },
    {
      name: "a duplicate YAML key",
      yaml: `version: 1\nversion: 1\nrules:${VALID_RULE}`,
      problem: "Map keys must be unique",
    },
  ])("fails a policy with $name, naming the rule and field on stderr", async ({ yaml, problem }) => {
    const file = tempFile("policy.yml", yaml);

    const result = await runCli("check", file);

    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toBe(`${file}: invalid policy (1 problem)`);
    expect(result.err).toHaveLength(2);
    expect(result.err[1]).toContain(`  - ${problem}`);
  });

  it("reports every problem of a file, one per line", async () => {
    const file = tempFile(
      "policy.yml",
      `version: 1\nrules:${VALID_RULE.replace("10.16.0.0/12", "10.16.0.0/33").replace('["111111111111"]', '["1"]')}`,
    );

    const result = await runCli("check", file);

    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `${file}: invalid policy (2 problems)`,
      "  - rule 'payments-to-shared', field accepter.accounts[0]: must be a 12-digit AWS account id",
      "  - rule 'payments-to-shared', field requester.cidrs[0]: not a CIDR block: '10.16.0.0/33'",
    ]);
  });

  it("checks every file given and fails if any is invalid or missing", async () => {
    const bad = tempFile("bad.yml", `version: 2\nrules:${VALID_RULE}`);
    const missing = `${bad}.missing`;

    const result = await runCli("check", SHIPPED_POLICY, bad, missing);

    expect(result.code).toBe(1);
    expect(result.out[0]).toBe(`${SHIPPED_POLICY}: valid, 5 rules, mode: enforce, unmatched: reject`);
    expect(result.stdout).not.toContain(bad);
    expect(result.err).toContain(`${bad}: invalid policy (1 problem)`);
    expect(result.err).toContain(`${missing}: invalid policy (1 problem)`);
    expect(result.stderr).toContain("field version: ");
    expect(result.stderr).toContain("cannot read the file");
  });
});
