// A worker_threads worker of the CLI. As a timeline pool worker (pool.ts) it instantiates its own
// WebAssembly engine and answers RunnerRequests, only adapting handleRequest to messages; started with
// workerData { role: 'import' } it reads one range of a file instead (import-ranges.ts). It is also an
// entry of the built CLI (dist-node/worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { createNodeTopology } from './topology.ts';
import { computeWindows, handleRequest, transferablesOf, type RunnerRequest } from '../lib/timeline/runner.ts';
import { encodeWindows } from '../lib/timeline/wire.ts';
import type { WindowResult } from '../lib/timeline/window.ts';
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
  // A message holds one request, or several window requests (pool.ts); window results go back as one buffer
  // instead of a structured clone of every result (wire.ts), with how many each request has.
  port.on('message', async (msg: { id: number; requests: RunnerRequest[] }) => {
    try {
      const topology = await ready;
      const [first] = msg.requests;
      if (first.kind !== 'windows') {
        const response = handleRequest(topology, first);
        port.postMessage({ id: msg.id, response }, transferablesOf(response));
        return;
      }
      const results: WindowResult[] = [];
      const counts: number[] = [];
      for (const request of msg.requests as (RunnerRequest & { kind: 'windows' })[]) {
        const own = computeWindows(topology, request);
        counts.push(own.length);
        for (const r of own) results.push(r);
      }
      const wire = encodeWindows(results);
      port.postMessage({ id: msg.id, wire, counts }, [wire.data.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
