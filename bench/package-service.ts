import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";

/**
 * The parameters the benchmarks package with. Packaging is to require a real external id (16 or more
 * characters of STS's set) and who may use the bus; these satisfy that and change nothing measured.
 */
export const BENCH_PARAMS = ["--param=externalId=bench-4d1c9a7f2e6b8350", "--param=orgId=o-a1b2c3d4e5"];

/**
 * Top-level entries of the checkout that are not copied: osls's and serverless-esbuild's work folders
 * (the user's, which must survive), git, coverage, and node_modules (linked instead: it is large).
 */
const NOT_COPIED = new Set([".serverless", ".esbuild", ".git", "coverage", "node_modules"]);

/**
 * Copies the service for packaging: everything but NOT_COPIED, with node_modules linked to the
 * checkout's. Returns the copy's path; the caller removes it.
 */
export function copyService(root: string): string {
  const copy = mkdtempSync(join(tmpdir(), "peering-autopilot-service-"));
  cpSync(root, copy, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(relative(root, source).split(sep)[0] ?? ""),
  });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  return copy;
}

/**
 * `serverless package --package <into>`, offline and without credentials, as a user runs it, but
 * from a copy of the service. osls builds in `.serverless/` of its working directory, removes that
 * folder before it starts (package:cleanup) and again after moving the artifacts to `--package`
 * (node_modules/osls/lib/plugins/aws/common/lib/cleanup-temp-dir.js and artifacts.js), and offers no
 * option to build elsewhere: run in the checkout, it would delete the user's `.serverless/`.
 */
export function packageService(root: string, into: string, params: string[] = BENCH_PARAMS): void {
  const run = serverlessInCopy(root, ["package", "--package", resolve(into), ...params]);
  if (run.status !== 0) {
    throw new Error(`serverless package failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** `serverless <args>` offline and without credentials, in a copy of the service (see packageService). */
export function serverlessInCopy(root: string, args: string[]) {
  const copy = copyService(root);
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" };
    return spawnSync("npx", ["serverless", ...args], {
      cwd: copy,
      env,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
