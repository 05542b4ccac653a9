/**
 * Size and cold start of each deployed function, measured from the `serverless package` artifacts.
 *
 *   npx tsx bench/cold-start.ts        (npm run bench:cold-start)
 *
 * 1. Packages the service into a temporary folder, offline and without credentials, as a deployment
 *    would (`serverless package`, with BENCH_PARAMS), from a copy of the service so that the user's
 *    own `.serverless/` is left alone (bench/package-service.ts).
 * 2. For each function: the size of its zip, in bytes and KB (1 KB = 1024 bytes). A source map has no
 *    business in a deployed zip; should one be there, its share of the zip is left out of the figure
 *    checked against the target, and reported.
 * 3. Unzips it into a temporary folder (the Lambda task root) and times the import of the bundled
 *    handler in fresh Node processes.
 *
 * How the import is timed. Both kinds of run are timed from outside, by this process, around
 * spawnSync (process.hrtime), so the costs of spawning, of Node's own start-up and of its exit are
 * the same on both sides and cancel out:
 *   - empty:  node -e ""
 *   - import: node -e "<import the handler, check it exports a function>" <file URL>
 * Each function gets one discarded warm-up of each (the file system cache), then N runs of each,
 * interleaved (empty, import, empty, import, …) so that a drift of the machine's speed touches both
 * alike. The figure is median(import) − median(empty). Runs are sequential, one process at a time,
 * so the figures mean something on a 2-core machine; min and max are kept in the JSON to show the
 * spread. The child also times the import itself (process.hrtime around import()), reported in the
 * JSON as a cross-check only: it leaves out the ES module loader's own start.
 * The children run with a fixed, Lambda-like environment (no NODE_OPTIONS, so no tsx loader), in the
 * unzipped folder, with the Node that runs this script (npm scripts run Node 24, as Lambda's nodejs24.x does).
 *
 * Prints a table and writes bench/cold-start.json; exits non-zero if a function misses a target or
 * cannot be imported.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, platform, release, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { packageService } from "./package-service";
import { readZip, unzip } from "./zip";

const TARGET_ZIP_KB = 350;
const TARGET_IMPORT_MS = 150;
const RUNS = 7;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultFile = join(root, "bench", "cold-start.json");

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// What the child runs: import the handler, check that the export exists, report its own timing.
const IMPORT_SCRIPT = [
  "const [url, name] = process.argv.slice(1);",
  "const start = process.hrtime.bigint();",
  "import(url).then((module) => {",
  "  const ms = Number(process.hrtime.bigint() - start) / 1e6;",
  '  if (typeof module[name] !== "function") { console.error("no function export", name); process.exit(2); }',
  "  process.stdout.write(String(ms));",
  "}, (error) => { console.error(error); process.exit(1); });",
].join("\n");

interface Timed {
  wallMs: number;
  stdout: string;
}

function timeNode(args: string[], cwd: string): Timed {
  // A fixed environment, close to Lambda's; nothing inherited that could change Node's start.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
    TZ: "UTC",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    POLICY_PATH: "policy.yml",
    POWERTOOLS_LOG_LEVEL: "INFO",
    // The template gives the notify function its topic; without one it refuses to start.
    NOTIFICATION_TOPIC_ARN: "arn:aws:sns:us-east-1:111111111111:peering-autopilot-bench-notifications",
  };
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd, env, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(" ")} failed (${child.status ?? child.signal}): ${child.stderr}`);
  }
  return { wallMs, stdout: child.stdout };
}

interface FunctionResult {
  function: string;
  zip: string;
  zipBytes: number;
  zipKB: number;
  sourceMapBytes: number;
  checkedKB: number;
  bundle: string;
  bundleBytes: number;
  importMs: number | null;
  emptyStartMs: number[];
  importRunMs: number[];
  inProcessImportMs: number | null;
  spreadMs: { empty: [number, number]; import: [number, number] } | null;
  error?: string;
  zipPass: boolean;
  importPass: boolean;
}

function measure(name: string, handler: string, zipPath: string, work: string): FunctionResult {
  const zip = readFileSync(zipPath);
  const entries = readZip(zip);
  const sourceMapBytes = entries.filter((e) => e.name.endsWith(".map")).reduce((n, e) => n + e.footprint, 0);
  const checkedKB = (zip.length - sourceMapBytes) / 1024;
  const folder = join(work, name);
  mkdirSync(folder, { recursive: true });
  unzip(zip, entries, folder);

  // functions/on-peering-request.handler -> functions/on-peering-request.mjs (whatever the extension)
  const modulePath = handler.slice(0, handler.lastIndexOf("."));
  const exportName = handler.slice(handler.lastIndexOf(".") + 1);
  const bundle = entries.find((e) => /\.(mjs|cjs|js)$/.test(e.name) && e.name.startsWith(`${modulePath}.`));
  const result: FunctionResult = {
    function: name,
    zip: basename(zipPath),
    zipBytes: zip.length,
    zipKB: round(zip.length / 1024),
    sourceMapBytes,
    checkedKB: round(checkedKB),
    bundle: bundle?.name ?? "",
    bundleBytes: bundle?.size ?? 0,
    importMs: null,
    emptyStartMs: [],
    importRunMs: [],
    inProcessImportMs: null,
    spreadMs: null,
    zipPass: checkedKB <= TARGET_ZIP_KB,
    importPass: false,
  };
  if (!bundle) {
    result.error = `no bundle for handler ${handler} in ${basename(zipPath)}`;
    return result;
  }
  const url = pathToFileURL(join(folder, bundle.name)).href;
  const empty = ["-e", ""];
  const load = ["-e", IMPORT_SCRIPT, url, exportName];
  try {
    timeNode(empty, folder);
    timeNode(load, folder);
    const inProcess: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      result.emptyStartMs.push(round(timeNode(empty, folder).wallMs, 2));
      const run = timeNode(load, folder);
      result.importRunMs.push(round(run.wallMs, 2));
      inProcess.push(Number(run.stdout));
    }
    result.importMs = round(median(result.importRunMs) - median(result.emptyStartMs));
    result.inProcessImportMs = round(median(inProcess));
    result.spreadMs = {
      empty: [Math.min(...result.emptyStartMs), Math.max(...result.emptyStartMs)],
      import: [Math.min(...result.importRunMs), Math.max(...result.importRunMs)],
    };
    result.importPass = result.importMs <= TARGET_IMPORT_MS;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  return result;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(rows[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join(
    "\n",
  );
}

function main(): number {
  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.os}`);
  console.log(
    `targets: zip <= ${TARGET_ZIP_KB} KB, import <= ${TARGET_IMPORT_MS} ms (median of ${RUNS} runs)\n`,
  );

  const work = mkdtempSync(join(tmpdir(), "peering-autopilot-cold-start-"));
  try {
    const packaged = join(work, "package");
    const started = Date.now();
    packageService(root, packaged);
    console.log(`serverless package: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const state = JSON.parse(readFileSync(join(packaged, "serverless-state.json"), "utf8")) as {
      service: { functions: Record<string, { handler: string; package?: { artifact?: string } }> };
    };
    const zips = new Set(readdirSync(packaged).filter((f) => f.endsWith(".zip")));
    const results = Object.entries(state.service.functions).map(([name, fn]) => {
      const zip = basename(fn.package?.artifact ?? `${name}.zip`);
      if (!zips.has(zip)) throw new Error(`no artifact ${zip} for ${name} in ${packaged}`);
      return measure(name, fn.handler, join(packaged, zip), join(work, "unzipped"));
    });

    const rows = [["function", "zip bytes", "zip KB", "target", "import ms", "target", "result"]];
    for (const r of results) {
      const pass = r.zipPass && r.importPass && !r.error;
      rows.push([
        r.function,
        String(r.zipBytes),
        r.checkedKB.toFixed(1),
        String(TARGET_ZIP_KB),
        r.importMs === null ? "error" : r.importMs.toFixed(1),
        String(TARGET_IMPORT_MS),
        pass ? "pass" : `FAIL${r.zipPass ? "" : " (size)"}${r.importPass ? "" : " (import)"}`,
      ]);
    }
    console.log(table(rows));
    for (const r of results) {
      if (r.sourceMapBytes > 0) {
        console.log(`${r.function}: the zip holds a source map (${r.sourceMapBytes} bytes, not counted)`);
      }
      if (r.error) console.log(`${r.function}: ${r.error}`);
    }
    const failed = results.filter((r) => !(r.zipPass && r.importPass) || r.error);
    writeFileSync(
      resultFile,
      `${JSON.stringify(
        {
          machine,
          runs: RUNS,
          method: "median(wall time of node -e <import>) - median(wall time of node -e ''), interleaved",
          targets: { zipKB: TARGET_ZIP_KB, importMs: TARGET_IMPORT_MS },
          functions: results,
          pass: failed.length === 0,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\n${failed.length === 0 ? "all targets met" : `${failed.length} function(s) miss a target`}`,
    );
    console.log(`written: ${resultFile}`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main();
