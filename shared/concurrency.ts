/** One item of `settleWithConcurrency` with how its work settled. */
export type Settled<T, R> = { item: T } & PromiseSettledResult<R>;

/**
 * Maps with at most `limit` calls in flight, keeping the input order, and settles every item: one
 * failure does not stop the others (each account-region of a sweep stands alone).
 */
export async function settleWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<Settled<T, R>[]> {
  const results: Settled<T, R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        results[index] = { item, status: "fulfilled", value: await work(item) };
      } catch (reason) {
        results[index] = { item, status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
