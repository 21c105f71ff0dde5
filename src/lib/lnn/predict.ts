// Inference with onnxruntime-web, independent of the host: the caller injects the `ort` module (the full
// package in Node, `onnxruntime-web/wasm` or `/webgpu` in a browser worker) and the model bytes and card.
import type { MetricFrame } from '../frame/types.ts';
import type { Prediction, Scenario } from '../report/types.ts';
import type { PHEngine } from '../tda/engine.ts';
import { alarmPersistence, alarmThreshold, checkCard, type ModelCard } from './card.ts';
import type { ColumnRoles } from './column-roles.ts';
import { extractFeatures, lastObservedBucket, sequenceAt, type HostFeatures } from './features.ts';
import { CHANNELS, FEATURE_COUNT, FEATURE_NAMES, SEQ_LEN, type Channel } from './spec.ts';
import { recommend, channelSummary } from './recommend.ts';
import { alertRule } from './alert-rule.ts';

/** The slice of the onnxruntime-web API we use, so any of its entry points can be passed in. */
export interface OrtTensor {
  data: unknown;
  dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

export interface PredictorOptions {
  /** onnxruntime-web execution providers in order of preference, e.g. ['webgpu'] or ['wasm']. Default ['wasm']. */
  executionProviders?: string[];
  /** Extra session options (logging, profiling). */
  sessionOptions?: Record<string, unknown>;
  /** Engine for the topological features (see features.ts); without one the model runs without them. */
  ph?: PHEngine | null;
}

export interface Predictor {
  ort: OrtModule;
  session: OrtSession;
  card: ModelCard;
  executionProviders: string[];
  ph: PHEngine | null;
}

/**
 * The graph is built by hand from plain MatMul/Add/Tanh steps, so on the CPU (WASM) provider onnxruntime's
 * optimiser finds nothing that changes the result or the run time, but it costs about 0.3–0.5 s of CPU per
 * session (bench/lnn.bench.ts; outputs are bit-identical, test/unit/lnn-predict.test.ts). WebGPU keeps the
 * full optimisation, where fusing nodes saves kernel launches.
 */
export function graphOptimizationFor(executionProviders: string[]): 'disabled' | 'all' {
  return executionProviders.every((ep) => ep === 'wasm' || ep === 'cpu') ? 'disabled' : 'all';
}

export async function createPredictor(
  ort: OrtModule,
  modelBytes: Uint8Array,
  card: ModelCard,
  opts: PredictorOptions = {},
): Promise<Predictor> {
  checkCard(card);
  const executionProviders = opts.executionProviders ?? ['wasm'];
  const session = await ort.InferenceSession.create(modelBytes, {
    executionProviders,
    graphOptimizationLevel: graphOptimizationFor(executionProviders),
    ...opts.sessionOptions,
  });
  return { ort, session, card, executionProviders, ph: opts.ph ?? null };
}

/** What the model says about one host-window, decoded. */
export interface ModelOutput {
  /** Ensemble mean per horizon, made non-decreasing with the horizon. */
  risk: number[];
  /** Per member, per horizon. */
  members: number[][];
  scenarioProbs: number[];
  /** Time-to-failure quantiles (minutes) for the card's ttfQuantiles. */
  ttf: [number, number, number];
  confidence: number;
}

const softplus = (v: number) => (v > 20 ? v : Math.log1p(Math.exp(v)));

/**
 * Confidence in the 1-hour decision (alarm when the mean risk reaches `threshold`): how sure the mean is of
 * its side of the threshold, reduced by the ensemble members' disagreement. Its calibration is measured in
 * eval-lnn.ts.
 */
export function confidenceOf(members: number[][], horizon: number, threshold = 0.5): number {
  const ps = members.map((m) => m[horizon]);
  const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
  const sd = Math.sqrt(ps.reduce((a, p) => a + (p - mean) ** 2, 0) / ps.length);
  // The probability of the side the mean is on: `mean` above the threshold, `1 - mean` below it.
  const side = mean >= threshold ? mean : 1 - mean;
  return Math.min(1, Math.max(0.5, side - sd));
}

/** Runs raw model inputs (x: batch × SEQ_LEN × F, dt: batch × SEQ_LEN) and decodes each row. */
export async function runModel(p: Predictor, x: Float32Array, dt: Float32Array, batch: number): Promise<ModelOutput[]> {
  const { card, ort } = p;
  const out = await p.session.run({
    features: new ort.Tensor('float32', x, [batch, card.seqLen, FEATURE_COUNT]),
    dt: new ort.Tensor('float32', dt, [batch, card.seqLen]),
  });
  const K = card.architecture.members;
  const NH = card.horizons.length;
  const C = card.scenarios.length;
  const rm = out.risk_members.data as Float32Array;
  const sc = out.scenario.data as Float32Array;
  const tt = out.ttf.data as Float32Array;
  const results: ModelOutput[] = [];
  const widen = card.ttfIntervalScale ?? 1;
  const oneHour = Math.max(
    0,
    card.horizons.findIndex((h) => h.name === '1h'),
  );
  for (let b = 0; b < batch; b++) {
    const members = Array.from({ length: K }, (_, k) =>
      Array.from(rm.subarray((b * K + k) * NH, (b * K + k + 1) * NH)),
    );
    const risk = Array.from({ length: NH }, (_, j) => members.reduce((a, m) => a + m[j], 0) / K);
    for (let j = 1; j < NH; j++) risk[j] = Math.max(risk[j], risk[j - 1]); // failing within 15 min implies within 1 h
    const [a, lo, hi] = [tt[b * 3], tt[b * 3 + 1], tt[b * 3 + 2]];
    results.push({
      risk,
      members,
      scenarioProbs: Array.from(sc.subarray(b * C, (b + 1) * C)),
      ttf: [Math.exp(a - widen * softplus(lo)), Math.exp(a), Math.exp(a + widen * softplus(hi))],
      confidence: confidenceOf(members, oneHour, alarmThreshold(card, card.horizons[oneHour].name)),
    });
  }
  return results;
}

/** Model outputs for chosen buckets of chosen hosts, batched (64 host-windows per run). */
export async function predictWindows(
  p: Predictor,
  windows: { host: HostFeatures; bucket: number }[],
  batchSize = 64,
): Promise<ModelOutput[]> {
  const T = p.card.seqLen;
  const F = FEATURE_COUNT;
  const out: ModelOutput[] = [];
  const x1 = new Float32Array(T * F);
  const d1 = new Float32Array(T);
  for (let s = 0; s < windows.length; s += batchSize) {
    const part = windows.slice(s, s + batchSize);
    const x = new Float32Array(part.length * T * F);
    const dt = new Float32Array(part.length * T);
    part.forEach((w, b) => {
      sequenceAt(w.host, w.bucket, p.card.normalisation, x1, d1, T);
      x.set(x1, b * T * F);
      dt.set(d1, b * T);
    });
    out.push(...(await runModel(p, x, dt, part.length)));
  }
  return out;
}

export interface PredictOptions {
  /** Predict as of this time (epoch ms); default the frame's last sample. */
  at?: number;
  /** Override the predictor's PH engine for this call (null: no topological features). */
  ph?: PHEngine | null;
  /** Which channel each column feeds, where the names do not say (column-roles.ts). */
  roles?: ColumnRoles;
}

/** One Prediction per entity (the `instance` label, else host/node/job) with the model's view at the end. */
export async function predictFrame(p: Predictor, frame: MetricFrame, opts: PredictOptions = {}): Promise<Prediction[]> {
  if (SEQ_LEN !== p.card.seqLen) throw new Error('model card and build disagree on the sequence length');
  // Only the rows the model reads are computed (see extractFeatures); all hosts go in one batch. The alarm
  // must hold over the card's persistence (alarmPersistence), so the buckets before the last are run too.
  const k = alarmPersistence(p.card);
  const hosts = extractFeatures(frame, {
    ph: opts.ph === undefined ? p.ph : opts.ph,
    window: { at: opts.at, len: SEQ_LEN + k - 1 },
    roles: opts.roles,
  });
  const windows = hosts
    .map((host) => ({ host, bucket: lastObservedBucket(host, opts.at) }))
    .filter((w) => w.bucket >= 0);
  const back = windows.map(({ host, bucket }) => {
    const rows: number[] = [];
    for (let j = bucket - 1; j >= 0 && rows.length < k - 1; j--) if (host.observed[j]) rows.push(j);
    return rows;
  });
  const earlier = back.flatMap((rows, i) => rows.map((bucket) => ({ host: windows[i].host, bucket })));
  const outputs = await predictWindows(p, [...windows, ...earlier]);
  let next = windows.length;
  return windows.map((w, i) => {
    const held = back[i].map((bucket) => {
      const o = outputs[next++];
      return isAlarm(p.card, o.risk, reportedScenario(p.card, w.host, bucket, o), w.host, bucket);
    });
    return toPrediction(p.card, w.host, w.bucket, outputs[i], held.length === k - 1 && held.every(Boolean));
  });
}

/** The channels that show each failure; the model names one only when the host has one of them. */
const EVIDENCE: Record<Exclude<Scenario, 'none'>, readonly Channel[]> = {
  memory_leak: ['memory', 'swap'],
  disk_fill: ['disk'],
  cpu_saturation: ['cpu', 'load', 'latency'],
  fd_exhaustion: ['fd'],
  network_saturation: ['network', 'retrans'],
  cascading_overload: ['cpu', 'load', 'latency'],
};
const PRESENT = Object.fromEntries(CHANNELS.map((c) => [c, FEATURE_NAMES.indexOf(`${c}_present`)])) as Record<
  Channel,
  number
>;
const PEERS_DOWN = FEATURE_NAMES.indexOf('peers_down');

/**
 * Whether the host's data at bucket k can show `scenario` at all: a metric of the resource that runs out
 * (no disk fill without a disk metric), and for a cascade a peer that went down (see scenarioTarget).
 */
export function hasEvidence(host: Pick<HostFeatures, 'features'>, k: number, scenario: Scenario): boolean {
  if (scenario === 'none') return false;
  const row = k * FEATURE_COUNT;
  if (scenario === 'cascading_overload' && !(host.features[row + PEERS_DOWN] > 0)) return false;
  return EVIDENCE[scenario].some((c) => host.features[row + PRESENT[c]] === 1);
}

/**
 * The model raises an alarm when some horizon's risk reaches its threshold (the card's alarm policy), the
 * most likely scenario is a failure (a high risk the model itself reads as 'none' is not acted on), and the
 * host's data can show that failure (hasEvidence).
 */
export function isAlarm(
  card: Pick<ModelCard, 'horizons' | 'alarm'>,
  risk: readonly number[],
  scenario: Scenario,
  host: Pick<HostFeatures, 'features'>,
  k: number,
): boolean {
  return hasEvidence(host, k, scenario) && card.horizons.some((h, j) => risk[j] >= alarmThreshold(card, h.name));
}

/**
 * The scenario to report for a host-window: the model's most likely one, or 'none' when the host's data
 * cannot show it (hasEvidence): a lone CPU series is not called a cascade, nor a disk I/O series a leak.
 */
export function reportedScenario(card: ModelCard, host: HostFeatures, bucket: number, o: ModelOutput): Scenario {
  let best = 0;
  o.scenarioProbs.forEach((v, j) => (v > o.scenarioProbs[best] ? (best = j) : 0));
  const top = card.scenarios[best] as Scenario;
  return hasEvidence(host, bucket, top) ? top : 'none';
}

/**
 * The Prediction for one host-window. `heldBefore`: whether the alarm rule also held at the card's persistence
 * − 1 buckets before this one (predictFrame works it out); without it the model does not alarm.
 */
export function toPrediction(
  card: ModelCard,
  host: HostFeatures,
  bucket: number,
  o: ModelOutput,
  heldBefore = true,
): Prediction {
  const scenario = reportedScenario(card, host, bucket, o);
  const failing = heldBefore && isAlarm(card, o.risk, scenario, host, bucket);
  const ttfMinutes = failing ? Math.round(o.ttf[1]) : null;
  const ttfInterval: [number, number] | null = failing ? [Math.round(o.ttf[0]), Math.round(o.ttf[2])] : null;
  const risk: Record<string, number> = {};
  card.horizons.forEach((h, j) => (risk[h.name] = Number(o.risk[j].toFixed(4))));
  const now = host.times[bucket];
  const summary = channelSummary(host, bucket);
  const finding = {
    entity: host.entity,
    scenario,
    risk,
    ttfMinutes,
    ttfInterval,
    now,
    channels: summary,
    series: host.channels,
  };
  return {
    entity: host.entity,
    scenario,
    risk,
    ttfMinutes,
    ttfInterval,
    confidence: Number(o.confidence.toFixed(3)),
    recommendations: recommend(finding),
    alertRule: alertRule(finding),
  };
}
