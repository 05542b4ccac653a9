import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../bin/main";
import { ACCEPTER } from "../handlers/harness";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SHIPPED_POLICY = join(ROOT, "policy.yml");

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/cli/${name}`, import.meta.url));
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely to make each test's variant
export function readFixture(name: string): any {
  return JSON.parse(readFileSync(fixture(name), "utf8"));
}

/** Writes a file into a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string | object): string {
  const path = join(mkdtempSync(join(tmpdir(), "peering-cli-")), name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

/** Runs the CLI in-process, as `peering <argv>` would, capturing what it prints. */
export async function runCli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** `explain <id> --account <accepter> --region us-east-1` with the shipped policy, live over whatever serves AWS. */
export const explainLive = (connectionId: string, ...more: string[]) =>
  runCli(
    "explain",
    connectionId,
    "--account",
    ACCEPTER,
    "--region",
    "us-east-1",
    "--policy",
    SHIPPED_POLICY,
    ...more,
  );
