// What both mutation runs share (README, Mutation testing). StrykerJS runs against each mutant only the
// tests that cover it, in a copy of the project under .stryker-tmp/.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export const sharedOptions = {
  testRunner: "vitest",
  coverageAnalysis: "perTest",
  // TypeScript 7 is a native compiler without the JavaScript API that Stryker's tsconfig rewriting and its
  // TypeScript checker load. Our tsconfig has no `extends` or `references` to rewrite, so Stryker is
  // pointed at none; vitest strips types without checking them, so a mutant that would not compile runs
  // like any other, and the survivors that are such are listed in the README.
  tsconfigFile: "no-tsconfig-to-rewrite",
  reporters: ["clear-text", "progress", "html", "json"],
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

/** Report and incremental files of one run, under reports/mutation/<name>/. */
export const reportsOf = (name) => ({
  htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
  incrementalFile: `reports/mutation/${name}/incremental.json`,
});
