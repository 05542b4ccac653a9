import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BENCH_PARAMS, copyService, packageService } from "../../bench/package-service";
import { ROOT } from "../cli/run-cli";

const made: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const write = (path: string, content: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
};

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("packaging for the benchmarks", () => {
  it("copies the service without its work folders and links node_modules", () => {
    const root = temp("peering-fake-checkout-");
    write(join(root, "serverless.yml"), "service: x\n");
    write(join(root, "functions", "a.ts"), "export {};\n");
    write(join(root, ".serverless", "keep"), "the user's own package");
    write(join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
    write(join(root, "node_modules", "pkg", "index.js"), "");

    const copy = copyService(root);
    made.push(copy);

    expect(readFileSync(join(copy, "functions", "a.ts"), "utf8")).toBe("export {};\n");
    expect(existsSync(join(copy, "serverless.yml"))).toBe(true);
    expect(existsSync(join(copy, ".serverless"))).toBe(false);
    expect(existsSync(join(copy, ".git"))).toBe(false);
    expect(lstatSync(join(copy, "node_modules")).isSymbolicLink()).toBe(true);
    expect(existsSync(join(copy, "node_modules", "pkg", "index.js"))).toBe(true);

    // Removing the copy unlinks node_modules; it must not empty the checkout's.
    rmSync(copy, { recursive: true, force: true });
    expect(existsSync(join(root, "node_modules", "pkg", "index.js"))).toBe(true);
  });

  it("packages the real service with the bench parameters and leaves the checkout's .serverless/ alone", () => {
    // A checkout of our own, so that no other test's packaging in the repository races this one.
    const checkout = copyService(ROOT);
    made.push(checkout);
    write(join(checkout, ".serverless", "keep"), "the user's own package");
    const into = join(temp("peering-bench-package-"), "package");

    packageService(checkout, into);

    expect(readFileSync(join(checkout, ".serverless", "keep"), "utf8")).toBe("the user's own package");
    const functions = [
      "onPeeringRequest",
      "onPeeringChange",
      "onVpcCidrChange",
      "onApprovalTag",
      "reconcile",
      "notify",
    ];
    for (const fn of functions) {
      expect(existsSync(join(into, `${fn}.zip`))).toBe(true);
    }
    const text = readFileSync(join(into, "cloudformation-template-update-stack.json"), "utf8");
    const template = JSON.parse(text) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const lambdas = Object.values(template.Resources).filter((r) => r.Type === "AWS::Lambda::Function");
    // The parameters reached the template: STS's external-id set, at least 16 characters; the org.
    const externalId = "bench-4d1c9a7f2e6b8350";
    expect(BENCH_PARAMS).toContain(`--param=externalId=${externalId}`);
    expect(externalId).toMatch(/^[\w+=,.@:/-]{16,}$/);
    expect(lambdas).toHaveLength(functions.length);
    for (const fn of lambdas) {
      expect(fn.Properties.Environment).toMatchObject({ Variables: { ASSUME_ROLE_EXTERNAL_ID: externalId } });
    }
    expect(BENCH_PARAMS).toContain("--param=orgId=o-a1b2c3d4e5");
    expect("o-a1b2c3d4e5").toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(text).toContain('"o-a1b2c3d4e5"');
  }, 120_000);
});
