import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("npm run demo replays three requests and a reconciler pass, showing decisions and routes", async () => {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "demo/run.ts"], {
    env: { ...process.env, NO_COLOR: "1" },
  });

  const sections = stdout.split("━━ ").slice(1);
  expect(sections).toHaveLength(4);
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
  const sweep = sections[3] ?? "";
  expect(sweep).toMatch(/Swept 1 account-region\(s\), 4 connection\(s\): .*1 cleanup.*1 accept/);
  expect(sweep).toMatch(/- 10\.24\.0\.0\/16\s+→ pcx-\w+ blackhole/);
  expect(sweep).toMatch(/\+ 10\.28\.0\.0\/16\s+→ pcx-\w+ active/);
  expect(sweep).toMatch(/reporting VPC .*\n(.*\n)*?\s+\+ 10\.0\.0\.0\/16\s+→ pcx-\w+ active/);
});
