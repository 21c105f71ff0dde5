// Failure-model speed in Node: onnxruntime-web WASM backend (1 thread) on the committed model, per
// host-window at batch 64 and batch 1, plus feature extraction of the demo frame. Medians of repeated runs.
//   node bin/run-ts.js bench/index.ts lnn
import { demoScenario } from '../src/lib/synth/index.ts';
import { createNodePredictor, extractFeatures, runModel, sequenceAt } from '../src/lib/lnn/index.ts';
import { FEATURE_COUNT } from '../src/lib/lnn/spec.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function time(reps: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

export async function run(): Promise<void> {
  const predictor = await createNodePredictor();
  const { frame } = demoScenario();
  const T = predictor.card.seqLen;
  const F = FEATURE_COUNT;
  const hosts = extractFeatures(frame, { ph: predictor.ph });
  // 64 host-windows from the demo: every host, at successive buckets near the end.
  const batch = 64;
  const x = new Float32Array(batch * T * F);
  const dt = new Float32Array(batch * T);
  const x1 = new Float32Array(T * F);
  const d1 = new Float32Array(T);
  for (let b = 0; b < batch; b++) {
    const h = hosts[b % hosts.length];
    sequenceAt(h, h.times.length - 1 - Math.floor(b / hosts.length), predictor.card.normalisation, x1, d1, T);
    x.set(x1, b * T * F);
    dt.set(d1, b * T);
  }
  const rows: [string, number, string][] = [];
  const b64 = await time(30, () => runModel(predictor, x, dt, batch));
  rows.push(['inference, batch 64 (per batch)', b64, 'ms']);
  rows.push(['inference, batch 64 (per host-window)', b64 / batch, 'ms']);
  const b1 = await time(30, () => runModel(predictor, x.subarray(0, T * F), dt.subarray(0, T), 1));
  rows.push(['inference, batch 1 (per host-window)', b1, 'ms']);
  rows.push(['demoScenario() generation, 50 series × 5761 samples', await time(5, () => demoScenario()), 'ms']);
  rows.push([
    'features, demo frame (50 series × 5761), no topology',
    await time(5, () => extractFeatures(frame)),
    'ms',
  ]);
  rows.push([
    'features, demo frame, with H0/H1 topology',
    await time(3, () => extractFeatures(frame, { ph: predictor.ph })),
    'ms',
  ]);
  console.log(
    `model ${predictor.card.name}: ${T} steps × ${F} features, ${predictor.card.architecture.hidden} CfC units; onnxruntime-web WASM, 1 thread\n`,
  );
  console.log('| measurement | median | unit |\n|---|---:|---|');
  for (const [name, v, unit] of rows) console.log(`| ${name} | ${v.toFixed(3)} | ${unit} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
