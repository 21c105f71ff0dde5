// A worker_threads worker for the Node pool: instantiates its own WebAssembly engine and answers
// RunnerRequests posted by pool.ts. It only adapts handleRequest to messages. It is also an entry of the
// built CLI (dist-node/worker.js).
import { parentPort } from 'node:worker_threads';
import { createNodeTopology } from './topology.ts';
import { handleRequest, transferablesOf, type RunnerRequest } from '../lib/timeline/runner.ts';

const port = parentPort;
if (!port) throw new Error('the timeline worker must run inside a worker thread');
const ready = createNodeTopology();

port.on('message', async (msg: { id: number; request: RunnerRequest }) => {
  try {
    const response = handleRequest(await ready, msg.request);
    port.postMessage({ id: msg.id, response }, transferablesOf(response));
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
