import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { wrap } from "../demo/print";
import { tempFile } from "./cli/run-cli";

const runDemo = (env: Record<string, string> = {}) =>
  promisify(execFile)("npx", ["tsx", "demo/run.ts"], { env: { ...process.env, NO_COLOR: "1", ...env } });

/** The demo must fail; what it printed, and its exit code. */
const failingDemo = (env: Record<string, string>) =>
  runDemo(env).then(
    () => expect.fail("the demo must fail on an invalid policy"),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("the demo's line breaking", () => {
  it("breaks a long line at spaces only, indenting what follows under the text past its bullet", () => {
    const reason = `    · rule 'r' approves requester 222222222222 with CIDRs ${"10.24.0.0/16, ".repeat(6)}fd00:16:24::/48`;

    const lines = wrap(reason, 60);

    expect(lines).toEqual([
      "    · rule 'r' approves requester 222222222222 with CIDRs",
      "      10.24.0.0/16, 10.24.0.0/16, 10.24.0.0/16,",
      "      10.24.0.0/16, 10.24.0.0/16, 10.24.0.0/16,",
      "      fd00:16:24::/48",
    ]);
    expect(wrap("  Request pcx-00000000000000001 from payments VPC vpc-0a1b2c3d4e5f60002", 40)).toEqual([
      "  Request pcx-00000000000000001 from",
      "    payments VPC vpc-0a1b2c3d4e5f60002",
    ]);
  });

  it("leaves a short line, and a word longer than the width, whole", () => {
    expect(wrap("      10.0.0.0/16        → local active", 40)).toEqual([
      "      10.0.0.0/16        → local active",
    ]);
    expect(wrap("  fd00:1234:5678:9abc::/64 too long", 10)).toEqual([
      "  fd00:1234:5678:9abc::/64",
      "    too",
      "    long",
    ]);
  });
});

describe("npm run demo", () => {
  it("replays requests, a reconciler pass, the approval flow and a least-access rule, showing decisions, routes and rules", async () => {
    const { stdout } = await runDemo();

    expect(stdout).toContain("Policy: policy.yml, rules 'payments-to-shared', 'partner-analytics'");
    const sections = stdout.split("━━ ").slice(1);
    expect(sections).toHaveLength(12);
    expect(sections[0]).toContain("Decision: ACCEPT by rule 'payments-to-shared'");
    expect(sections[0]).toMatch(/payments VPC .*\n(.*\n)*?\s+\+ 10\.0\.0\.0\/16\s+→ pcx-\w+ active/);
    expect(sections[0]).toMatch(/\+ fd00:16:24::\/48\s+→ pcx-/);
    expect(sections[1]).toContain("Decision: REJECT");
    expect(sections[1]).toContain("requester CIDR 100.64.8.0/22 is not inside 10.16.0.0/12");
    expect(sections[2]).toContain("requester CIDR 10.0.128.0/20 overlaps accepter CIDR 10.0.0.0/16");
    for (const rejected of sections.slice(1, 3)) {
      expect(rejected).toContain("Connection status now: rejected");
      expect(rejected).not.toMatch(/^\s+\+ /m);
    }
    const report = sections[3] ?? "";
    expect(report).toContain("Decision: ACCEPT by rule 'data-platform-trial' (report mode: not carried out)");
    expect(report).toMatch(/Would: accept the connection, create 4 route\(s\)/);
    expect(report).toContain("Connection status now: pending-acceptance");
    expect(report).not.toMatch(/^\s+\+ 10\.\S+\s+→ pcx-/m);

    const plan = sections[4] ?? "";
    expect(plan).toContain("Exit code 2:");
    expect(plan).toMatch(/ACCEPT \(1 connection\)\n\s+pcx-\w+ +ACCEPT +rule payments-to-shared/);
    expect(plan).toMatch(/CLEANUP \(1 connection\)/);
    expect(plan).toMatch(
      /REPORT ONLY: would change if enforced \(1 connection\)\n\s+pcx-\w+ +ACCEPT +rule data-platform-trial/,
    );
    const mermaid = /```mermaid\n([^`]*)```/.exec(plan)?.[1] ?? "";
    expect(mermaid.split("\n")[0]).toBe("flowchart LR");
    expect(mermaid).toMatch(/==>\|"pcx-\w+<br\/>payments-to-shared<br\/>accept"\|/);
    expect(mermaid).toMatch(/-\.->\|"pcx-\w+<br\/>data-platform-trial<br\/>report only: would accept"\|/);

    const sweep = sections[5] ?? "";
    expect(sweep).toMatch(/Swept 1 account-region\(s\), 5 connection\(s\): .*1 cleanup.*2 accept/);
    expect(sweep).toMatch(/2 changed, 1 in report\s+mode \(not carried out\)/);
    expect(sweep).toMatch(/- 10\.24\.0\.0\/16\s+→ pcx-\w+ blackhole/);
    expect(sweep).toMatch(/\+ 10\.28\.0\.0\/16\s+→ pcx-\w+ active/);
    expect(sweep).toMatch(/reporting VPC .*\n(.*\n)*?\s+\+ 10\.0\.0\.0\/16\s+→ pcx-\w+ active/);

    const [parked = "", approved = "", denied = ""] = sections.slice(6);
    expect(parked).toContain("Pending pass: 3 request(s): 1 accept, 2 await-approval");
    expect(parked).toContain("Pending requests: 3, soonest expiry first");
    expect(parked.match(/action {5}AWAIT-APPROVAL/g)).toHaveLength(2);
    expect(parked.match(/action {5}ACCEPT \(report mode: not carried out\)/g)).toHaveLength(1);
    expect(approved).toContain("Decision: ACCEPT by rule 'vendor-onboarding'");
    expect(approved).toContain(
      "· approved by arn:aws:sts::111111111111:assumed-role/network-approvers/alice",
    );
    expect(approved).toContain("Connection status now: active");
    // Only the table tagged for partners is routed, as the rule says.
    expect(approved.match(/^\s+\+ 10\.77\.0\.0\/20\s+→ pcx-\w+ active/gm)).toHaveLength(1);
    expect(denied).toContain("Decision: REJECT by rule 'vendor-onboarding'");
    expect(denied).toContain("· denied by arn:aws:sts::111111111111:assumed-role/network-approvers/alice");
    expect(denied).toContain("Connection status now: rejected");

    const [narrow = "", audit = "", deletion = ""] = sections.slice(9);
    const pcx = /Request (pcx-\w+) from orders VPC/.exec(narrow)?.[1] ?? expect.fail("no orders request");
    expect(narrow).toContain("Decision: ACCEPT by rule 'orders-to-shared-data'");
    expect(narrow).toContain("Security-group rules: 2 created, 0 already present, 0 revoked, 0 failed");
    // Only the tagged subnets are routed, on both sides; the others, and the peer's /16, are not.
    expect(narrow).toMatch(/^ +routed +10\.40\.0\.0\/20 .*Tier=app$/m);
    expect(narrow).toMatch(/^ +routed +10\.40\.16\.0\/20 .*Tier=app$/m);
    expect(narrow).toMatch(/^ +not routed +10\.40\.64\.0\/20 .*Tier=batch$/m);
    expect(narrow).toMatch(
      /^ +routed +10\.0\.1[67]\.0\/24 .*Tier=data\n +routed +10\.0\.1[67]\.0\/24 .*Tier=data$/m,
    );
    expect(narrow).toMatch(/^ +not routed +10\.0\.0\.0\/20 .*Tier=web$/m);
    const added = [...narrow.matchAll(/^\s+\+ (\S+)\s+→ (pcx-\w+) active$/gm)];
    expect(added.map(([, , target]) => target).every((target) => target === pcx)).toBe(true);
    // Each of the three shared-services tables routes the two app subnets; the orders table, the two data ones.
    const app = ["10.40.0.0/20", "10.40.16.0/20"];
    expect(added.map(([, destination]) => destination).sort()).toEqual(
      [...app, ...app, ...app, "10.0.16.0/24", "10.0.17.0/24"].sort(),
    );
    // The tagged group admits the app subnets on 5432, each rule tagged; the rule made by hand stays.
    const connectionRule = (mark: string, cidr: string) =>
      new RegExp(
        `^ {4}\\${mark} tcp 5432 from ${cidr.replaceAll(".", "\\.")} +tag peering-autopilot:connection=${pcx}$`,
        "m",
      );
    expect(narrow).toMatch(connectionRule("+", "10.40.0.0/20"));
    expect(narrow).toMatch(connectionRule("+", "10.40.16.0/20"));
    expect(narrow).toMatch(/^ {6}tcp 5432 from 10\.0\.0\.0\/16 +no connection tag$/m);
    expect(narrow).toMatch(/group shared-web sg-\w+ unchanged/);

    expect(audit).toContain("least access  rule 'orders-to-shared-data'");
    expect(audit.match(/WHOLE VPC +rule '(?!orders)/g)).toHaveLength(6);
    expect(audit).toContain("Exit code 1: 1 while a rule routes a whole peer VPC");
    expect(audit).toMatch(new RegExp(`${pcx}  MAINTAIN  rule orders-to-shared-data`));
    expect(audit).toContain("totals   now 8 (0 whole-VPC)");
    expect(audit).toContain("Exit code 3: 3 while a route has a whole peer VPC as its destination");

    expect(deletion).toContain("Decision: CLEANUP by rule 'orders-to-shared-data'");
    expect(deletion).toContain("8 removed");
    expect(deletion).toContain("Security-group rules: 0 created, 0 already present, 2 revoked, 0 failed");
    expect(deletion).toContain("Connection status now: deleted");
    expect(deletion.match(new RegExp(`^\\s+- \\S+\\s+→ ${pcx} active$`, "gm"))).toHaveLength(8);
    expect(deletion).toMatch(connectionRule("-", "10.40.0.0/20"));
    expect(deletion).toMatch(connectionRule("-", "10.40.16.0/20"));
    expect(deletion).toMatch(/^ {6}tcp 5432 from 10\.0\.0\.0\/16 +no connection tag$/m);
    expect(deletion).not.toMatch(/^\s+\+ /m);

    // Fits a 100-column terminal, so that the terminal never breaks a line inside a CIDR.
    // The Mermaid graph is code to paste, printed whole between its fences.
    const prose = stdout.replace(/```mermaid\n[^`]*```/, "");
    expect(prose.split("\n").filter((line) => [...line].length > 100)).toEqual([]);
  });

  it("prints a missing POLICY_PATH's error, without a stack trace, and exits 1", async () => {
    const failed = await failingDemo({ POLICY_PATH: "nope.yml" });

    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr.trimEnd().split("\n")).toEqual([
      "nope.yml: invalid policy (1 problem)",
      "  - cannot read the file: ENOENT: no such file or directory, open 'nope.yml'",
    ]);
  });

  it("prints every problem of an invalid policy file, without a stack trace, and exits 1", async () => {
    const file = tempFile(
      "policy.yml",
      `version: 1
rules:
  - name: x
    accepter: { accounts: ["111111111111"] }
    requester: { accounts: ["222222222222"], cidrs: ["10.0.0.0/33"] }
`,
    );

    const failed = await failingDemo({ POLICY_PATH: file });

    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr.trimEnd().split("\n")).toEqual([
      `${file}: invalid policy (1 problem)`,
      "  - rule 'x', field requester.cidrs[0]: not a CIDR block: '10.0.0.0/33'",
    ]);
  });
});
