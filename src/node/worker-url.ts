// The worker_threads entry beside this module. From source (vitest, `node bin/run-ts.js`) a JavaScript stub
// registers tsx first; in the built CLI every chunk lives in dist-node/, beside worker.js.
export const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL('./worker-boot.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);
