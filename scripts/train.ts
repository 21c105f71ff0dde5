// `npm run train`: trains the CfC failure predictor on generated scenarios and writes models/<name>.onnx and
// models/<name>.json (the model card). Reproducible from its seeds; checkpoints every 100 steps to
// models/checkpoints/<name>.json (weights, Adam state, step) and resumes from there when run again.
//   node bin/run-ts.js scripts/train.ts [--name aura-cfc] [--steps 3000] [--runs 150] [--benign-runs 60] [--ttf-weight 0.5]
//        [--ttf-batch 32] [--channel-dropout 0.3] [--real 0] [--real-benign-weight 1] [--nab-split all|clean] [--persistence 1] [--seed 1] [--checkpoint-every 100] [--models-dir models] [--fresh] [--no-eval]
//   node bin/run-ts.js scripts/train.ts --name aura-cfc --reexport   (same weights, current exporter)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine } from '../src/node/engine.ts';
import { createRng } from '../src/lib/synth/rng.ts';
import { benignRun, buildRun, failureRun, TTF_HORIZON_MINUTES, type Track } from './train/dataset.ts';
import {
  hasRealData,
  nabTrainingFiles,
  realTracks,
  SMD_TRAINING_ROLES_TEXT,
  SMD_TRAIN_MACHINES,
  trainingBackgrounds,
} from './train/real.ts';
import { forward, fromParams, toParams, type Params } from './train/cfc-tf.ts';
import { initWeights, type Weights } from './train/weights.ts';
import type { Architecture } from '../src/lib/lnn/card.ts';
import { exportOnnx, readOnnxWeights, ONNX_OPSET, INPUTS, OUTPUTS } from './train/onnx-export.ts';
import { sequenceAt, type Normalisation } from '../src/lib/lnn/features.ts';
import {
  BUCKET_MINUTES,
  CHANNELS,
  FEATURE_COUNT,
  FEATURE_NAMES,
  HORIZONS,
  MODEL_SCENARIOS,
  SEQ_LEN,
  TDA_FEATURES,
  TDA_WINDOW,
  TTF_QUANTILES,
} from '../src/lib/lnn/spec.ts';
import type { ModelCard } from '../src/lib/lnn/card.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const name = flag('name', 'aura-cfc');
const totalSteps = Number(flag('steps', '3000'));
const ttfWeight = Number(flag('ttf-weight', '0.5'));
const runs = Number(flag('runs', '150'));
const benignRuns = Number(flag('benign-runs', '60'));
const seed = Number(flag('seed', '1'));
const fresh = args.includes('--fresh');
/** Stop after this many steps as if interrupted (the checkpoint is written; for testing resumption). */
const stopAt = Number(flag('stop-at', 'Infinity'));
const modelsDir = resolve(root, flag('models-dir', 'models'));
const CHECKPOINT_EVERY = Number(flag('checkpoint-every', '100'));
/** Windows drawn uniformly: they train every head, so the risk stays calibrated to the real base rates. */
const BATCH = 64;
/**
 * Extra windows drawn only among those with a known time to failure, which train the time-to-failure
 * head alone: uniform draws hold few of them (a failure's last hours are a small share of all windows).
 */
const TTF_BATCH = Number(flag('ttf-batch', '32'));
const LR_MAX = 3e-3;
const LR_MIN = 2e-4;
const TDA_DROPOUT = 0.15;
/**
 * Share of windows that lose a random part of their host's channels (each kept with a probability drawn
 * from 0.1–0.9, at least one kept), as if the host exported fewer metrics: a file with one CPU column
 * must get a sober answer, not the guess of a model that never saw a host so bare.
 */
const CHANNEL_DROPOUT = Number(flag('channel-dropout', '0.3'));
/**
 * Real benign backgrounds (SMD train halves, NAB tuning files; scripts/train/real.ts): each whole, plus this
 * many 30-hour slices of each with a failure injected. 0 trains on generated fleets alone.
 */
const REAL_INJECTED = Number(flag('real', '0'));
/**
 * Which NAB tuning files train (with --real): `all`, or `clean`, which keeps NAB_VALIDATION_FILES out so the
 * threshold calibration has real CPU and traffic series the model never saw.
 */
const NAB_SPLIT = flag('nab-split', 'all') as 'all' | 'clean';
/** Consecutive 5-minute buckets an alarm must hold (the card's alarm.persistence); the calibration reads it. */
const PERSISTENCE = Number(flag('persistence', '1'));
if (!Number.isInteger(PERSISTENCE) || PERSISTENCE < 1)
  throw new Error(`--persistence takes a whole number of 5-minute buckets ≥ 1, not ${flag('persistence', '1')}`);
if (NAB_SPLIT !== 'all' && NAB_SPLIT !== 'clean') throw new Error(`--nab-split takes all or clean, not ${NAB_SPLIT}`);
/**
 * How many times each window of a whole real benign background enters the uniform draws (with --real): real
 * operation is more varied than the generator's benign hosts, and the model must learn it does not fail.
 */
const REAL_BENIGN_WEIGHT = Number(flag('real-benign-weight', '1'));
if (!Number.isInteger(REAL_BENIGN_WEIGHT) || REAL_BENIGN_WEIGHT < 1)
  throw new Error(
    `--real-benign-weight takes a whole number ≥ 1 (copies of each real benign window), not ${flag('real-benign-weight', '1')}`,
  );

export const ARCH: Architecture = {
  features: FEATURE_COUNT,
  hidden: 32,
  backbone: 48,
  members: 4,
  memberUnits: 16,
  readout: 32,
  classes: MODEL_SCENARIOS.length,
  horizons: HORIZONS.length,
};

/** Training data seeds: run i uses seed `seed * 100000 + i`; evaluation uses seeds from 900000 up. */
export const dataSeeds = (s: number, n: number) => Array.from({ length: n }, (_, i) => s * 100000 + i);

function normalisation(tracks: Track[]): Normalisation {
  const F = FEATURE_COUNT;
  const sum = new Float64Array(F);
  const sq = new Float64Array(F);
  let n = 0;
  for (const t of tracks) {
    for (let k = 0; k < t.hf.times.length; k++) {
      if (!t.hf.observed[k]) continue;
      n++;
      for (let f = 0; f < F; f++) {
        const v = t.hf.features[k * F + f];
        sum[f] += v;
        sq[f] += v * v;
      }
    }
  }
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(sq, (s, f) => {
    const v = s / n - mean[f] * mean[f];
    return v > 1e-10 ? Math.sqrt(v) : 1;
  });
  return { mean, std };
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const unb64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** What a run is made of: a checkpoint resumes only a run with the same options. */
const RUN_OPTIONS = {
  seed,
  runs,
  benignRuns,
  steps: totalSteps,
  ttfBatch: TTF_BATCH,
  ttfWeight,
  channelDropout: CHANNEL_DROPOUT,
  features: FEATURE_NAMES.length,
  ...(REAL_INJECTED > 0 ? { real: REAL_INJECTED } : {}),
  ...(REAL_BENIGN_WEIGHT !== 1 ? { realBenignWeight: REAL_BENIGN_WEIGHT } : {}),
  ...(NAB_SPLIT !== 'all' ? { nabSplit: NAB_SPLIT } : {}),
};

interface Checkpoint {
  options: typeof RUN_OPTIONS;
  step: number;
  weights: Record<string, { shape: number[]; data: string }>;
  adam: { name: string; shape: number[]; data: string }[];
  /** Adam's running β1^t and β2^t. setWeights recomputes them with pow(), which rounds differently from the
   * step-by-step products, so they are restored as saved: a resumed run then matches an unbroken one bit for bit. */
  adamPowers: [number, number];
  curve: { step: number; loss: number; seconds: number }[];
  seconds: number;
}

/** Rewrites models/<name>.onnx from its own weights with the current exporter (the card is unchanged). */
function reexport() {
  const path = join(modelsDir, `${name}.onnx`);
  const card = JSON.parse(readFileSync(join(modelsDir, `${name}.json`), 'utf8')) as ModelCard;
  const weights = readOnnxWeights(new Uint8Array(readFileSync(path)));
  const onnx = exportOnnx(
    weights,
    card.architecture,
    card.seqLen,
    `AURA CfC failure predictor (${name}); see ${name}.json`,
  );
  writeFileSync(path, onnx);
  console.log(`re-exported ${relative(root, path)} (${onnx.length} bytes)`);
}

async function main() {
  if (args.includes('--reexport')) return reexport();
  await tf.setBackend('wasm');
  await tf.ready();
  const t0 = Date.now();
  const ph = await createNodeEngine();
  const seeds = dataSeeds(seed, runs);
  const tracks: Track[] = [];
  for (const s of seeds) tracks.push(...buildRun(failureRun(s), ph));
  // Benign-only runs teach the model what must not alarm (their seeds differ from the evaluation's).
  const benignSeeds = dataSeeds(seed, benignRuns).map((s) => s + 50000);
  for (const s of benignSeeds) tracks.push(...buildRun(benignRun(s), ph));
  if (REAL_INJECTED > 0) {
    if (!hasRealData()) throw new Error('--real needs the reference data in ../shared/data (smd, nab)');
    tracks.push(...realTracks(trainingBackgrounds(NAB_SPLIT), REAL_INJECTED, seed, ph));
  }
  const windows: [number, number][] = [];
  tracks.forEach((t, i) => {
    const copies = t.run < 0 && t.labels.length === 0 ? REAL_BENIGN_WEIGHT : 1;
    for (let k = 3; k < t.hf.times.length; k++)
      if (t.hf.observed[k]) for (let c = 0; c < copies; c++) windows.push([i, k]);
  });
  const norm = normalisation(tracks);
  const pos = HORIZONS.map(
    (_, j) => windows.filter(([i, k]) => tracks[i].y[k * HORIZONS.length + j]).length / windows.length,
  );
  console.log(
    `data: ${runs} failure runs + ${benignRuns} benign runs, ${tracks.length} host tracks, ${windows.length} windows, positives ${pos.map((p) => (100 * p).toFixed(1) + '%').join(' / ')} ` +
      `(${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );

  const ckptDir = join(modelsDir, 'checkpoints');
  const ckptPath = join(ckptDir, `${name}.json`);
  mkdirSync(ckptDir, { recursive: true });
  let weights: Weights = initWeights(ARCH, createRng(seed));
  let start = 0;
  let curve: Checkpoint['curve'] = [];
  let priorSeconds = 0;
  let adamState: Checkpoint['adam'] | null = null;
  let adamPowers: Checkpoint['adamPowers'] | null = null;
  if (!fresh && existsSync(ckptPath)) {
    const c = JSON.parse(readFileSync(ckptPath, 'utf8')) as Checkpoint;
    if (JSON.stringify(c.options) !== JSON.stringify(RUN_OPTIONS)) {
      throw new Error(
        `${ckptPath} is from a run with other options (${JSON.stringify(c.options ?? 'unknown')}, now ` +
          `${JSON.stringify(RUN_OPTIONS)}): run with the same options to resume it, or with --fresh to start over`,
      );
    }
    weights = Object.fromEntries(
      Object.entries(c.weights).map(([k, v]) => [k, { shape: v.shape, data: unb64(v.data) }]),
    );
    start = c.step;
    curve = c.curve;
    priorSeconds = c.seconds;
    adamState = c.adam;
    adamPowers = c.adamPowers;
    console.log(`resuming from ${ckptPath} at step ${start}`);
  }
  const params: Params = toParams(weights);
  const opt = tf.train.adam(LR_MAX);
  // tfjs keeps the rate in a protected field; the cosine schedule sets it before each step.
  const schedule = opt as unknown as { learningRate: number };
  const adamInternals = opt as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
  if (adamState && adamPowers) {
    await opt.setWeights(adamState.map((w) => ({ name: w.name, tensor: tf.tensor(unb64(w.data), w.shape) })));
    adamInternals.accBeta1.assign(tf.scalar(adamPowers[0]));
    adamInternals.accBeta2.assign(tf.scalar(adamPowers[1]));
  }

  const F = FEATURE_COUNT;
  const T = SEQ_LEN;
  const K = ARCH.members;
  const NH = HORIZONS.length;
  const N = BATCH + TTF_BATCH;
  const ttfWindows = windows.filter(([i, k]) => !Number.isNaN(tracks[i].ttf[k]));
  const xb = new Float32Array(N * T * F);
  const db = new Float32Array(N * T);
  const yb = new Float32Array(N * K * NH);
  const wb = new Float32Array(N * K * NH);
  const sb = new Float32Array(N * ARCH.classes);
  const swb = new Float32Array(N);
  const tb = new Float32Array(N);
  const mb = new Float32Array(N);
  const x1 = new Float32Array(T * F);
  const d1 = new Float32Array(T);
  const tdaCols = TDA_FEATURES.map((f) => FEATURE_NAMES.indexOf(f));
  const tdaZero = tdaCols.map((c) => (0 - norm.mean[c]) / norm.std[c]);
  // A channel's columns (its five features and its time-to-limit estimates); absent = raw 0, normalised.
  const channelCols = CHANNELS.map((c) =>
    FEATURE_NAMES.map((n, i) => (n.startsWith(`${c}_`) ? i : -1)).filter((i) => i >= 0),
  );
  const presentCol = CHANNELS.map((c) => FEATURE_NAMES.indexOf(`${c}_present`));
  const absentValue = (col: number) => (0 - norm.mean[col]) / norm.std[col];
  const observedSlot = (s: number) => d1[s] > 0 || s === T - 1;
  let running = NaN;
  const stepStart = Date.now();
  for (let step = start; step < totalSteps; step++) {
    // The batch depends only on (seed, step), so a resumed run sees the same batches.
    const rng = createRng(seed * 1_000_003 + step);
    sb.fill(0);
    for (let b = 0; b < N; b++) {
      const uniform = b < BATCH;
      const pool = uniform ? windows : ttfWindows;
      const [ti, k] = pool[Math.floor(rng.next() * pool.length)];
      const t = tracks[ti];
      sequenceAt(t.hf, k, norm, x1, d1, T);
      let dropTda = rng.next() < TDA_DROPOUT;
      if (rng.next() < CHANNEL_DROPOUT) {
        const present = CHANNELS.map((_, ci) => ci).filter((ci) => t.hf.features[k * F + presentCol[ci]] === 1);
        const keep = rng.uniform(0.1, 0.9);
        const kept = present.filter(() => rng.next() < keep);
        if (kept.length === 0 && present.length > 0) kept.push(present[Math.floor(rng.next() * present.length)]);
        for (const ci of present) {
          if (kept.includes(ci)) continue;
          dropTda = true; // the state cloud was built from the channels now gone
          for (let s = 0; s < T; s++)
            if (observedSlot(s)) for (const c of channelCols[ci]) x1[s * F + c] = absentValue(c);
        }
      }
      if (dropTda) {
        for (let s = 0; s < T; s++) if (observedSlot(s)) tdaCols.forEach((c, j) => (x1[s * F + c] = tdaZero[j]));
      }
      xb.set(x1, b * T * F);
      db.set(d1, b * T);
      for (let m = 0; m < K; m++) {
        const w = -Math.log(1 - rng.next()); // Bayesian bootstrap: each member sees its own resample
        for (let j = 0; j < NH; j++) {
          yb[(b * K + m) * NH + j] = t.y[k * NH + j];
          wb[(b * K + m) * NH + j] = uniform ? w : 0;
        }
      }
      sb[b * ARCH.classes + t.scenario[k]] = 1;
      swb[b] = uniform ? 1 : 0;
      const minutes = t.ttf[k];
      mb[b] = Number.isNaN(minutes) ? 0 : 1;
      tb[b] = Number.isNaN(minutes) ? 0 : Math.log(Math.max(1, minutes));
    }
    const progress = step / totalSteps;
    schedule.learningRate = LR_MIN + 0.5 * (LR_MAX - LR_MIN) * (1 + Math.cos(Math.PI * progress));
    const loss = tf.tidy(() => {
      const x = tf.tensor3d(xb, [N, T, F]);
      const dt = tf.tensor2d(db, [N, T]);
      const y = tf.tensor2d(yb, [N, K * NH]);
      const w = tf.tensor2d(wb, [N, K * NH]);
      const sc = tf.tensor2d(sb, [N, ARCH.classes]);
      const sw = tf.tensor1d(swb);
      const ttf = tf.tensor1d(tb);
      const mask = tf.tensor1d(mb);
      return opt.minimize(() => {
        const o = forward(params, ARCH, x, dt);
        const l = o.riskLogits;
        const bce = tf.add(tf.sub(tf.relu(l), tf.mul(l, y)), tf.log1p(tf.exp(tf.neg(tf.abs(l)))));
        const riskLoss = tf.div(tf.sum(tf.mul(bce, w)), tf.sum(w));
        const ce = tf.losses.softmaxCrossEntropy(sc, o.scenarioLogits, sw);
        const [a, lo, hi] = tf.split(o.ttf, 3, 1).map((q) => tf.reshape(q, [N]));
        const qs = [tf.sub(a, tf.softplus(lo)), a, tf.add(a, tf.softplus(hi))];
        let pin: tf.Tensor = tf.scalar(0);
        TTF_QUANTILES.forEach((tau, i) => {
          const e = tf.sub(ttf, qs[i]);
          pin = tf.add(pin, tf.sum(tf.mul(tf.maximum(tf.mul(e, tau), tf.mul(e, tau - 1)), mask)));
        });
        const ttfLoss = tf.div(pin, tf.maximum(tf.sum(mask), 1));
        return tf.add(riskLoss, tf.add(tf.mul(ce, 0.3), tf.mul(ttfLoss, ttfWeight))) as tf.Scalar;
      }, true)!;
    });
    const value = (await loss.data())[0];
    loss.dispose();
    running = Number.isNaN(running) ? value : 0.95 * running + 0.05 * value;
    const seconds = priorSeconds + (Date.now() - stepStart) / 1000;
    if ((step + 1) % 25 === 0) {
      console.log(
        `step ${step + 1}/${totalSteps} loss ${running.toFixed(4)} lr ${schedule.learningRate.toExponential(2)} ${seconds.toFixed(0)} s`,
      );
    }
    const interrupted = step + 1 >= stopAt && step + 1 < totalSteps;
    if ((step + 1) % CHECKPOINT_EVERY === 0 || step + 1 === totalSteps || interrupted) {
      curve.push({ step: step + 1, loss: Number(running.toFixed(5)), seconds: Math.round(seconds) });
      const w = await fromParams(params);
      const adam = await Promise.all(
        (await opt.getWeights()).map(async (nt) => ({
          name: nt.name,
          shape: nt.tensor.shape,
          data: b64((await nt.tensor.data()) as Float32Array),
        })),
      );
      const ckpt: Checkpoint = {
        options: RUN_OPTIONS,
        step: step + 1,
        weights: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, { shape: v.shape, data: b64(v.data) }])),
        adam,
        adamPowers: [(await adamInternals.accBeta1.data())[0], (await adamInternals.accBeta2.data())[0]],
        curve,
        seconds,
      };
      writeFileSync(ckptPath + '.tmp', JSON.stringify(ckpt));
      renameSync(ckptPath + '.tmp', ckptPath);
    }
    if (interrupted) {
      console.log(`stopped at step ${step + 1} (--stop-at); run again without it to resume`);
      return;
    }
  }

  const final = await fromParams(params);
  const onnx = exportOnnx(final, ARCH, SEQ_LEN, `AURA CfC failure predictor (${name}); see ${name}.json`);
  const card: ModelCard = {
    name,
    description:
      'Closed-form continuous-time (CfC) network predicting host failure risk at three horizons, time to failure and scenario from node_exporter-like metrics.',
    onnx: `${name}.onnx`,
    opset: ONNX_OPSET,
    inputs: { [INPUTS.features]: ['batch', SEQ_LEN, FEATURE_COUNT], [INPUTS.dt]: ['batch', SEQ_LEN] },
    outputs: {
      [OUTPUTS.riskMembers]: ['batch', ARCH.members * HORIZONS.length],
      [OUTPUTS.scenario]: ['batch', MODEL_SCENARIOS.length],
      [OUTPUTS.ttf]: ['batch', 3],
    },
    architecture: ARCH,
    bucketMinutes: BUCKET_MINUTES,
    seqLen: SEQ_LEN,
    tdaWindow: TDA_WINDOW,
    channels: [...CHANNELS],
    featureNames: [...FEATURE_NAMES],
    normalisation: {
      mean: norm.mean.map((v) => Number(v.toPrecision(7))),
      std: norm.std.map((v) => Number(v.toPrecision(7))),
    },
    horizons: HORIZONS.map((h) => ({ ...h })),
    scenarios: [...MODEL_SCENARIOS],
    ttfQuantiles: [...TTF_QUANTILES],
    ttfHorizonMinutes: TTF_HORIZON_MINUTES,
    training: {
      script: 'scripts/train.ts',
      seed,
      dataSeeds: {
        failureRuns: { from: seeds[0], count: seeds.length },
        benignRuns: { from: benignSeeds[0] ?? null, count: benignSeeds.length },
      },
      ...(REAL_INJECTED > 0
        ? {
            realData: {
              smdMachines: SMD_TRAIN_MACHINES,
              smdRoles: SMD_TRAINING_ROLES_TEXT,
              smdRelevelled: 'mem_used_ratio, cpu_utilization, disk_io_util (scripts/train/real.ts, relevel)',
              nabFiles: [...nabTrainingFiles(NAB_SPLIT)],
              injectedSlicesPerBackground: REAL_INJECTED,
              benignWeight: REAL_BENIGN_WEIGHT,
            },
          }
        : {}),
      windows: windows.length,
      positiveRate: Object.fromEntries(HORIZONS.map((h, j) => [h.name, Number(pos[j].toFixed(4))])),
      steps: totalSteps,
      batch: BATCH,
      ttfBatch: TTF_BATCH,
      learningRate: { max: LR_MAX, min: LR_MIN, schedule: 'cosine' },
      tdaDropout: TDA_DROPOUT,
      channelDropout: CHANNEL_DROPOUT,
      lossWeights: { risk: 1, scenario: 0.3, ttf: ttfWeight },
      seconds: Math.round(priorSeconds + (Date.now() - stepStart) / 1000),
      lossCurve: curve,
    },
    evaluation: null,
  };
  writeFileSync(join(modelsDir, `${name}.onnx`), onnx);
  writeFileSync(join(modelsDir, `${name}.json`), JSON.stringify(card, null, 2) + '\n');
  console.log(`wrote ${relative(root, join(modelsDir, `${name}.onnx`))} (${onnx.length} bytes) and its card`);
  // The evaluation reads the model from models/, so it runs only for a model written there.
  if (!args.includes('--no-eval') && modelsDir === join(root, 'models')) {
    const evalLnn = await import('./eval-lnn.ts');
    await evalLnn.run({ name, write: true, calibrate: true, persistence: PERSISTENCE });
    await (await import('./eval-lnn-real.ts')).run({ name, write: true });
  }
}

await main();
