// `npm run test:mutation:changed [-- --base <rev>]`: mutation testing of only the mutated files that a
// change touches (those differing from <rev>, default HEAD, committed or not, and new ones), each with the
// run its file belongs to. Incremental: a mutant whose code and covering tests are unchanged since the
// last run on this machine keeps its result (reports/mutation/<run>/incremental.json).
import { execFileSync, spawnSync } from "node:child_process";
import { matchesGlob } from "node:path";
import { parseArgs } from "node:util";
import scope from "./scope.json" with { type: "json" };

const RUNS = [
  { config: "mutation/core.config.mjs", mutate: scope.core },
  { config: "mutation/workflow.config.mjs", mutate: scope.workflow },
];

const { values } = parseArgs({ options: { base: { type: "string", default: "HEAD" } } });
const git = (...args: string[]) =>
  execFileSync("git", args, { encoding: "utf8" }).split("\n").filter(Boolean);
const changed = [
  ...git("diff", "--name-only", values.base ?? "HEAD", "--", "shared"),
  ...git("ls-files", "--others", "--exclude-standard", "--", "shared"),
];

let status = 0;
for (const run of RUNS) {
  const files = changed.filter((file) => run.mutate.some((glob) => matchesGlob(file, glob)));
  if (files.length === 0) continue;
  console.log(`${run.config}: ${files.join(", ")}`);
  const stryker = spawnSync(
    "npx",
    ["stryker", "run", run.config, "--incremental", "--mutate", files.join(",")],
    {
      stdio: "inherit",
    },
  );
  status ||= stryker.status ?? 1;
}
if (changed.length === 0) console.log(`no file under shared/ differs from ${values.base}`);
process.exit(status);
