import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = (script: string) => promisify(execFile)("npx", ["tsx", script], { maxBuffer: 16 * 1024 * 1024 });

// The packaging plugin rewrites SDK schema modules (build/esbuild-plugins.cjs); these prove, for the SDK
// installed from the lock file, that the rewrite changes no value and that the bundle behaves as before.
it("the schema-key rewrite leaves every export of every SDK schema module equal", async () => {
  const { stdout } = await run("bench/verify-schema-keys.ts");
  expect(stdout).toMatch(/client-ec2\/dist-es\/schemas\/schemas_0\.js: \d+ exports equal/);
  expect(stdout.trim().split("\n").at(-1)).toBe("no difference");
}, 120_000);

it("the packaged handler sends and returns what a plain bundle does", async () => {
  const { stdout } = await run("bench/bundle-equivalence.ts");
  expect(stdout.trim().split("\n").at(-1)).toBe("the packaged bundle behaves as the reference");
}, 180_000);
