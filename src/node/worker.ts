// A worker_threads worker of the CLI. As a timeline pool worker (pool.ts) it instantiates its own
// WebAssembly engine and answers RunnerRequests, only adapting handleRequest to messages; started with
// workerData { role: 'import' } it reads one range of a file instead (import-ranges.ts), with
// { role: 'predict' } it runs the model on one frame (predict-thread.ts). It is also an entry of the built
// CLI (dist-node/worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { createNodeTopology } from './topology.ts';
import { computeWindows, handleRequest, transferablesOf, type RunnerRequest } from '../lib/timeline/runner.ts';
import { encodeWindows } from '../lib/timeline/wire.ts';
import { importRange, partBuffers, type RangeRequest } from './import-ranges.ts';
import type { PredictAnswer, PredictRequest, PredictThreadOptions } from './predict-thread.ts';

const port = parentPort;
if (!port) throw new Error('the timeline worker must run inside a worker thread');

const role = (workerData as { role?: string } | null)?.role;
if (role === 'predict') {
  const options = (workerData as { opts: PredictThreadOptions }).opts;
  // Loaded on the first request, kept for the next.
  const loaded = Promise.all([import('../lib/lnn/index.ts'), import('../lib/analysis/model-predictor.ts')]).then(
    async ([{ createNodePredictor }, { modelPredictor }]) =>
      modelPredictor(await createNodePredictor(options), { ep: 'wasm', reason: 'onnxruntime-web in Node' }),
  );
  loaded.catch(() => {}); // each request reports the failure
  port.on('message', async ({ id, frame, opts }: PredictRequest) => {
    let answer: PredictAnswer;
    try {
      answer = { id, ok: true, run: await (await loaded).predict(frame, opts) };
    } catch (err) {
      answer = { id, ok: false, why: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
} else if (role === 'import') {
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
