// A worker that fails to load or throws outside a call never answers; this turns that into a rejection
// so the page shows an error instead of waiting forever.
export function workerFailure(worker: Worker, what: string): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`${what} stopped: ${e.message || 'the worker could not start'}. Reload the page to try again.`));
    });
  });
  p.catch(() => {}); // only matters while a call is racing it
  return p;
}
