import type { Filter } from "@aws-sdk/client-ec2";

/** Values a resource has for a filter name; undefined when the model does not know that filter. */
export type FilterValues = (name: string) => string[] | undefined;

/** EC2 semantics: every filter must match; within one filter any value may match, with * and ? wildcards. */
export function matchesFilters(
  operation: string,
  filters: Filter[] | undefined,
  valuesOf: FilterValues,
): boolean {
  return (filters ?? []).every((filter) => {
    const name = filter.Name ?? "";
    const actual = valuesOf(name);
    // Fail loudly rather than ignore a filter: a silently ignored filter would make tests lie.
    if (actual === undefined)
      throw new Error(`the model does not implement filter '${name}' for ${operation}`);
    return (filter.Values ?? []).some((pattern) => actual.some((value) => wildcardMatch(pattern, value)));
  });
}

export function tagFilterValues(name: string, tags: Record<string, string>): string[] | undefined {
  if (name === "tag-key") return Object.keys(tags);
  if (name === "tag-value") return Object.values(tags);
  if (name.startsWith("tag:")) {
    const value = tags[name.slice("tag:".length)];
    return value === undefined ? [] : [value];
  }
  return undefined;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`).test(value);
}
