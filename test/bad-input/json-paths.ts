/** Small helpers to read, replace and delete inside a JSON value by path. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = readonly (string | number)[];

/** "detail.requestParameters.items.0" -> ["detail", "requestParameters", "items", 0] */
export function parsePath(text: string): Path {
  return text.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function formatPath(path: Path): string {
  return path.map(String).join(".");
}

function isContainer(value: unknown): value is Record<string | number, unknown> {
  return typeof value === "object" && value !== null;
}

export function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (!isContainer(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Replaces the value at `path` (creating missing objects on the way); the root cannot be replaced. */
export function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root;
  path.forEach((key, i) => {
    if (!isContainer(node)) throw new Error(`cannot set ${formatPath(path)}: not an object`);
    if (i === path.length - 1) {
      node[key] = value;
    } else {
      if (!isContainer(node[key])) node[key] = {};
      node = node[key];
    }
  });
}

/** Deletes the key (or removes the array element) at `path`. */
export function deleteAt(root: unknown, path: Path): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!isContainer(parent) || key === undefined) return;
  if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
  else delete parent[key];
}

/** Every path inside the value (not the root itself), parents before children. */
export function allPaths(root: unknown, prefix: Path = []): Path[] {
  if (!isContainer(root)) return [];
  const keys = Array.isArray(root) ? root.map((_, i) => i) : Object.keys(root);
  return keys.flatMap((key) => {
    const path = [...prefix, key];
    return [path, ...allPaths((root as Record<string | number, unknown>)[key], path)];
  });
}

export function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as JsonType;
}

export const JSON_TYPES = ["null", "boolean", "number", "string", "array", "object"] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** Whether one path is the other or lies on the way to it. */
export function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}
