// Test harness: runs the committed CfC model with onnxruntime-web in the page, on a chosen execution
// provider, and hands the raw outputs back to the Playwright test (test/browser/lnn-webgpu.test.ts).
import * as ort from '/ort/ort.webgpu.min.mjs';

ort.env.wasm.wasmPaths = '/ort/';
ort.env.wasm.numThreads = 1;

async function adapterInfo() {
  if (!navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info || {};
  return {
    vendor: info.vendor || '',
    architecture: info.architecture || '',
    description: info.description || '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter),
  };
}

/** Runs the model on one EP. `verbose` turns on ORT's verbose log, which lists node placements. */
async function runModel(modelUrl, ep, x, dt, batch, seqLen, features, verbose) {
  const bytes = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: [ep],
    logSeverityLevel: verbose ? 0 : 2,
    logVerbosityLevel: 0,
  });
  const feeds = {
    features: new ort.Tensor('float32', Float32Array.from(x), [batch, seqLen, features]),
    dt: new ort.Tensor('float32', Float32Array.from(dt), [batch, seqLen]),
  };
  // Verbose logging only while the session is built (that is where placements are logged), not per kernel run.
  const out = await session.run(feeds, { logSeverityLevel: 3 });
  const result = {};
  for (const name of session.outputNames) {
    const t = out[name];
    const data = t.location === 'gpu-buffer' ? await t.getData() : t.data;
    result[name] = Array.from(data);
  }
  await session.release();
  return result;
}

window.aura = { adapterInfo, runModel, ortVersion: ort.env.versions };
document.getElementById('status').textContent = 'ready';
