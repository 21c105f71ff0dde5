// Quality of the failure predictor on held-out scenarios (data seeds never used in training), next to
// two baselines on the same windows: Prometheus' predict_linear over 1 h and static thresholds.
// `npm run eval` prints the table; `scripts/train.ts` also stores it in models/<name>.json.
//   node bin/run-ts.js scripts/eval.ts lnn            (print)
//   node bin/run-ts.js scripts/eval-lnn.ts --write    (print and store in the card)
//   node bin/run-ts.js scripts/eval-lnn.ts --calibrate [--persistence 1] --write   (choose the alarm thresholds
//        first, for an alarm that must hold that many consecutive 5-minute buckets)
//   … [--model aura-cfc | --model /tmp/m/aura-cfc.onnx]   (a model in models/, or a candidate by its path)
//   … --validation   (the same table on the validation seeds 800000+, 850000+: for model choices; no --write)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MetricFrame } from '../src/lib/frame/types.ts';
import { generateScenario, type SynthOptions } from '../src/lib/synth/generate.ts';
import type { ScenarioLabel } from '../src/lib/synth/scenarios.ts';
import type { Scenario } from '../src/lib/report/types.ts';
import { benignRun, failureRun, labelTrack, scenarioTarget, type Track } from './train/dataset.ts';
import { extractFeatures } from '../src/lib/lnn/features.ts';
import { createNodePredictor, hasEvidence, predictWindows, riskTrace, type ModelOutput } from '../src/lib/lnn/index.ts';
import { importText } from '../src/lib/ingest/index.ts';
import { CHANNELS, CHANNEL_FEATURES, FEATURE_COUNT, HORIZONS, MODEL_SCENARIOS } from '../src/lib/lnn/spec.ts';
import { alarmPersistence, alarmThreshold, sustained, type AlarmPolicy, type ModelCard } from '../src/lib/lnn/card.ts';
import { auroc, ece, jointThresholds, thresholdAtRate } from './train/metrics.ts';
import { NAB_TEST_FILES } from './nab-split.ts';
import { benignTraces, falseEpisodes } from './eval-lnn-real.ts';
import { hasRealData, trainedNabFiles, validationBackgrounds } from './train/real.ts';

export { auroc, ece };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A model's card: models/<name>.json, or beside a model given by its .onnx path (a candidate outside models/). */
export const cardPath = (name: string) =>
  name.endsWith('.onnx') ? resolve(name.replace(/\.onnx$/, '.json')) : join(root, 'models', `${name}.json`);
/** Held-out data seeds: training uses seed·100000 + i for small seeds, so these never overlap. */
export const EVAL_FAILURE_SEEDS = Array.from({ length: 40 }, (_, i) => 900_000 + i);
export const EVAL_BENIGN_SEEDS = Array.from({ length: 16 }, (_, i) => 950_000 + i);
/** Validation data for calibrating the card (see calibrate): apart from training's seeds and the evaluation's. */
export const VALIDATION_FAILURE_SEEDS = Array.from({ length: 40 }, (_, i) => 800_000 + i);
export const VALIDATION_BENIGN_SEEDS = Array.from({ length: 16 }, (_, i) => 850_000 + i);
/** False alarms per host-day allowed on validation: half the target (0.2), as margin for unseen data. */
const FALSE_ALARM_BUDGET = 0.1;
const HOUR = 3600e3;

interface HostEval {
  track: Track;
  frame: MetricFrame;
  benignOnly: boolean;
  buckets: number[];
  model: ModelOutput[];
  /** predict_linear(x[1h]) time to zero of MemAvailable / filesystem avail, hours (Infinity = no crossing). */
  linearTtf: number[];
  linearDiskTtf: number[];
  /** Share left of memory or disk, whichever is less (1 without either): predict_linear's tie-break. */
  linearLeft: number[];
  staticScore: number[];
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** predict_linear over the trailing hour at each time: hours until the least-squares line reaches zero. */
function linearTtfAt(frame: MetricFrame, instance: string, name: string, times: number[]): number[] {
  const s = frame.series.find((x) => x.name === name && x.labels.instance === instance);
  if (!s) return times.map(() => Infinity);
  const n = s.timestamps.length;
  // Prefix sums of x (hours from the first sample), y, x², xy for O(1) fits.
  const px = new Float64Array(n + 1);
  const py = new Float64Array(n + 1);
  const pxx = new Float64Array(n + 1);
  const pxy = new Float64Array(n + 1);
  const t0 = s.timestamps[0];
  for (let i = 0; i < n; i++) {
    const x = (s.timestamps[i] - t0) / HOUR;
    const y = s.values[i];
    px[i + 1] = px[i] + x;
    py[i + 1] = py[i] + y;
    pxx[i + 1] = pxx[i] + x * x;
    pxy[i + 1] = pxy[i] + x * y;
  }
  const upper = (t: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.timestamps[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return times.map((t) => {
    const b = upper(t);
    const a = upper(t - HOUR);
    const m = b - a;
    if (m < 3) return Infinity;
    const sx = px[b] - px[a];
    const sy = py[b] - py[a];
    const sxx = pxx[b] - pxx[a];
    const sxy = pxy[b] - pxy[a];
    const den = m * sxx - sx * sx;
    if (!(den > 0)) return Infinity;
    const slope = (m * sxy - sx * sy) / den;
    const intercept = (sy - slope * sx) / m;
    const xNow = (t - t0) / HOUR;
    const now = intercept + slope * xNow;
    if (now <= 0) return 0;
    return slope < 0 ? -now / slope : Infinity;
  });
}

/** Static thresholds as one score (≥ 1 alarms): memory or disk < 10 % left, CPU > 90 %, p99 > 4× baseline, errors > 5 %. */
function staticScoreAt(t: Track, k: number): number {
  const f = (c: string, which: number) => {
    const ci = CHANNELS.indexOf(c as never);
    const base = k * FEATURE_COUNT + ci * CHANNEL_FEATURES.length;
    return t.hf.features[base + 4] === 1 ? t.hf.features[base + which] : NaN;
  };
  const terms = [
    0.1 / Math.max(1e-3, f('memory', 0)),
    0.1 / Math.max(1e-3, f('disk', 0)),
    f('cpu', 0) / 0.9,
    f('latency', 0) / Math.log(4),
    f('errors', 0) / (Math.log10(0.05 + 1e-4) / 4 + 1),
  ].filter((v) => Number.isFinite(v));
  return terms.length ? Math.max(...terms) : 0;
}

/** The lower of the memory and disk levels (the share left; 1 when the host has neither). */
function capacityLeft(t: Track, k: number): number {
  let left = 1;
  for (const c of ['memory', 'disk']) {
    const base = k * FEATURE_COUNT + CHANNELS.indexOf(c as never) * CHANNEL_FEATURES.length;
    if (t.hf.features[base + 4] === 1) left = Math.min(left, t.hf.features[base]);
  }
  return left;
}

/** The host's next failure after bucket k: minutes to it, whether its onset has passed, the scenario to name. */
function nextFailure(t: Track, k: number): { minutes: number; visible: boolean; scenario: string } | null {
  const now = t.hf.times[k];
  let best: ScenarioLabel | null = null;
  for (const l of t.labels) {
    if (l.kind !== 'failure' || l.instance !== t.hf.entity || l.failure! <= now) continue;
    if (!best || l.failure! < best.failure!) best = l;
  }
  return (
    best && {
      minutes: (best.failure! - now) / 60e3,
      visible: now >= best.onset,
      scenario: scenarioTarget(best.scenario, t.hf, k),
    }
  );
}

async function evaluateRuns(
  predictor: Awaited<ReturnType<typeof createNodePredictor>>,
  runs: (SynthOptions & { dropSeries: number })[],
  benignOnly: boolean,
): Promise<HostEval[]> {
  const out: HostEval[] = [];
  for (const opts of runs) {
    const { frame, labels } = generateScenario(opts);
    const hosts = extractFeatures(frame, { ph: predictor.ph });
    for (const hf of hosts) {
      const track = labelTrack(hf, labels as ScenarioLabel[], opts.seed ?? 0);
      const buckets: number[] = [];
      for (let k = 3; k < hf.times.length; k++) if (hf.observed[k]) buckets.push(k);
      const model = await predictWindows(
        predictor,
        buckets.map((bucket) => ({ host: hf, bucket })),
      );
      const times = buckets.map((k) => hf.times[k]);
      const mem = linearTtfAt(frame, hf.entity, 'node_memory_MemAvailable_bytes', times);
      const disk = linearTtfAt(frame, hf.entity, 'node_filesystem_avail_bytes', times);
      out.push({
        track,
        frame,
        benignOnly,
        buckets,
        model,
        linearTtf: mem.map((m, i) => Math.min(m, disk[i])),
        linearDiskTtf: disk,
        staticScore: buckets.map((k) => staticScoreAt(track, k)),
        linearLeft: buckets.map((k) => capacityLeft(track, k)),
      });
    }
  }
  return out;
}

const topScenario = (m: ModelOutput) =>
  MODEL_SCENARIOS[m.scenarioProbs.indexOf(Math.max(...m.scenarioProbs))] as Scenario;

/** Alarm episodes (rising edges of `alarm`) summed over hosts. */
function alarmEpisodes(hosts: HostEval[], alarm: (h: HostEval, i: number) => boolean): number {
  let episodes = 0;
  for (const h of hosts) {
    let prev = false;
    h.buckets.forEach((_, i) => {
      const a = alarm(h, i);
      if (a && !prev) episodes++;
      prev = a;
    });
  }
  return episodes;
}

const hostDaysOf = (hosts: HostEval[]) =>
  hosts.reduce((d, h) => d + (h.track.hf.times.at(-1)! - h.track.hf.times[0]) / (24 * HOUR), 0);

/** Share of validation windows whose time to failure should fall inside the q10–q90 interval. */
const INTERVAL_COVERAGE = 0.8;

/**
 * Calibrates the card on validation data (seeds apart from training's and the evaluation's) and writes it:
 * - `alarm`: each horizon's threshold is the lowest of 0.05, 0.06, … 0.99 (THRESHOLD_GRID) whose false-alarm
 *   rate is within its share of FALSE_ALARM_BUDGET both on benign look-alikes and, with ../shared present, on
 *   the real validation backgrounds (scripts/train/real.ts: never the held-out ones), the shares small enough
 *   that the alarm of any horizon stays within the budget. Generated look-alikes alone are too clean:
 *   thresholds chosen on them alone sat at 0.05 and alarmed 1.6 times a day on unseen real data;
 * - `ttfIntervalScale`: the q10–q90 interval's half-widths (in log-minutes) are scaled so that it holds the
 *   true time to failure in 80 % of validation windows where the cause shows (split-conformal, as in
 *   conformalized quantile regression); the median itself is left alone.
 */
export async function calibrate(
  name = 'aura-cfc',
  persistence = 1,
): Promise<{ alarm: AlarmPolicy; ttfIntervalScale: number }> {
  const predictor = await createNodePredictor({ model: name });
  const hosts = await evaluateRuns(predictor, VALIDATION_BENIGN_SEEDS.map(benignRun), true);
  const hostDays = hostDaysOf(hosts);
  // Real validation: SMD dev train halves and the NAB tuning files the model was not trained on (all of them,
  // in-sample, for a model trained on every one); NAB's labelled anomaly windows are not benign time.
  const real = hasRealData()
    ? await benignTraces(predictor, validationBackgrounds(trainedNabFiles(predictor.card)))
    : [];
  if (!hasRealData())
    console.log('note: ../shared/data is absent; alarm thresholds chosen on generated look-alikes only');
  const realDays = real.reduce((d, r) => d + r.days, 0);
  // An alarm is any horizon's (isAlarm), on the reported scenario, which needs evidence (hasEvidence).
  // Each alarm must hold for `persistence` consecutive buckets (the card's AlarmPolicy.persistence).
  const synthRate = (thr: readonly number[]) => {
    const held = new Map(
      hosts.map((h) => [
        h,
        sustained(
          h.buckets.map(
            (k, i) =>
              thr.some((t, j) => h.model[i].risk[j] >= t) && hasEvidence(h.track.hf, k, topScenario(h.model[i])),
          ),
          persistence,
        ),
      ]),
    );
    return alarmEpisodes(hosts, (h, i) => held.get(h)![i]) / hostDays;
  };
  const realRate = (thr: readonly number[]) =>
    real.reduce((n, r) => {
      const held = sustained(
        r.trace.map((x) => x.scenario !== 'none' && HORIZONS.some((hz, j) => x.risk[hz.name] >= thr[j])),
        persistence,
      );
      return n + falseEpisodes(r.trace, r.exclude, (_, i) => held[i]).episodes;
    }, 0) / realDays;
  const rate = (thr: readonly number[]) => Math.max(synthRate(thr), real.length ? realRate(thr) : 0);
  const only = (j: number, t: number) => HORIZONS.map((_, i) => (i === j ? t : Infinity));
  const chosen = jointThresholds(rate, HORIZONS.length, FALSE_ALARM_BUDGET);
  const thresholds = Object.fromEntries(HORIZONS.map((hz, j) => [hz.name, chosen[j]]));
  const ratesOf = (f: (thr: readonly number[]) => number) => ({
    ...Object.fromEntries(HORIZONS.map((hz, j) => [hz.name, Number(f(only(j, chosen[j])).toFixed(3))])),
    any: Number(f(chosen).toFixed(3)),
  });
  const rates = ratesOf(synthRate);
  const realRates = real.length ? ratesOf(realRate) : {};
  const alarm: AlarmPolicy = {
    thresholds,
    ...(persistence > 1 ? { persistence } : {}),
    falseAlarmBudgetPerHostDay: FALSE_ALARM_BUDGET,
    validation: {
      benignRuns: { from: VALIDATION_BENIGN_SEEDS[0], count: VALIDATION_BENIGN_SEEDS.length },
      hostDays: Number(hostDays.toFixed(1)),
      falseAlarmsPerHostDay: rates,
      ...(real.length
        ? {
            real: {
              backgrounds: real.map((r) => r.source),
              hostDays: Number(realDays.toFixed(1)),
              falseAlarmsPerHostDay: realRates,
            },
          }
        : {}),
    },
  };

  // Conformity score per window: how many half-widths the truth lies from the median, on its side.
  const failing = await evaluateRuns(predictor, VALIDATION_FAILURE_SEEDS.map(failureRun), false);
  const scores: number[] = [];
  for (const h of failing)
    h.buckets.forEach((k, i) => {
      const next = nextFailure(h.track, k);
      if (!next || next.minutes > 360 || !next.visible) return;
      const [q10, q50, q90] = h.model[i].ttf.map(Math.log);
      const t = Math.log(next.minutes);
      scores.push(t < q50 ? (q50 - t) / Math.max(1e-6, q50 - q10) : (t - q50) / Math.max(1e-6, q90 - q50));
    });
  scores.sort((a, b) => a - b);
  const current = predictor.card.ttfIntervalScale ?? 1;
  const rank = Math.min(scores.length - 1, Math.ceil((scores.length + 1) * INTERVAL_COVERAGE) - 1);
  const ttfIntervalScale = Number((current * Math.max(scores[rank], 1e-3)).toFixed(4));

  const path = cardPath(name);
  const card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard;
  card.alarm = alarm;
  card.ttfIntervalScale = ttfIntervalScale;
  writeFileSync(path, JSON.stringify(card, null, 2) + '\n');
  console.log(
    `alarm thresholds ${JSON.stringify(thresholds)}, held ${persistence} bucket(s) (validation false alarms/host-day: generated ${JSON.stringify(rates)}` +
      (real.length ? `, real ${JSON.stringify(realRates)} over ${realDays.toFixed(1)} host-days` : '') +
      '); ' +
      `time-to-failure interval scale ${ttfIntervalScale} (from ${scores.length} validation windows)`,
  );
  return { alarm, ttfIntervalScale };
}

/** Real data: the NAB AWS series in ../shared (CloudWatch, one metric per file, no failures labelled). */
const NAB_DIR = resolve(root, '../shared/data/nab');

export interface RealDataRow {
  file: string;
  channel: string;
  days: number;
  alarmEpisodes: number;
  /** Share of the file's buckets in which the model was alarming. */
  timeInAlarm: number;
  /** Alarm episodes that overlap one of NAB's labelled anomaly windows. */
  insideAnomalyWindows: number;
  peakRisk: Record<string, number>;
}

/**
 * How the model behaves on real single-metric series: alarm episodes per day (any horizon, isAlarm) over
 * each whole file. NAB labels anomalies, not failures, so an alarm outside its windows is a false alarm and
 * one inside may or may not be. Empty when ../shared is absent.
 */
export async function realData(name = 'aura-cfc'): Promise<RealDataRow[]> {
  if (!existsSync(NAB_DIR)) return [];
  const predictor = await createNodePredictor({ model: name });
  const labels = JSON.parse(readFileSync(join(NAB_DIR, 'labels.json'), 'utf8')) as {
    anomalyWindows: Record<string, [string, string][]>;
  };
  const utc = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');
  const rows: RealDataRow[] = [];
  // The test files of the fixed split only: the tuning files are training backgrounds (scripts/train/real.ts).
  for (const file of NAB_TEST_FILES) {
    const frame = importText(readFileSync(join(NAB_DIR, file), 'utf8'), { origin: file });
    const hosts = extractFeatures(frame, { ph: predictor.ph });
    if (hosts.length === 0) continue;
    const host = hosts[0];
    const channel = Object.keys(host.channels).join('+');
    const trace = await riskTrace(predictor, frame, host.entity, -Infinity, Infinity, Infinity);
    const windows = (labels.anomalyWindows[file] ?? []).map(([a, b]) => [utc(a), utc(b)] as const);
    let episodes = 0;
    let inside = 0;
    let start = -1;
    trace.forEach((p, i) => {
      if (p.alarm && (i === 0 || !trace[i - 1].alarm)) start = p.t;
      const endsHere = p.alarm && (i === trace.length - 1 || !trace[i + 1].alarm);
      if (!endsHere) return;
      episodes++;
      if (windows.some(([a, b]) => start <= b && p.t >= a)) inside++;
    });
    const peakRisk: Record<string, number> = {};
    for (const p of trace) for (const [h, v] of Object.entries(p.risk)) peakRisk[h] = Math.max(peakRisk[h] ?? 0, v);
    const days = (host.times.at(-1)! - host.times[0]) / (24 * HOUR);
    rows.push({
      file,
      channel,
      days: Number(days.toFixed(1)),
      alarmEpisodes: episodes,
      timeInAlarm: Number((trace.filter((p) => p.alarm).length / Math.max(1, trace.length)).toFixed(4)),
      insideAnomalyWindows: inside,
      peakRisk,
    });
  }
  return rows;
}

export interface EvalTable {
  heldOut: { failureRuns: number; benignRuns: number; hostWindows: number; failures: number; benignHostDays: number };
  rows: Record<string, Record<string, number>>;
  /** CfC and predict_linear on the failures predict_linear can see (memory leaks, disk fills) and all benign hosts. */
  linearRows: Record<string, Record<string, number>>;
  /** Static-threshold score levels at the CfC's validation false-alarm rate, per horizon (chosen on validation). */
  staticAtCfcThresholds: Record<string, number>;
  ttf: Record<string, number>;
  calibration: Record<string, number>;
  scenarioAccuracy: number;
  /** The model on real NAB series (see realData); empty without ../shared. */
  realData: RealDataRow[];
  seconds: number;
}

type Method = (h: HostEval, i: number, j: number) => { score: number; tiebreak?: number; alarm: boolean };
const LINEAR_SCENARIOS: readonly string[] = ['memory_leak', 'disk_fill'];

/** AUROC, recall and false alarms per host-day of one method at each horizon over `hosts`. */
function methodRow(hosts: HostEval[], fn: Method): Record<string, number> {
  const NH = HORIZONS.length;
  const failures = hosts.flatMap((h) =>
    h.track.labels.filter((l) => l.kind === 'failure' && l.instance === h.track.hf.entity).map((l) => ({ h, l })),
  );
  const benignHosts = hosts.filter((h) => h.benignOnly);
  const hostDays = hostDaysOf(benignHosts);
  const row: Record<string, number> = {};
  HORIZONS.forEach((hz, j) => {
    const scores: number[] = [];
    const tiebreaks: number[] = [];
    const ys: number[] = [];
    for (const h of hosts) {
      h.buckets.forEach((k, i) => {
        const r = fn(h, i, j);
        scores.push(r.score);
        tiebreaks.push(r.tiebreak ?? 0);
        ys.push(h.track.y[k * NH + j]);
      });
    }
    row[`AUROC ${hz.name}`] = auroc(scores, ys, tiebreaks);
    // Recall: flagged at some time between the horizon and half the horizon before the failure.
    let eligible = 0;
    let caught = 0;
    for (const { h, l } of failures) {
      const from = l.failure! - hz.minutes * 60e3;
      const to = l.failure! - (hz.minutes * 60e3) / 2;
      const idx = h.buckets.map((k, i) => [h.track.hf.times[k], i] as const).filter(([t]) => t >= from && t <= to);
      if (idx.length === 0) continue;
      eligible++;
      if (idx.some(([, i]) => fn(h, i, j).alarm)) caught++;
    }
    row[`recall ${hz.name}`] = eligible ? caught / eligible : NaN;
    row[`false alarms/host-day ${hz.name}`] = alarmEpisodes(benignHosts, (h, i) => fn(h, i, j).alarm) / hostDays;
  });
  return row;
}

export async function evaluate(name = 'aura-cfc', validation = false): Promise<EvalTable> {
  const started = Date.now();
  const predictor = await createNodePredictor({ model: name });
  const failureSeeds = validation ? VALIDATION_FAILURE_SEEDS : EVAL_FAILURE_SEEDS;
  const benignSeeds = validation ? VALIDATION_BENIGN_SEEDS : EVAL_BENIGN_SEEDS;
  const hosts = [
    ...(await evaluateRuns(predictor, failureSeeds.map(failureRun), false)),
    ...(await evaluateRuns(predictor, benignSeeds.map(benignRun), true)),
  ];
  const NH = HORIZONS.length;
  const rows: EvalTable['rows'] = {};
  const failures = hosts.flatMap((h) =>
    h.track.labels.filter((l) => l.kind === 'failure' && l.instance === h.track.hf.entity).map((l) => ({ h, l })),
  );
  const benignHosts = hosts.filter((h) => h.benignOnly);
  const hostDays = hostDaysOf(benignHosts);

  const thresholds = HORIZONS.map((hz) => alarmThreshold(predictor.card, hz.name));
  // The product's rule (isAlarm) for one horizon: its risk at its threshold, a failure scenario most likely,
  // and a metric on the host that can show that failure.
  // Held over the card's persistence: the rule at this bucket and the ones before it (alarmPersistence).
  const persistence = alarmPersistence(predictor.card);
  const held = new Map<HostEval, boolean[][]>();
  const cfcAlarm = (h: HostEval, i: number, j: number) => {
    let byHorizon = held.get(h);
    if (!byHorizon) {
      byHorizon = HORIZONS.map((_, n) =>
        sustained(
          h.buckets.map(
            (k, b) => h.model[b].risk[n] >= thresholds[n] && hasEvidence(h.track.hf, k, topScenario(h.model[b])),
          ),
          persistence,
        ),
      );
      held.set(h, byHorizon);
    }
    return byHorizon[j][i];
  };
  // Static thresholds at the CfC's operating point: the score threshold whose false-alarm rate on the
  // validation look-alikes is the CfC's there (the card's), chosen on validation, applied here.
  const validationBenign = await evaluateRuns(predictor, VALIDATION_BENIGN_SEEDS.map(benignRun), true);
  const validationDays = hostDaysOf(validationBenign);
  const staticAtCfc = HORIZONS.map((hz) => {
    const target = predictor.card.alarm?.validation.falseAlarmsPerHostDay[hz.name] ?? FALSE_ALARM_BUDGET;
    const all = validationBenign.flatMap((h) => h.staticScore);
    const rate = (thr: number) => alarmEpisodes(validationBenign, (h, i) => h.staticScore[i] >= thr) / validationDays;
    return thresholdAtRate(all, rate, target).threshold;
  });
  const methods: Record<string, Method> = {
    'CfC (ONNX)': (h, i, j) => ({ score: h.model[i].risk[j], alarm: cfcAlarm(h, i, j) }),
    // Ties at "never crosses" (−∞) are ordered by how little is left (see auroc).
    'predict_linear 1h': (h, i, j) => ({
      score: -h.linearTtf[i],
      tiebreak: -h.linearLeft[i],
      alarm: h.linearTtf[i] * 60 <= HORIZONS[j].minutes,
    }),
    'static thresholds': (h, i) => ({ score: h.staticScore[i], alarm: h.staticScore[i] >= 1 }),
    "static at CfC's false-alarm rate": (h, i, j) => ({
      score: h.staticScore[i],
      alarm: h.staticScore[i] >= staticAtCfc[j],
    }),
  };
  for (const [method, fn] of Object.entries(methods)) rows[method] = methodRow(hosts, fn);
  // predict_linear reads memory and disk only: compared on the failures it can see (and all benign hosts).
  const seen = hosts.filter((h) =>
    h.track.labels.every(
      (l) => l.kind !== 'failure' || l.instance !== h.track.hf.entity || LINEAR_SCENARIOS.includes(l.scenario),
    ),
  );
  const linearRows: EvalTable['rows'] = {
    'CfC (ONNX)': methodRow(seen, methods['CfC (ONNX)']),
    'predict_linear 1h': methodRow(seen, methods['predict_linear 1h']),
  };

  // Time to failure on windows within 6 h of a failure: all of them, and those where the cause has begun
  // to show (after the scenario's onset; before it no method can know what is coming).
  const relAll: number[] = [];
  const relVisible: number[] = [];
  const relDiskModel: number[] = [];
  const relDiskLinear: number[] = [];
  let diskLinearCovered = 0;
  let inside = 0;
  let scenarioRight = 0;
  for (const h of hosts) {
    h.buckets.forEach((k, i) => {
      const next = nextFailure(h.track, k);
      if (!next || next.minutes > 360) return;
      const m = h.model[i];
      const rel = Math.abs(m.ttf[1] - next.minutes) / next.minutes;
      relAll.push(rel);
      if (!next.visible) return;
      relVisible.push(rel);
      if (next.minutes >= m.ttf[0] && next.minutes <= m.ttf[2]) inside++;
      if (MODEL_SCENARIOS[m.scenarioProbs.indexOf(Math.max(...m.scenarioProbs))] === next.scenario) scenarioRight++;
      if (next.scenario === 'disk_fill') {
        relDiskModel.push(rel);
        const lin = h.linearDiskTtf[i] * 60;
        if (Number.isFinite(lin)) diskLinearCovered++;
        // No crossing predicted counts as a 100 % error (it says "never").
        relDiskLinear.push(Number.isFinite(lin) ? Math.abs(lin - next.minutes) / next.minutes : 1);
      }
    });
  }
  const ttf = {
    'median rel. error, cause visible (after onset, ≤ 6 h)': median(relVisible),
    'median rel. error, all windows ≤ 6 h (incl. before onset)': median(relAll),
    'q10–q90 interval coverage (cause visible)': inside / relVisible.length,
    'disk_fill: CfC median rel. error': median(relDiskModel),
    'disk_fill: predict_linear 1h median rel. error': median(relDiskLinear),
    'disk_fill: predict_linear windows with a prediction': relDiskLinear.length
      ? diskLinearCovered / relDiskLinear.length
      : NaN,
    'windows (cause visible / all)': relVisible.length / relAll.length,
  };

  const calibration: Record<string, number> = {};
  HORIZONS.forEach((hz, j) => {
    const ps: number[] = [];
    const ys: number[] = [];
    for (const h of hosts)
      h.buckets.forEach((k, i) => {
        ps.push(h.model[i].risk[j]);
        ys.push(h.track.y[k * NH + j]);
      });
    calibration[`ECE risk ${hz.name}`] = ece(ps, ys);
  });
  const oneHour = HORIZONS.findIndex((h) => h.name === '1h');
  const conf: number[] = [];
  const correct: number[] = [];
  for (const h of hosts)
    h.buckets.forEach((k, i) => {
      conf.push(h.model[i].confidence);
      correct.push((cfcAlarm(h, i, oneHour) ? 1 : 0) === h.track.y[k * NH + oneHour] ? 1 : 0);
    });
  calibration['ECE confidence (1 h decision)'] = ece(conf, correct);
  return {
    heldOut: {
      failureRuns: EVAL_FAILURE_SEEDS.length,
      benignRuns: EVAL_BENIGN_SEEDS.length,
      hostWindows: hosts.reduce((n, h) => n + h.buckets.length, 0),
      failures: failures.length,
      benignHostDays: Number(hostDays.toFixed(1)),
    },
    rows,
    linearRows,
    staticAtCfcThresholds: Object.fromEntries(HORIZONS.map((h, j) => [h.name, staticAtCfc[j]])),
    ttf,
    calibration,
    scenarioAccuracy: scenarioRight / relVisible.length,
    realData: validation ? [] : await realData(name),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));

function printRows(rows: EvalTable['rows']): void {
  const cols = Object.keys(Object.values(rows)[0]);
  console.log(`| metric | ${Object.keys(rows).join(' | ')} |`);
  console.log(
    `|---|${Object.keys(rows)
      .map(() => '---:')
      .join('|')}|`,
  );
  for (const c of cols)
    console.log(
      `| ${c} | ${Object.values(rows)
        .map((r) => fmt(r[c]))
        .join(' | ')} |`,
    );
}

export function printTable(e: EvalTable, validation = false): void {
  const h = e.heldOut;
  console.log(
    `${validation ? 'VALIDATION (not held out)' : 'held-out'}: ${h.failureRuns} failure runs + ${h.benignRuns} benign-only runs, ${h.hostWindows} host-windows, ` +
      `${h.failures} failures, ${h.benignHostDays} benign host-days (seeds ${validation ? '800000+, 850000+' : '900000+, 950000+'})\n`,
  );
  printRows(e.rows);
  console.log(
    `\nstatic at CfC's false-alarm rate: score thresholds ${Object.entries(e.staticAtCfcThresholds)
      .map(([h, v]) => `${h} ${Number.isFinite(v) ? v.toFixed(3) : 'never'}`)
      .join(', ')} ` +
      '(chosen on the validation look-alikes); predict_linear ties at "no crossing" ordered by the share left',
  );
  console.log('\nonly the failures predict_linear can see (memory leaks, disk fills), with every benign host:\n');
  printRows(e.linearRows);
  console.log('\n| time to failure | value |\n|---|---:|');
  for (const [k, v] of Object.entries(e.ttf)) console.log(`| ${k} | ${fmt(v)} |`);
  console.log('\n| calibration | value |\n|---|---:|');
  for (const [k, v] of Object.entries(e.calibration)) console.log(`| ${k} | ${fmt(v)} |`);
  console.log(`| scenario accuracy (cause visible, ≤ 6 h) | ${fmt(e.scenarioAccuracy)} |`);
  if (e.realData.length) {
    const days = e.realData.reduce((d, r) => d + r.days, 0);
    const episodes = e.realData.reduce((n, r) => n + r.alarmEpisodes, 0);
    const inside = e.realData.reduce((n, r) => n + r.insideAnomalyWindows, 0);
    console.log(
      `\nreal data: ${e.realData.length} NAB AWS test-split series the model can read (one metric each), ${days.toFixed(1)} days: ` +
        `${episodes} alarm episodes (${(episodes / days).toFixed(3)} per day), ${inside} of them overlapping a NAB anomaly window\n`,
    );
    const alarmed = e.realData.reduce((a, r) => a + r.timeInAlarm * r.days, 0) / days;
    console.log(`time in alarm: ${(100 * alarmed).toFixed(1)} %\n`);
    console.log(
      '| file | channel | days | alarm episodes | time in alarm | in anomaly windows | peak risk |\n|---|---|---:|---:|---:|---:|---|',
    );
    for (const r of e.realData)
      console.log(
        `| ${r.file} | ${r.channel} | ${r.days} | ${r.alarmEpisodes} | ${(100 * r.timeInAlarm).toFixed(1)} % | ${r.insideAnomalyWindows} | ` +
          `${Object.entries(r.peakRisk)
            .map(([h, v]) => `${h} ${v.toFixed(2)}`)
            .join(', ')} |`,
      );
  }
  console.log(`\n(${e.seconds} s)`);
}

export async function run(
  opts: { name?: string; write?: boolean; calibrate?: boolean; validation?: boolean; persistence?: number } = {},
): Promise<void> {
  const name = opts.name ?? 'aura-cfc';
  if (opts.calibrate) await calibrate(name, opts.persistence);
  const table = await evaluate(name, opts.validation);
  printTable(table, opts.validation);
  if (opts.write && !opts.validation) {
    const path = cardPath(name);
    const card = JSON.parse(readFileSync(path, 'utf8')) as ModelCard;
    card.evaluation = {
      ...table,
      thresholds: card.alarm?.thresholds ?? null,
      script: 'scripts/eval-lnn.ts',
    } as unknown as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(card, null, 2) + '\n');
    console.log(`stored in ${relative(root, path)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--model');
  const k = process.argv.indexOf('--persistence');
  const persistence = k >= 0 ? Number(process.argv[k + 1]) : 1;
  if (!Number.isInteger(persistence) || persistence < 1)
    throw new Error(`--persistence takes a whole number of 5-minute buckets ≥ 1, not ${process.argv[k + 1]}`);
  await run({
    name: i >= 0 ? process.argv[i + 1] : undefined,
    write: process.argv.includes('--write'),
    calibrate: process.argv.includes('--calibrate'),
    persistence,
    validation: process.argv.includes('--validation'),
  });
}
