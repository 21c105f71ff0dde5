// Failure-model speed in Node: onnxruntime-web WASM backend (1 thread) on the committed model, per
// host-window at batch 64 and batch 1, feature extraction of the demo frame, and predictFrame end to end
// on the demo frame with its stages. Medians of repeated runs after a warm-up; rows with 1 run are single measurements.
//   node bin/run-ts.js bench/index.ts lnn
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { demoScenario } from '../src/lib/synth/index.ts';
import {
  createNodePredictor,
  extractFeatures,
  graphOptimizationFor,
  lastObservedBucket,
  predictFrame,
  predictWindows,
  runModel,
  sequenceAt,
  toPrediction,
} from '../src/lib/lnn/index.ts';
import { FEATURE_COUNT, SEQ_LEN } from '../src/lib/lnn/spec.ts';
import { BenchTable, median, timeRuns } from './table.ts';

/** A measured figure: the median of `runs` runs (a single run when runs is 1). */
interface Figure {
  value: number;
  runs: number;
}

/** Median wall ms of `reps` runs after one warm-up. */
async function time(reps: number, fn: () => Promise<unknown> | unknown): Promise<Figure> {
  const t = await timeRuns(fn, reps);
  return { value: median(t.wall), runs: reps };
}

/** CPU milliseconds (all threads of the process) spent in fn, once. */
async function cpuOnce(fn: () => Promise<unknown> | unknown): Promise<Figure> {
  const c = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(c);
  return { value: (d.user + d.system) / 1000, runs: 1 };
}

export async function run(): Promise<void> {
  const table = new BenchTable(
    'Failure model in Node (onnxruntime-web WASM backend, 1 thread): median of the runs after one untimed ' +
      'warm-up; rows with 1 run are single measurements (a cold start cannot be repeated in one process)',
    ['measured', 'runs', 'median', 'unit'],
    'lrrl',
  );
  const rows: [string, Figure, string][] = [];
  let predictor!: Awaited<ReturnType<typeof createNodePredictor>>;
  const created = performance.now();
  const createdCpu = await cpuOnce(async () => (predictor = await createNodePredictor()));
  rows.push([
    'createNodePredictor, first in the process (ORT runtime + session + PH engine)',
    { value: performance.now() - created, runs: 1 },
    'wall ms',
  ]);
  rows.push(['  the same, CPU time of all threads', createdCpu, 'CPU ms']);
  // The committed model, as createNodePredictor() loads it by default.
  const bytes = new Uint8Array(await readFile(fileURLToPath(new URL('../models/aura-cfc.onnx', import.meta.url))));
  for (const level of ['disabled', 'all'] as const) {
    rows.push([
      `ONNX session creation, runtime already loaded, graphOptimizationLevel ${level}` +
        (level === graphOptimizationFor(['wasm']) ? ' (WASM default)' : ''),
      await time(3, () =>
        predictor.ort.InferenceSession.create(bytes, {
          executionProviders: ['wasm'],
          graphOptimizationLevel: level,
        }).then((s) => s.release?.()),
      ),
      'wall ms',
    ]);
  }
  const { frame } = demoScenario();
  // Before any other feature extraction, so the JIT is cold for the feature code as in a CLI run.
  const firstCpu = await cpuOnce(() => predictFrame(predictor, frame));
  rows.push(['predictFrame, demo frame, first call in the process (cold JIT), CPU time', firstCpu, 'CPU ms']);
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
  const b64 = await time(30, () => runModel(predictor, x, dt, batch));
  rows.push(['inference, batch 64 (per batch)', b64, 'wall ms']);
  rows.push(['inference, batch 64 (per host-window)', { value: b64.value / batch, runs: b64.runs }, 'wall ms']);
  const b1 = await time(30, () => runModel(predictor, x.subarray(0, T * F), dt.subarray(0, T), 1));
  rows.push(['inference, batch 1 (per host-window)', b1, 'wall ms']);
  rows.push(['demoScenario() generation, 50 series × 5761 samples', await time(5, () => demoScenario()), 'wall ms']);
  rows.push([
    'features, demo frame (50 series × 5761), no topology',
    await time(5, () => extractFeatures(frame)),
    'wall ms',
  ]);
  rows.push([
    'features, demo frame, with H0/H1 topology',
    await time(3, () => extractFeatures(frame, { ph: predictor.ph })),
    'wall ms',
  ]);
  // predictFrame end to end on the demo (5 hosts × 24 h of 15 s samples, 50 series), then its stages.
  rows.push(['predictFrame, demo frame, end to end', await time(5, () => predictFrame(predictor, frame)), 'wall ms']);
  const ph = predictor.ph;
  const window = { len: SEQ_LEN };
  rows.push([
    '  stage: levels + windowed feature rows, no topology',
    await time(5, () => extractFeatures(frame, { window })),
    'wall ms',
  ]);
  rows.push([
    '  stage: levels + windowed feature rows with topology (as predictFrame)',
    await time(5, () => extractFeatures(frame, { ph, window })),
    'wall ms',
  ]);
  const hosts5 = extractFeatures(frame, { ph, window });
  const windows = hosts5.map((host) => ({ host, bucket: lastObservedBucket(host) }));
  rows.push([
    `  stage: model, ${windows.length} host-windows in one batch (sequences + session.run + decode)`,
    await time(5, () => predictWindows(predictor, windows)),
    'wall ms',
  ]);
  const outputs = await predictWindows(predictor, windows);
  rows.push([
    '  stage: predictions (recommendations, alert rules)',
    await time(5, () => windows.map((w, i) => toPrediction(predictor.card, w.host, w.bucket, outputs[i]))),
    'wall ms',
  ]);
  rows.push([
    "previous path: every bucket's features with topology + model (before windowing)",
    await time(3, async () => {
      const all = extractFeatures(frame, { ph });
      return predictWindows(
        predictor,
        all.map((host) => ({ host, bucket: lastObservedBucket(host) })),
      );
    }),
    'wall ms',
  ]);
  console.log(
    `model ${predictor.card.name}: ${T} steps × ${F} features, ${predictor.card.architecture.hidden} CfC units; onnxruntime-web WASM, 1 thread\n`,
  );
  for (const [name, figure, unit] of rows) table.add(name, figure.runs, figure.value.toFixed(3), unit);
  table.print();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
