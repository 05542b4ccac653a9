import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { serverlessInCopy } from "../../../bench/package-service";
import type { Template } from "./cloudformation";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** The parameters the suite packages with: the least a deployment needs (see README, Deploying). */
export const PACKAGE_PARAMS = {
  externalId: "ci-2f1d8c7e4b9a4d06a3c5",
  orgId: "o-a1b2c3d4e5",
} as const;

export interface Packaged {
  /** The folder `serverless package --package` wrote. */
  dir: string;
  template: Template;
}

// What the packaged output depends on: a change to any of these packages afresh.
const INPUTS = ["serverless.yml", "policy.yml", "package-lock.json", "build", "functions", "shared"];

/**
 * Runs `serverless package` offline, without AWS credentials, as a user would, with `--param` for each
 * entry of `params`. Test files that package with the same parameters and sources share one run: its
 * output is kept under node_modules/.cache, keyed by the parameters and the contents of the inputs.
 */
export async function packageService(
  params: Record<string, string> = PACKAGE_PARAMS,
  stage = "ci",
): Promise<Packaged> {
  const key = inputsHash({ params, stage });
  const dir = join(ROOT, "node_modules", ".cache", "peering-autopilot-package", key);
  if (!existsSync(join(dir, "cloudformation-template-update-stack.json"))) {
    const staging = `${dir}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    await runServerless(["package", "--stage", stage, "--package", staging, ...paramArgs(params)]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }
  return {
    dir,
    template: JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8")),
  };
}

/**
 * `serverless <args>` offline, without credentials, in a copy of the service (osls empties `.serverless/`
 * of its working directory, a user's included); rejects with its output when it fails.
 */
export async function runServerless(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const { status, stdout, stderr } = serverlessInCopy(ROOT, args);
  if (status !== 0)
    throw Object.assign(new Error(`serverless ${args[0]} failed (${status})`), { stdout, stderr });
  return { stdout, stderr };
}

export const paramArgs = (params: Record<string, string>) =>
  Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);

function inputsHash(extra: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify(extra));
  for (const path of INPUTS.flatMap((input) => filesUnder(join(ROOT, input))).sort()) {
    hash.update(relative(ROOT, path)).update(readFileSync(path));
  }
  return hash.digest("hex").slice(0, 16);
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}
