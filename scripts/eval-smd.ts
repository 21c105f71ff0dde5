// `npm run eval -- smd`: the anomaly timeline on real multivariate server data, the Server Machine
// Dataset in ../shared/data/smd (38 metrics a machine, one row a minute). For each dev machine the train
// file is the reference period (baselineRows = its rows) and only the test file, which continues it in
// time, is scored. Figures, per machine and pooled:
//   - event recall (a labelled segment counts when a span overlaps it) and false spans per day;
//   - point-wise precision / recall / F1 over the test minutes, WITHOUT point-adjust;
//   - detection delay per detected segment: detectedAt (end of the span's first flagged window) − start;
//   - attribution HitRate@100 % and @150 % against the interpretation labels, from the full series
//     ranking (TimelineOutput.rankings) of the span that first detected each segment.
// Baselines: rolling z (max over series) and PCA reconstruction error (fitted on the train file), scored
// at the timeline's own window ends with its smoothing and span rule (scripts/eval/metrics.ts), each at
// the lowest threshold of its sweep whose pooled false spans per day do not exceed the timeline's. That
// threshold is chosen on the same labelled data it is reported on (in favour of the baselines).
// The first table is the long window alone (fast off). The fast scale (timeline option `fast`, on by
// default here: the train file spans 16 days) flags single windows from rows read one by one; its tables
// also score the baselines under that "fast rule" (no averaging, one window is a span, dated from the
// window's newest rows), each matched again. Settings are chosen by leave-one-machine-out (held-out rows
// are the result), over every candidate and again over those at the default threshold 4; the default
// fast settings' own table, and the one at the threshold the held-out choice picked, are in-sample
// (labelled so); a closing summary sets the default's held-out and in-sample rows side by side. Threshold
// 12 is not the default though every fold picks it: it costs generated fleets their slow failures
// (scripts/eval-fast-threshold.ts); so is `sustained` 3, which every fold picks at threshold 4: it costs
// them their memory leaks, so the default is 2 and the default form's held-out row fixes it at 2 (its fast
// thresholds chosen). The forms tried (one series alone, the span ranking, `sustained`) were designed
// looking at all three dev machines. Last, spans per day on the 5 machines without labels (train file:
// first half baseline, second half scored), which no choice has seen: an upper bound on false spans there.
// The files are read gzipped, through the same importStream as users' files. Persistence answers are
// cached per machine (scripts/eval/cache.ts), so settings that only rescore cost little;
// `node bin/run-ts.js scripts/eval-smd.ts lomo` prints the leave-one-machine-out table alone.
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { importStream } from '../src/lib/ingest/index.ts';
import { alignFrame } from '../src/lib/cloud/align.ts';
import { AnomalyTimeline, DEFAULT_TIMELINE_OPTIONS, type TimelineOptions } from '../src/lib/timeline/index.ts';
import { NodePool } from '../src/node/pool.ts';
import { seriesKey, type AlignedFrame } from '../src/lib/frame/types.ts';
import type { AnomalySpan, TimelinePoint } from '../src/lib/report/types.ts';
import {
  detectionDelays,
  eventRecall,
  falseSpans,
  hitRate,
  overlaps,
  pointwise,
  quantile,
  spansByRule,
  type EvalSpan,
  type Interval,
  type SpanRule,
} from './eval/metrics.ts';
import { pcaReconstruction, rankSeries, rollingZ, windowMax, type RowScores } from './eval/baselines.ts';
import { CachingRunner } from './eval/cache.ts';
import type { WindowRunner } from '../src/lib/timeline/runner.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const smdDir = resolve(here, '../../shared/data/smd');

interface MachineEntry {
  train: string;
  trainRows: number;
  test?: string;
  testRows?: number;
  anomalies?: { start: string; end: string }[];
  interpretation?: { start: string; end: string; series: string[] }[];
}

export interface Machine {
  name: string;
  frame: AlignedFrame;
  trainRows: number;
  segments: Interval[];
  interpretation: (Interval & { series: string[] })[];
}

/** A method's output on one machine: spans over the test part, each with the series it names, ranked. */
export interface Detection {
  spans: (EvalSpan & { series: string[] })[];
}

export interface MachineScore {
  segments: number;
  recall: number;
  found: number;
  fp: number;
  days: number;
  precision: number;
  pointRecall: number;
  f1: number;
  tp: number;
  fpPoints: number;
  fn: number;
  delays: number[];
  hit100: number[];
  hit150: number[];
}

async function loadGz(file: string): Promise<AlignedFrame> {
  const frame = await importStream(createReadStream(join(smdDir, file), { highWaterMark: 1 << 20 }), { origin: file });
  return alignFrame(frame).frame;
}

/** Train and test as one frame, in time; the test file must continue the train file on the same grid. */
function concat(a: AlignedFrame, b: AlignedFrame, name: string): AlignedFrame {
  const keys = (f: AlignedFrame) => f.series.map(seriesKey).join();
  const last = a.timestamps[a.timestamps.length - 1];
  if (keys(a) !== keys(b) || a.stepMs !== b.stepMs || b.timestamps[0] !== last + a.stepMs) {
    throw new Error(`${name}: the test file does not continue the train file (series, step or time)`);
  }
  const timestamps = new Float64Array(a.timestamps.length + b.timestamps.length);
  timestamps.set(a.timestamps);
  timestamps.set(b.timestamps, a.timestamps.length);
  const columns = a.columns.map((c, j) => {
    const out = new Float64Array(timestamps.length);
    out.set(c);
    out.set(b.columns[j], c.length);
    return out;
  });
  return { timestamps, stepMs: a.stepMs, columns, series: a.series };
}

export function devMachineNames(): string[] {
  const manifest = JSON.parse(readFileSync(join(smdDir, 'manifest.json'), 'utf8')) as Record<string, MachineEntry>;
  return Object.keys(manifest)
    .filter((k) => manifest[k].test)
    .sort();
}

export async function loadMachine(name: string): Promise<Machine> {
  const manifest = JSON.parse(readFileSync(join(smdDir, 'manifest.json'), 'utf8')) as Record<string, MachineEntry>;
  const e = manifest[name];
  const train = await loadGz(e.train);
  const test = await loadGz(e.test!);
  const iv = (x: { start: string; end: string }) => ({ start: Date.parse(x.start), end: Date.parse(x.end) });
  return {
    name,
    frame: concat(train, test, name),
    trainRows: train.timestamps.length,
    segments: (e.anomalies ?? []).map(iv),
    interpretation: (e.interpretation ?? []).map((x) => ({ ...iv(x), series: x.series })),
  };
}

/** When a span was first known: its own detectedAt when the timeline gives one, else the end of its first flagged window. */
function detectedAt(span: AnomalySpan, points: TimelinePoint[]): number {
  const own = (span as { detectedAt?: number }).detectedAt;
  if (typeof own === 'number') return own;
  return points.find((p) => p.anomalous && p.t >= span.start && p.t <= span.end)?.t ?? span.end;
}

export interface AuraRun {
  detection: Detection;
  /** Window ends and starts over the test part, for the baselines. */
  ends: number[];
  starts: number[];
  seconds: number;
}

export async function runAura(pool: WindowRunner, m: Machine, options: Partial<TimelineOptions>): Promise<AuraRun> {
  const t0 = performance.now();
  const tl = new AnomalyTimeline(pool, { ...options, baselineRows: m.trainRows, attributeTop: m.frame.columns.length });
  const out = await tl.update(m.frame);
  if (out.pending) throw new Error(`${m.name}: ${out.pending}`);
  const testStart = m.frame.timestamps[m.trainRows];
  // HitRate reads the full ranking (level z and leave-one-out drop), not the short list shown to people.
  const spans = out.anomalies
    .map((s, i) => ({
      start: Math.max(s.start, testStart),
      end: s.end,
      detectedAt: detectedAt(s, out.points),
      series: out.rankings?.[i]?.length ? out.rankings[i] : s.series,
    }))
    .filter((s) => s.end >= testStart);
  const testPoints = out.points.filter((p) => p.t >= testStart);
  const widthMs = (out.settings.window - 1) * m.frame.stepMs;
  return {
    detection: { spans },
    ends: testPoints.map((p) => p.t),
    starts: testPoints.map((p) => p.t - widthMs),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A baseline's row scores through the timeline's span rule at the given threshold. */
export function baselineDetection(
  m: Machine,
  rows: RowScores,
  ends: number[],
  starts: number[],
  rule: SpanRule,
): Detection {
  const raw = windowMax(m.frame.timestamps, rows.score, ends);
  const names = m.frame.series.map(seriesKey);
  const testStart = m.frame.timestamps[m.trainRows];
  return {
    spans: spansByRule({ t: ends, start: starts, raw }, rule).map((s) => ({
      start: Math.max(s.start, testStart),
      end: s.end,
      detectedAt: s.detectedAt,
      // Ranked on the peak window's rows.
      series: rankSeries(m.frame.timestamps, rows.parts, names, s.peakT - (ends[0] - starts[0]), s.peakT),
    })),
  };
}

export function scoreMachine(m: Machine, d: Detection): MachineScore {
  const testTimes = m.frame.timestamps.subarray(m.trainRows);
  const days = (testTimes.length * m.frame.stepMs) / 86_400_000;
  const p = pointwise(testTimes, d.spans, m.segments);
  const hit100: number[] = [];
  const hit150: number[] = [];
  for (const seg of m.interpretation) {
    // The span that first detected the segment names the series.
    const hits = d.spans.filter((s) => overlaps(s, seg)).sort((a, b) => a.detectedAt - b.detectedAt);
    if (hits.length === 0) continue;
    hit100.push(hitRate(hits[0].series, seg.series, 1));
    hit150.push(hitRate(hits[0].series, seg.series, 1.5));
  }
  return {
    segments: m.segments.length,
    recall: eventRecall(d.spans, m.segments),
    found: m.segments.filter((s) => d.spans.some((x) => overlaps(x, s))).length,
    fp: falseSpans(d.spans, m.segments),
    days,
    precision: p.precision,
    pointRecall: p.recall,
    f1: p.f1,
    tp: p.tp,
    fpPoints: p.fp,
    fn: p.fn,
    delays: detectionDelays(d.spans, m.segments),
    hit100,
    hit150,
  };
}

/** Pooled over machines: events and points summed, delays and hit rates over all detected segments. */
export function pool(scores: MachineScore[]): MachineScore {
  const sum = (f: (s: MachineScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const tp = sum((s) => s.tp);
  const fpPoints = sum((s) => s.fpPoints);
  const fn = sum((s) => s.fn);
  const precision = tp + fpPoints ? tp / (tp + fpPoints) : 0;
  const pointRecall = tp + fn ? tp / (tp + fn) : NaN;
  return {
    segments: sum((s) => s.segments),
    found: sum((s) => s.found),
    recall: sum((s) => s.found) / sum((s) => s.segments),
    fp: sum((s) => s.fp),
    days: sum((s) => s.days),
    precision,
    pointRecall,
    f1: precision + pointRecall ? (2 * precision * pointRecall) / (precision + pointRecall) : 0,
    tp,
    fpPoints,
    fn,
    delays: scores.flatMap((s) => s.delays),
    hit100: scores.flatMap((s) => s.hit100),
    hit150: scores.flatMap((s) => s.hit150),
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const mins = (ms: number) => (Number.isFinite(ms) ? (ms / 60_000).toFixed(0) : '-');

export function row(label: string, s: MachineScore, extra = ''): string {
  return `| ${label} | ${extra} | ${s.found}/${s.segments} (${f2(s.recall)}) | ${f2(s.fp / s.days)} | ${f2(s.precision)} | ${f2(s.pointRecall)} | ${f2(s.f1)} | ${mins(quantile(s.delays, 0.5))} | ${mins(quantile(s.delays, 0.9))} | ${f2(mean(s.hit100))} | ${f2(mean(s.hit150))} |`;
}

export const HEADER =
  '| machine · method | threshold | event recall | false spans/day | point P | point R | point F1 | delay p50 (min) | delay p90 (min) | HitRate@100% | HitRate@150% |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';

/** Thresholds tried for a baseline: log-spaced over the range of its raw window scores. */
function sweepGrid(raws: number[]): number[] {
  const pos = raws.filter((v) => v > 0 && Number.isFinite(v)).sort((a, b) => a - b);
  const lo = pos[Math.floor(pos.length * 0.5)] ?? 1e-6;
  const hi = pos[pos.length - 1] ?? 1;
  return Array.from({ length: 80 }, (_, i) => lo * (hi / lo) ** (i / 79));
}

/**
 * Persistence answers per machine, kept for the whole process: candidates that only rescore reuse them.
 * With AURA_EVAL_CACHE=dir they are also kept on disk between runs (for tuning; delete the folder when
 * the engine or the window computation changes).
 */
const stores = new Map<string, Map<string, unknown>>();
const cacheDir = process.env.AURA_EVAL_CACHE;
const cacheFile = (machine: string) => join(cacheDir!, `smd-${machine}.v8`);
function cached(inner: WindowRunner, machine: string): WindowRunner {
  if (!stores.has(machine)) {
    const onDisk = cacheDir && existsSync(cacheFile(machine));
    stores.set(machine, onDisk ? (deserialize(readFileSync(cacheFile(machine))) as Map<string, unknown>) : new Map());
  }
  return new CachingRunner(inner, stores.get(machine)!);
}
function saveCaches(): void {
  if (cacheDir) for (const [machine, store] of stores) writeFileSync(cacheFile(machine), serialize(store));
}

export interface Evaluation {
  aura: MachineScore[];
  baselines: Record<string, { threshold: number; scores: MachineScore[] }>;
  seconds: number[];
}

export async function evaluate(
  machines: Machine[],
  options: Partial<TimelineOptions> = {},
  withBaselines = true,
): Promise<Evaluation> {
  const o = { ...DEFAULT_TIMELINE_OPTIONS, ...options };
  const workers = new NodePool();
  const runs: AuraRun[] = [];
  try {
    for (const m of machines) runs.push(await runAura(cached(workers, m.name), m, options));
    saveCaches();
  } finally {
    await workers.close();
  }
  const aura = machines.map((m, i) => scoreMachine(m, runs[i].detection));
  const result: Evaluation = { aura, baselines: {}, seconds: runs.map((r) => r.seconds) };
  if (!withBaselines) return result;
  const auraFp = pool(aura).fp / pool(aura).days;
  const makers: Record<string, (m: Machine) => RowScores> = {
    'rolling z (max over series)': (m) => rollingZ(m.frame, o.window),
    'PCA reconstruction (90 % variance)': (m) => pcaReconstruction(m.frame, m.trainRows),
  };
  // With the fast scale on, AURA flags single windows from rows read one by one and dates them from those
  // rows; the baselines then also get that rule (no averaging, one window is a span, starting at the
  // window's newest `stride` rows), so they are not held to a stricter one.
  const rules: [string, { average: number; minSpanWindows: number; tail?: boolean }][] = [
    ['', { average: o.average, minSpanWindows: o.minSpanWindows }],
  ];
  if (o.fast) rules.push([', fast rule', { average: 1, minSpanWindows: 1, tail: true }]);
  for (const [ruleName, spanRule] of rules)
    for (const [baseName, make] of Object.entries(makers)) {
      const name = baseName + ruleName;
      const rows = machines.map(make);
      const grid = sweepGrid(machines.flatMap((m, i) => windowMax(m.frame.timestamps, rows[i].score, runs[i].ends)));
      let chosen: { threshold: number; scores: MachineScore[] } | null = null;
      for (const threshold of grid) {
        const rule = {
          threshold,
          average: spanRule.average,
          minSpanWindows: spanRule.minSpanWindows,
          mergeGap: o.mergeGap,
        };
        const scores = machines.map((m, i) => {
          const starts = spanRule.tail ? runs[i].ends.map((t) => t - (o.stride - 1) * m.frame.stepMs) : runs[i].starts;
          return scoreMachine(m, baselineDetection(m, rows[i], runs[i].ends, starts, rule));
        });
        const p = pool(scores);
        if (p.fp / p.days <= auraFp) {
          chosen = { threshold, scores };
          break;
        }
      }
      if (chosen) result.baselines[name] = chosen;
    }
  return result;
}

/** How a settings object's thresholds read in the tables. */
export function thresholdLabel(options: Partial<TimelineOptions>): string {
  const o = { ...DEFAULT_TIMELINE_OPTIONS, ...options };
  const alone = Number.isFinite(o.fastSingle) ? `, one series alone ${o.fastSingle}` : '';
  return (
    `${o.threshold} (robust z)` +
    (o.fast ? `, fast ${o.fastThreshold} (level z)${alone}, sustained ${o.sustained}` : '')
  );
}

export function printEvaluation(
  machines: Machine[],
  e: Evaluation,
  auraLabel = 'AURA',
  options: Partial<TimelineOptions> = {},
): void {
  console.log(HEADER);
  const methods: [string, string, MachineScore[]][] = [
    [auraLabel, thresholdLabel(options), e.aura],
    ...Object.entries(e.baselines).map(
      ([name, b]) => [name, `${b.threshold.toPrecision(3)} (matched)`, b.scores] as [string, string, MachineScore[]],
    ),
  ];
  machines.forEach((m, i) => {
    for (const [name, th, scores] of methods) console.log(row(`${m.name} · ${name}`, scores[i], th));
  });
  for (const [name, th, scores] of methods) console.log(row(`**pooled** · ${name}`, pool(scores), th));
}

export async function run(): Promise<void> {
  if (!existsSync(join(smdDir, 'manifest.json'))) {
    console.log('SKIPPED: ../shared/data/smd is missing (the reference data folder beside the checkout)');
    return;
  }
  const names = devMachineNames();
  const machines = await Promise.all(names.map(loadMachine));
  console.log(
    `SMD dev machines ${names.join(', ')}: baseline = train file, scored = test file; the long window alone (fast scale off; window ${DEFAULT_TIMELINE_OPTIONS.window}, stride ${DEFAULT_TIMELINE_OPTIONS.stride}, threshold ${DEFAULT_TIMELINE_OPTIONS.threshold}). Baseline thresholds matched to AURA's pooled false spans/day on these same machines.\n`,
  );
  const e = await evaluate(machines, FAST_OFF);
  printEvaluation(machines, e, 'AURA, fast off', FAST_OFF);
  console.log(
    `\nAURA time per machine (47k rows × 38 series): ${e.seconds.map((s) => s.toFixed(0) + ' s').join(', ')}`,
  );
  const lomo = await leaveOneMachineOut(machines);
  // The default settings: a 16-day baseline turns the fast scale on (fast 'auto'), with its own settings
  // as chosen on all three dev machines (in-sample; the held-out rows above are the result).
  console.log(
    `\nThe default settings, IN-SAMPLE (what \`aura analyze\` does on these files: the fast scale on by its rule, the baseline spans a day or more; fast ${DEFAULT_TIMELINE_OPTIONS.fastThreshold}, one series alone ${DEFAULT_TIMELINE_OPTIONS.fastSingle}, threshold ${DEFAULT_TIMELINE_OPTIONS.threshold}; those fast thresholds were picked on these three machines), with the baselines matched to its false spans/day:\n`,
  );
  const byDefault = await evaluate(machines);
  printEvaluation(machines, byDefault, 'AURA default (fast on)');
  const tuned = { threshold: 12 };
  console.log(
    `\nWith --threshold 12, IN-SAMPLE (the topology's threshold every leave-one-machine-out fold picked; not the default: on generated fleets with a day of baseline it missed slow failures that threshold 4 caught, scripts/eval-fast-threshold.ts):\n`,
  );
  printEvaluation(machines, await evaluate(machines, tuned), 'AURA, threshold 12 (fast on)', tuned);
  console.log(
    `\nSummary, pooled over the ${machines.length} dev machines (held out = chosen without the machine scored):\n`,
  );
  console.log(HEADER);
  console.log(
    row(
      'fast scale at threshold 4 (the default form), HELD OUT for its thresholds',
      lomo.atDefault,
      'fast thresholds chosen on the other machines; the form (sustained 2, one series alone) designed looking at all three',
    ),
  );
  console.log(row('default settings, in-sample', pool(byDefault.aura), thresholdLabel({})));
  const before = { sustained: 0 };
  console.log(
    row(
      'default but sustained 0 (the rule off), in-sample',
      pool((await evaluate(machines, before, false)).aura),
      thresholdLabel(before),
    ),
  );
  console.log(row(`best of ${CANDIDATES.length} settings, HELD OUT`, lomo.all, 'chosen by LOMO'));
  console.log(row('fast off, in-sample (no choice made)', pool(e.aura), thresholdLabel(FAST_OFF)));
  await unlabelledMachines([
    ['fast off', FAST_OFF],
    ['default (fast on)', {}],
    ['threshold 12 (fast on)', tuned],
  ]);
}

/** The long window alone: the settings before the fast scale, and the default where its rule says off. */
const FAST_OFF: Partial<TimelineOptions> = { fast: false };

/**
 * Spans a day on the machines without labels (their train files, never used for any choice): the first
 * half is the baseline, the second half is scored. SMD's train halves are mostly normal operation, so
 * these spans are an upper bound on false spans on machines the settings have never seen.
 */
async function unlabelledMachines(settings: [string, Partial<TimelineOptions>][]): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(smdDir, 'manifest.json'), 'utf8')) as Record<string, MachineEntry>;
  const names = Object.keys(manifest)
    .filter((k) => !manifest[k].test)
    .sort();
  console.log(
    `\nSpans per day on the ${names.length} machines without labels (train file: first half baseline, second half scored; an upper bound on false spans, on machines no choice has seen):\n`,
  );
  console.log(
    `| machine | days | ${settings.map(([n]) => n).join(' | ')} |\n| --- | ---: |${' ---: |'.repeat(settings.length)}`,
  );
  const workers = new NodePool();
  const totals = settings.map(() => 0);
  let allDays = 0;
  try {
    for (const name of names) {
      const frame = await loadGz(manifest[name].train);
      const half = Math.floor(frame.timestamps.length / 2);
      const days = ((frame.timestamps.length - half) * frame.stepMs) / 86_400_000;
      allDays += days;
      const counts: number[] = [];
      for (const [, options] of settings) {
        const tl = new AnomalyTimeline(cached(workers, `${name}-train`), { ...options, baselineRows: half });
        const out = await tl.update(frame);
        counts.push(out.anomalies.filter((a) => (a.detectedAt ?? a.end) >= frame.timestamps[half]).length);
      }
      counts.forEach((c, k) => (totals[k] += c));
      console.log(`| ${name} | ${days.toFixed(1)} | ${counts.map((c) => f2(c / days)).join(' | ')} |`);
    }
    saveCaches();
  } finally {
    await workers.close();
  }
  console.log(`| **all** | ${allDays.toFixed(1)} | ${totals.map((c) => f2(c / allDays)).join(' | ')} |`);
}

/**
 * The choice rule: the highest event recall within 1 false span/day (ties: point F1); when nothing meets
 * the budget, the highest recall of all. `index` maps a position in `scores` to what it stands for.
 */
function choose(scores: MachineScore[], index: (k: number) => number = (k) => k): number {
  const all = scores.map((p, k) => ({ k, p }));
  const ok = all.filter((x) => x.p.fp / x.p.days <= 1);
  const best = (ok.length ? ok : all).reduce((a, b) =>
    b.p.recall > a.p.recall || (b.p.recall === a.p.recall && b.p.f1 > a.p.f1) ? b : a,
  );
  return index(best.k);
}

/**
 * Settings tried by leave-one-machine-out (defaults first). The level-statistic rows share the default
 * window's persistence computations (cache.ts), so they cost little; `window 30` needs its own.
 */
const CANDIDATES: [string, Partial<TimelineOptions>][] = [
  // The long window alone (fast off, as before the fast scale): thresholds, windows, the level statistic.
  ...(
    [
      ['fast off', {}],
      ['threshold 3.5', { threshold: 3.5 }],
      ['average 1', { average: 1 }],
      ['window 30, stride 5', { window: 30, stride: 5 }],
      ['window 30, stride 5, threshold 3.5', { window: 30, stride: 5, threshold: 3.5 }],
      ['level', { fuseLevel: true }],
      ['level, threshold 5', { fuseLevel: true, threshold: 5 }],
      ['level, threshold 6', { fuseLevel: true, threshold: 6 }],
      ['level, threshold 8', { fuseLevel: true, threshold: 8 }],
      ['level (window centre)', { fuseLevel: true, levelCentre: 'window' }],
      ['level (window centre), threshold 5', { fuseLevel: true, levelCentre: 'window', threshold: 5 }],
      ['level (window centre), threshold 6', { fuseLevel: true, levelCentre: 'window', threshold: 6 }],
      ['level, window 30, stride 5', { fuseLevel: true, window: 30, stride: 5 }],
      ['level, window 30, stride 5, threshold 6', { fuseLevel: true, window: 30, stride: 5, threshold: 6 }],
    ] as [string, Partial<TimelineOptions>][]
  ).map(([name, o]): [string, Partial<TimelineOptions>] => [name, { ...FAST_OFF, ...o }]),
  // The fast scale beside the long window, on news ('both': a span opens on a row off the baseline and
  // the window before it; the baseline-only centre doubled fleet false spans): its own threshold (level
  // z), the topology's (robust z), and whether one series alone at 10 × the fast threshold may flag.
  // At the default threshold 4 also `sustained`: how many of a long-window span's windows must pass the
  // threshold on their own score when the fast scale flagged none (0: the two-window rule alone).
  ...[4, 6, 8, 12].flatMap((threshold) =>
    (threshold === 4 ? [0, 2, 3] : [0]).flatMap((sustained) =>
      [12, 15, 20, 25].flatMap((fastThreshold) =>
        [Infinity, 10].map((single): [string, Partial<TimelineOptions>] => [
          `fast ${fastThreshold} (news)${Number.isFinite(single) ? `, alone ${single * fastThreshold}` : ''}, threshold ${threshold}, sustained ${sustained}`,
          { fast: true, fastThreshold, threshold, fastCentre: 'both', fastSingle: single * fastThreshold, sustained },
        ]),
      ),
    ),
  ),
];

/** Per held-out machine, the candidate among `among` chosen on the other machines, and the pooled row. */
function heldOut(machines: Machine[], runs: MachineScore[][], among: number[]): MachineScore {
  console.log(HEADER);
  const held: MachineScore[] = [];
  machines.forEach((m, i) => {
    const c = choose(
      among.map((k) => pool(runs[k].filter((_, j) => j !== i))),
      (k) => among[k],
    );
    held.push(runs[c][i]);
    console.log(row(`${m.name} (held out)`, runs[c][i], `chosen on the others: ${CANDIDATES[c][0]}`));
  });
  console.log(row('**pooled held-out**', pool(held), 'per-machine choice'));
  return pool(held);
}

/**
 * Leave-one-machine-out: for each dev machine, the candidate with the highest event recall on the other
 * two within 1 false span/day (ties: point F1) is chosen, then reported on the held-out machine. Only the
 * held-out rows are results; the choice never sees the machine it is reported on.
 */
export async function leaveOneMachineOut(
  machines: Machine[],
): Promise<{ runs: MachineScore[][]; all: MachineScore; atDefault: MachineScore }> {
  const runs: MachineScore[][] = [];
  for (const [, options] of CANDIDATES) runs.push((await evaluate(machines, options, false)).aura);
  console.log('\nLeave-one-machine-out over the settings ' + CANDIDATES.map(([n]) => `"${n}"`).join(', ') + ':\n');
  const all = heldOut(
    machines,
    runs,
    CANDIDATES.map((_, c) => c),
  );
  // The default form: the topology at the app's default threshold and `sustained` at its default; the fast
  // scale's own thresholds chosen on the other machines.
  const d = DEFAULT_TIMELINE_OPTIONS;
  const atDefault = CANDIDATES.map((_, c) => c).filter((c) => {
    const o = CANDIDATES[c][1];
    return o.fast && (o.threshold ?? d.threshold) === d.threshold && (o.sustained ?? d.sustained) === d.sustained;
  });
  console.log(
    `\nThe same over the fast-scale settings of the default form (threshold ${d.threshold}, sustained ${d.sustained}; the fast thresholds chosen):\n`,
  );
  const held = heldOut(machines, runs, atDefault);
  console.log('\nEvery candidate on every machine (in-sample, for reading the choice):\n');
  console.log(HEADER);
  CANDIDATES.forEach(([name], c) => console.log(row(`pooled · ${name}`, pool(runs[c]))));
  return { runs, all, atDefault: held };
}

// `node bin/run-ts.js scripts/eval-smd.ts lomo`: the leave-one-machine-out table alone.
// `node bin/run-ts.js scripts/eval-smd.ts '{"threshold":5}'`: one variant, AURA only, for tuning.
if (process.argv[1] && process.argv[1].endsWith('eval-smd.ts') && process.argv[2] === 'lomo') {
  await leaveOneMachineOut(await Promise.all(devMachineNames().map(loadMachine)));
} else if (process.argv[1] && process.argv[1].endsWith('eval-smd.ts') && process.argv[2]) {
  const machines = await Promise.all(devMachineNames().map(loadMachine));
  const e = await evaluate(machines, JSON.parse(process.argv[2]) as Partial<TimelineOptions>, false);
  console.log(HEADER);
  machines.forEach((m, i) => console.log(row(m.name, e.aura[i])));
  console.log(row('pooled', pool(e.aura)));
}
