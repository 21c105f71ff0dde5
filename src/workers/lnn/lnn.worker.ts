// Adapts the failure predictor to messages: predictions per host, and one host's risk trace ("what if").
// onnxruntime-web is imported here, lazily, in the flavour the execution-provider rule picks:
// 'onnxruntime-web/webgpu' on a real GPU, 'onnxruntime-web/wasm' elsewhere.
import { expose } from 'comlink';
import { chooseExecutionProvider, probeGpu, type EpPreference, type ExecutionProvider } from '../../lib/lnn/ep.ts';
import { createPredictor, predictFrame, type OrtModule, type Predictor } from '../../lib/lnn/predict.ts';
import type { ModelCard } from '../../lib/lnn/card.ts';
import { riskTrace } from '../../lib/lnn/trace.ts';
import { PHEngine } from '../../lib/tda/engine.ts';
import { loadAuraBrowser } from '../../browser/wasm.ts';
import type { LnnApi } from './api.ts';

// Whatever model scripts/train.ts committed to models/: its card (bundled into this worker only) and the
// URL of its ONNX bytes (a hashed asset, fetched on first prediction).
const cards = import.meta.glob<ModelCard>('../../../models/*.json', { eager: true, import: 'default' });
const onnxUrls = import.meta.glob<string>('../../../models/*.onnx', { eager: true, query: '?url', import: 'default' });

function bundledModel(): { card: ModelCard; url: string } {
  for (const [path, card] of Object.entries(cards)) {
    const url = onnxUrls[path.replace(/\.json$/, '.onnx')] ?? onnxUrls[path.replace(/[^/]+\.json$/, card.onnx ?? '')];
    if (url) return { card, url };
  }
  throw new Error(
    'this build has no prediction model (models/*.onnx with its .json card); run `npm run train` and rebuild',
  );
}

async function loadOrt(ep: ExecutionProvider): Promise<OrtModule> {
  const ort = ep === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  // One thread: the model is small, and the page's own workers already use the other cores.
  ort.env.wasm.numThreads = 1;
  return ort as unknown as OrtModule;
}

const predictors = new Map<ExecutionProvider, Promise<Predictor>>();

function predictorFor(ep: ExecutionProvider): Promise<Predictor> {
  let p = predictors.get(ep);
  if (!p) {
    p = (async () => {
      const { card, url } = bundledModel();
      const [ort, bytes, wasm] = await Promise.all([
        loadOrt(ep),
        fetch(url).then((r) => {
          if (!r.ok) throw new Error(`the prediction model could not be loaded (HTTP ${r.status}); reload the page`);
          return r.arrayBuffer();
        }),
        loadAuraBrowser(),
      ]);
      return createPredictor(ort, new Uint8Array(bytes), card, { executionProviders: [ep], ph: new PHEngine(wasm) });
    })();
    p.catch(() => predictors.delete(ep));
    predictors.set(ep, p);
  }
  return p;
}

/**
 * Runs `fn` on the predictor for the provider the rule picks. A GPU that passes the probe can still fail,
 * creating the session or running a kernel the adapter's limits do not allow; WASM always works, and the
 * reason says what happened.
 */
async function onPreferred<T>(
  preference: EpPreference,
  fn: (predictor: Predictor) => Promise<T>,
): Promise<{ value: T; ep: ExecutionProvider; reason: string; predictor: Predictor; millis: number }> {
  const decision = chooseExecutionProvider(await probeGpu(self.navigator), preference);
  const started = performance.now();
  const ep = decision.ep;
  try {
    const predictor = await predictorFor(ep);
    const value = await fn(predictor);
    return { value, ep, reason: decision.reason, predictor, millis: performance.now() - started };
  } catch (e) {
    if (ep !== 'webgpu') throw e;
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160);
    const predictor = await predictorFor('wasm');
    const value = await fn(predictor);
    const reason = `WebGPU failed (${first}); using WASM`;
    return { value, ep: 'wasm', reason, predictor, millis: performance.now() - started };
  }
}

const api: LnnApi = {
  async predict(frame, preference, roles) {
    const run = await onPreferred(preference, (p) => predictFrame(p, frame, { roles }));
    return {
      predictions: run.value,
      ep: run.ep,
      reason: run.reason,
      model: run.predictor.card.name,
      millis: run.millis,
    };
  },
  async trace(frame, entity, from, to, preference, roles) {
    return (await onPreferred(preference, (p) => riskTrace(p, frame, entity, from, to, undefined, roles))).value;
  },
};

expose(api);
