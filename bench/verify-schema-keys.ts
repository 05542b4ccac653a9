/**
 * Checks that build/esbuild-plugins.cjs (inline-sdk-schema-keys) changes no value of the AWS SDK.
 *
 *   npx tsx bench/verify-schema-keys.ts        (npm run bench:verify-schema-keys)
 *
 * For every generated schema module of the installed @aws-sdk packages (dist-es/.../schemas_N.js),
 * it bundles the module twice with esbuild, as it is and through the plugin, imports both bundles
 * and compares every export, deeply: arrays, objects and maps element by element and key by key (in
 * order), lazy references (`() => Shape$`) by calling them, shared objects by identity (a shape
 * that two places name must be one object in both), classes by name. Exits non-zero on the first
 * difference, or if a module the functions bundle was left unchanged.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const plugins = require("../build/esbuild-plugins.cjs") as Plugin[] & {
  inlineSchemaKeys(source: string): { contents?: string; inlined?: number; skipped?: string };
  SCHEMA_MODULE: RegExp;
};

/** The packages whose schemas end up in the functions' bundles. */
const BUNDLED = ["client-ec2", "client-sts", "client-eventbridge", "nested-clients"];

function schemaModules(): string[] {
  const sdk = join(root, "node_modules", "@aws-sdk");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (plugins.SCHEMA_MODULE.test(path)) found.push(path);
    }
  };
  for (const pkg of readdirSync(sdk)) {
    const es = join(sdk, pkg, "dist-es");
    try {
      if (statSync(es).isDirectory()) walk(es);
    } catch {
      // no ES module build
    }
  }
  return found.sort();
}

async function bundle(module: string, withPlugin: boolean, out: string): Promise<Record<string, unknown>> {
  await build({
    stdin: { contents: `export * from ${JSON.stringify(module)};`, resolveDir: root, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    mainFields: ["module", "main"],
    plugins: withPlugin ? plugins : [],
    outfile: out,
    logLevel: "error",
  });
  return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
}

class Difference extends Error {}

function compare(a: unknown, b: unknown, path: string, seen: Map<object, object>): void {
  if (typeof a !== typeof b) throw new Difference(`${path}: ${typeof a} vs ${typeof b}`);
  if (typeof a === "function" && typeof b === "function") {
    // A lazy reference to a shape (an arrow function: no prototype) is compared by what it returns;
    // a class (an error type in a registry) by its name.
    if (a.prototype === undefined && b.prototype === undefined && a.length === 0 && b.length === 0) {
      compare(a(), b(), `${path}()`, seen);
    } else if (a.name !== b.name || a.length !== b.length) {
      throw new Difference(`${path}: function ${a.name} vs ${b.name}`);
    }
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    if (!Object.is(a, b)) throw new Difference(`${path}: ${String(a)} vs ${String(b)}`);
    return;
  }
  const known = seen.get(a);
  if (known !== undefined) {
    if (known !== b) throw new Difference(`${path}: the same object in one, different objects in the other`);
    return;
  }
  seen.set(a, b);
  const kind = (o: object) => Object.getPrototypeOf(o)?.constructor?.name ?? "null";
  if (kind(a) !== kind(b)) throw new Difference(`${path}: ${kind(a)} vs ${kind(b)}`);
  if (a instanceof Map && b instanceof Map) {
    const x = [...a.entries()];
    const y = [...b.entries()];
    if (x.length !== y.length) throw new Difference(`${path}: ${x.length} vs ${y.length} map entries`);
    for (const [i, entry] of x.entries()) compare(entry, y[i], `${path}.entries[${i}]`, seen);
    return;
  }
  const keysA = Reflect.ownKeys(a).map(String);
  const keysB = Reflect.ownKeys(b).map(String);
  if (keysA.join("\u0000") !== keysB.join("\u0000")) {
    throw new Difference(`${path}: keys [${keysA.join(", ")}] vs [${keysB.join(", ")}]`);
  }
  for (const key of keysA) {
    compare(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
      seen,
    );
  }
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), "peering-autopilot-schema-keys-"));
  let failures = 0;
  try {
    const modules = schemaModules();
    for (const [i, module] of modules.entries()) {
      const name = relative(join(root, "node_modules"), module);
      const result = plugins.inlineSchemaKeys(readFileSync(module, "utf8"));
      const bundled = BUNDLED.some((pkg) => name.startsWith(`@aws-sdk/${pkg}/`));
      if (result.skipped) {
        console.log(`${bundled ? "FAIL" : "skip"}  ${name}: left unchanged (${result.skipped})`);
        if (bundled) failures++;
        continue;
      }
      const original = await bundle(module, false, join(work, `${i}-original.mjs`));
      const inlined = await bundle(module, true, join(work, `${i}-inlined.mjs`));
      try {
        const seen = new Map<object, object>();
        compare(Object.keys(original), Object.keys(inlined), "exports", seen);
        for (const key of Object.keys(original)) compare(original[key], inlined[key], key, seen);
        console.log(
          `ok    ${name}: ${Object.keys(original).length} exports equal, ${result.inlined} keys inlined`,
        );
      } catch (error) {
        if (!(error instanceof Difference)) throw error;
        console.log(`FAIL  ${name}: ${error.message}`);
        failures++;
      }
    }
    console.log(failures === 0 ? "\nno difference" : `\n${failures} module(s) differ`);
    return failures === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
