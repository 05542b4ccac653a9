/** Consecutive slices of at most `size` items (API calls that take a bounded list). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** A list known to hold at least one item, as every group of `groupBy` does. */
export type NonEmpty<T> = [T, ...T[]];

/** Items grouped by key, groups and items in their first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, NonEmpty<T>> {
  const groups = new Map<string, NonEmpty<T>>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
