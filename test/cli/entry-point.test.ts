import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT, tempFile } from "./run-cli";

const run = promisify(execFile);

/** The real entry point in a child process: argv, stdout, stderr and the exit code wired as users get them. */
describe("bin/peering.ts", () => {
  it("runs `check policy.yml` with exit code 0, and exits 1 on an invalid policy", async () => {
    const ok = await run("npx", ["tsx", "bin/peering.ts", "check", "policy.yml"], { cwd: ROOT });

    expect(ok.stdout).toContain("policy.yml: valid, 5 rules, mode: enforce, unmatched: reject");
    expect(ok.stdout).toContain("rule 'payments-to-shared'");
    expect(ok.stdout).toContain("rule 'partner-analytics'");
    expect(ok.stderr).toBe("");

    const bad = tempFile("policy.yml", "version: 1\nrules: [{ name: x }]\n");
    const failed = await run("npx", ["tsx", "bin/peering.ts", "check", bad], { cwd: ROOT }).then(
      () => expect.fail("an invalid policy must fail"),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toContain(`${bad}: invalid policy`);
    expect(failed.stderr).toContain("rule 'x', field accepter: ");
  });

  it("exits 2 with the usage text on stderr when no command is given", async () => {
    const failed = await run("npx", ["tsx", "bin/peering.ts"], { cwd: ROOT }).then(
      () => expect.fail("no command is a usage error"),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(/^error: no command given\npeering: understand a peering-autopilot policy/);
    expect(failed.stderr).toContain("Usage: npm run peering -- <command> [options]");
  });
});
