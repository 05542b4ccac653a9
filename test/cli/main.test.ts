import { describe, expect, it } from "vitest";
import { USAGE } from "../../bin/main";
import { fixture, runCli } from "./run-cli";

describe("usage", () => {
  it.each([
    ["help"],
    ["--help"],
    ["explain", "--help"],
    ["check", "-h"],
    ["pending", "--help"],
    ["approve", "-h"],
    ["deny", "--help"],
  ])("peering %s prints the usage text and succeeds", async (...argv: string[]) => {
    const result = await runCli(...argv);

    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.stdout).toContain("check [policy-file ...]");
    expect(result.stdout).toContain("explain --file <facts.json>");
    expect(result.stdout).toContain(
      "explain <pcx-id> --account <accepter account> --region <accepter region>",
    );
    expect(result.stdout).toContain("It never accepts, rejects, routes or tags anything.");
    expect(result.stdout).toContain(
      "pending [--account <accepter account>] [--region <accepter region>] [--policy <file>] [--json]",
    );
    expect(result.stdout).toContain(
      "approve <pcx-id> --account <accepter account> --region <accepter region> [--reason <text>]",
    );
    expect(result.stdout).toContain(
      "deny <pcx-id> --account <accepter account> --region <accepter region> [--reason <text>]",
    );
    expect(result.stdout).toContain("recorded for people: the\n      service does not act on it.");
  });

  it("with no command, is a usage error: exit 2, the usage text on stderr and nothing on stdout", async () => {
    const result = await runCli();

    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toBe("error: no command given");
    expect(result.err.slice(1).join("\n")).toBe(USAGE);
  });

  it.each([
    { argv: ["frob"], message: "unknown command 'frob'" },
    { argv: ["check", "--json"], message: "Unknown option '--json'" },
    { argv: ["explain"], message: "explain needs --file <facts.json> or a connection id" },
    { argv: ["explain", "--file"], message: "argument missing" },
    {
      argv: ["explain", "pcx-0123456789abcdef0", "--file", "facts.json"],
      message: "give --file or a connection id, not both",
    },
    {
      argv: ["explain", "--file", "facts.json", "--account", "111111111111"],
      message: "--account and --region are for explaining a connection live",
    },
    {
      argv: ["explain", "vpc-0123456789abcdef0", "--account", "111111111111", "--region", "us-east-1"],
      message: "'vpc-0123456789abcdef0' is not a peering connection id",
    },
    {
      argv: ["explain", "pcx-0123456789abcdef0", "--region", "us-east-1"],
      message: "needs the --account and --region of its accepter",
    },
    {
      argv: ["explain", "pcx-0123456789abcdef0", "--account", "1111", "--region", "us-east-1"],
      message: "--account '1111' is not a 12-digit account id",
    },
    {
      argv: ["explain", "pcx-0123456789abcdef0", "pcx-0123456789abcdef1"],
      message: "explain takes one connection id",
    },
  ])("$argv is a usage error: exit 2, saying what is wrong", async ({ argv, message }) => {
    const result = await runCli(...argv);

    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toMatch(/^error: /);
    expect(result.err[0]).toContain(message);
    expect(result.err[1]).toBe("run 'npm run peering -- help' for usage");
  });

  it("reads the policy from $POLICY_PATH for explain when --policy is not given", async () => {
    process.env.POLICY_PATH = `${fixture("facts-approved.json")}.no-such-policy.yml`;
    try {
      const result = await runCli("explain", "--file", fixture("facts-approved.json"));

      expect(result.code).toBe(1);
      expect(result.err[0]).toBe(`${process.env.POLICY_PATH}: invalid policy (1 problem)`);
    } finally {
      delete process.env.POLICY_PATH;
    }
  });
});
