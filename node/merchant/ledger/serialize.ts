/**
 * In-process queue per key (a customer's line). The database row lock is what keeps the invariant, across processes
 * too; this queue only makes requests for one hot line wait in memory instead of each holding a pooled connection
 * while blocked on that row lock, so one busy customer cannot starve the pool for everyone else.
 */
export function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async function run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
