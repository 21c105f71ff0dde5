// Bounded concurrency: tasks 0…count-1, at most `limit` running at once, started in order. Used where a few
// requests or timelines in flight keep a worker pool or a server busy without flooding it.

/** Runs `task(i)` for every i; rejects with the first failure (tasks already running are not awaited). */
export async function forEachLimited(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}
