// esbuild plugins for `serverless package` (serverless.yml: custom.esbuild.plugins). serverless-esbuild
// loads this file with require(), hence CommonJS.
//
// inline-sdk-schema-keys: lets esbuild tree-shake the AWS SDK's generated schema modules.
//
// Each SDK client ships one module, dist-es/schemas/schemas_0.js, that describes every shape of the
// service as plain array literals (EC2: 1.3 MB, some 3,000 shapes). They are pure data and their
// references to each other are lazy (`() => Shape$`), so esbuild could drop the shapes no bundled
// command reaches — but the member traits are written with computed keys whose names are module
// constants:
//
//   const _xN = "xmlName";
//   export var AcceleratorCount$ = [3, n0, _AC, 0, [_M, _Ma], [[1, { [_eQN]: `Min`, [_xN]: _m5 }], ...]];
//
// esbuild treats a computed key it cannot see as a primitive (`[_xN]`) as possibly running code
// (a key is converted with ToPropertyKey, which may call toString), so every shape with a trait is
// kept, and with it every shape and string it names: the EC2 schemas alone were 540 KB of the
// 1.5 MB bundle.
//
// The plugin replaces `[_xN]:` with `["xmlName"]:` when, and only when, `_xN` is declared in the
// same module as `const _xN = "<plain string>";`. A const binding cannot be reassigned, and the
// computed form is kept (not `"xmlName":`), so each object gets the same own property with the same
// value as before, even for a key such as "__proto__"; nothing else in the file changes. Shapes and
// strings still reachable from the bundled commands are kept by esbuild's usual reference analysis;
// the registry of modelled errors is built by calls (`registerError`), which esbuild keeps anyway.
//
// The file is left as it is (and a warning is printed) if anything could make the rewrite unsound:
// a nested function or a parameter list that could shadow a constant, or a computed key naming
// something that is not such a constant. `npm run bench:verify-schema-keys` checks, for the installed
// SDK, that every export of every transformed module is deeply equal to the original's, and
// `npm run bench:bundle-equivalence` that the packaged handler sends and returns what a plain bundle
// does, against a fake EC2 and EventBridge endpoint.
"use strict";

const { readFile } = require("node:fs/promises");

// dist-es/.../schemas/schemas_<n>.js of any @aws-sdk package (clients and nested clients).
const SCHEMA_MODULE =
  /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * Inlines the module's string constants into the computed keys that name them.
 * Returns { contents, inlined } or { skipped: reason }.
 */
function inlineSchemaKeys(source) {
  // Only arrow functions without parameters (the lazy shape references) may appear: no other scope
  // can declare a binding that shadows a module constant.
  if (/\bfunction\b\s*[\w$]*\s*\(/.test(source)) return { skipped: "it declares a function" };
  const arrows = source.match(/=>/g)?.length ?? 0;
  const bareArrows = source.match(/\(\)\s*=>/g)?.length ?? 0;
  if (arrows !== bareArrows) return { skipped: "an arrow function takes parameters" };

  const constants = new Map();
  for (const [, name, literal] of source.matchAll(/^const ([A-Za-z_$][\w$]*) = ("[^"\\\r\n]*");$/gm)) {
    if (constants.has(name)) return { skipped: `${name} is declared twice` };
    constants.set(name, literal);
  }
  let inlined = 0;
  const unknown = new Set();
  const contents = source.replace(/\[([A-Za-z_$][\w$]*)\]:/g, (key, name) => {
    const literal = constants.get(name);
    if (literal === undefined) {
      unknown.add(name);
      return key;
    }
    inlined++;
    return `[${literal}]:`;
  });
  if (unknown.size > 0) return { skipped: `computed keys name ${[...unknown].join(", ")}` };
  return { contents, inlined };
}

const inlineSdkSchemaKeys = {
  name: "inline-sdk-schema-keys",
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const result = inlineSchemaKeys(source);
      if (result.skipped) {
        return {
          contents: source,
          loader: "js",
          warnings: [{ text: `inline-sdk-schema-keys: left ${args.path} unchanged: ${result.skipped}` }],
        };
      }
      return { contents: result.contents, loader: "js" };
    });
  },
};

module.exports = [inlineSdkSchemaKeys];
module.exports.inlineSchemaKeys = inlineSchemaKeys;
module.exports.SCHEMA_MODULE = SCHEMA_MODULE;
