// A worker_threads worker of the CLI. As a timeline pool worker (pool.ts) it instantiates its own
// WebAssembly engine and answers RunnerRequests, only adapting handleRequest to messages; started with
// workerData { role: 'import' } it reads one range of a file instead (import-ranges.ts). It is also an
// entry of the built CLI (dist-node/worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { createNodeTopology } from './topology.ts';
import { computeWindows, handleRequest, transferablesOf, type RunnerRequest } from '../lib/timeline/runner.ts';
import { encodeWindows } from '../lib/timeline/wire.ts';
import { importRange, partBuffers, type RangeRequest } from './import-ranges.ts';

const port = parentPort;
if (!port) throw new Error('the timeline worker must run inside a worker thread');

if ((workerData as { role?: string } | null)?.role === 'import') {
  port.once('message', async (req: RangeRequest) => {
    try {
      const result = await importRange(req);
      port.postMessage(result, result.ok ? partBuffers(result.parts) : []);
    } catch (err) {
      port.postMessage({ ok: false, why: err instanceof Error ? err.message : String(err) });
    }
  });
} else {
  const ready = createNodeTopology();
  port.on('message', async (msg: { id: number; request: RunnerRequest }) => {
    try {
      const topology = await ready;
      if (msg.request.kind === 'windows') {
        // One buffer instead of a structured clone of every result (wire.ts).
        const wire = encodeWindows(computeWindows(topology, msg.request));
        port.postMessage({ id: msg.id, wire }, [wire.data.buffer as ArrayBuffer]);
        return;
      }
      const response = handleRequest(topology, msg.request);
      port.postMessage({ id: msg.id, response }, transferablesOf(response));
    } catch (err) {
      port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
