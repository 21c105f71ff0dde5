// `npm run eval -- timeline`: the anomaly timeline on the 17 NAB AWS series in ../shared/data/nab
// (univariate, so the delay-embedding path), scored against NAB's labelled anomaly windows.
//
// Honest protocol: the files are split, fixed and by file (scripts/nab-split.ts, the split every NAB
// evaluation uses; each kind of series sits on both sides). Every threshold is chosen on the tuning
// half only, then applied unchanged to the test half, which is the result; the tuning half's figures
// are printed too, labelled in-sample.
//   - AURA, two rows: "topology + level jump" (the default, the level-jump statistic fused into the
//     score) and "topology only"; each at the threshold of THRESHOLDS that gives the highest event
//     recall on the tuning half with at most MAX_FP_PER_DAY false spans a day (ties: fewer false spans).
//   - Baselines, doing the same work: rolling z (|x − mean| / sd over the previous window) and static z
//     (mean and sd of the timeline's baseline span), scored at the timeline's window ends, averaged over
//     the same number of windows and grouped with the same minimum-span and merge rule
//     (scripts/eval/metrics.ts spansByRule); each at the lowest threshold of a sweep whose false spans
//     per day on the tuning half do not exceed the chosen "topology + level jump" row's there.
// Metrics: event recall (a labelled window overlapped by a span), false spans per day (spans overlapping
// no labelled window), AUC-PR of the window score (a window end inside a labelled window is positive;
// files without labels left out of the mean), median detection delay (detectedAt − labelled window start; NAB
// windows open well before the labelled point, so this delay is long by construction).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { importText } from '../src/lib/ingest/index.ts';
import { alignFrame } from '../src/lib/cloud/align.ts';
import { AnomalyTimeline, DEFAULT_TIMELINE_OPTIONS, type TimelineOptions } from '../src/lib/timeline/index.ts';
import { NodePool } from '../src/node/pool.ts';
import type { AlignedFrame } from '../src/lib/frame/types.ts';
import type { AnomalySpan, TimelinePoint } from '../src/lib/report/types.ts';
import {
  averagePrecision,
  detectionDelays,
  falseSpans,
  overlaps,
  quantile,
  spansByRule,
  type EvalSpan,
  type Interval,
} from './eval/metrics.ts';
import { rollingZ, SD_FLOOR, windowMax } from './eval/baselines.ts';
import { NAB_TEST_FILES, NAB_TUNING_FILES } from './nab-split.ts';
import { CachingRunner } from './eval/cache.ts';

const here = dirname(fileURLToPath(import.meta.url));
const nabDir = resolve(here, '../../shared/data/nab');

/** The fixed split, by file, shared with the other NAB evaluations (scripts/nab-split.ts). */
const TUNING = NAB_TUNING_FILES;
const TEST = NAB_TEST_FILES;

/** AURA thresholds tried on the tuning half (robust z). */
const THRESHOLDS = [3, 3.5, 4, 4.5, 5, 6, 7, 8];
/** The false-span budget a threshold must meet on the tuning half. */
const MAX_FP_PER_DAY = 1;
/** Baseline thresholds tried (z units). */
const BASELINE_SWEEP = Array.from({ length: 60 }, (_, i) => 2 * 1.06 ** i);

interface Labels {
  anomalyWindows: Record<string, [string, string][]>;
}

interface NabFile {
  name: string;
  frame: AlignedFrame;
  labels: Interval[];
  days: number;
}

/** One method's output on one file. */
interface Output {
  spans: EvalSpan[];
  /** Score at each window end. */
  scores: number[];
  ends: number[];
}

interface Score {
  events: number;
  found: number;
  fp: number;
  days: number;
  ap: number;
  delays: number[];
}

const parseLabelTime = (s: string) => Date.parse(s.replace(' ', 'T').replace(/\.\d+$/, '') + 'Z');

function loadFiles(names: readonly string[]): NabFile[] {
  const labels = JSON.parse(readFileSync(join(nabDir, 'labels.json'), 'utf8')) as Labels;
  return names.map((name) => {
    const frame = alignFrame(importText(readFileSync(join(nabDir, name), 'utf8'), { origin: name })).frame;
    const ts = frame.timestamps;
    return {
      name,
      frame,
      labels: (labels.anomalyWindows[name] ?? []).map(([a, b]) => ({
        start: parseLabelTime(a),
        end: parseLabelTime(b),
      })),
      days: (ts[ts.length - 1] - ts[0]) / 86_400_000,
    };
  });
}

function detectedAt(span: AnomalySpan, points: TimelinePoint[]): number {
  const own = (span as { detectedAt?: number }).detectedAt;
  if (typeof own === 'number') return own;
  return points.find((p) => p.anomalous && p.t >= span.start && p.t <= span.end)?.t ?? span.end;
}

interface AuraOutput extends Output {
  starts: number[];
  baselineEnd: number;
}

/** Persistence answers per file: the threshold sweep only rescores, so each file's windows are computed once. */
const stores = new Map<string, Map<string, unknown>>();

async function runAura(pool: NodePool, files: NabFile[], options: Partial<TimelineOptions>): Promise<AuraOutput[]> {
  const out: AuraOutput[] = [];
  for (const f of files) {
    if (!stores.has(f.name)) stores.set(f.name, new Map());
    const r = await new AnomalyTimeline(new CachingRunner(pool, stores.get(f.name)!), options).update(f.frame);
    const widthMs = (r.settings.window - 1) * f.frame.stepMs;
    out.push({
      spans: r.anomalies.map((s) => ({ start: s.start, end: s.end, detectedAt: detectedAt(s, r.points) })),
      scores: r.points.map((p) => p.score),
      ends: r.points.map((p) => p.t),
      starts: r.points.map((p) => p.t - widthMs),
      baselineEnd: r.baseline?.end ?? f.frame.timestamps[0],
    });
  }
  return out;
}

/** Static z: |x − mean| / sd with mean and sd from the rows up to the timeline's baseline end; NaN inside it. */
function staticZ(frame: AlignedFrame, baselineEnd: number): Float64Array {
  const x = frame.columns[0];
  let s = 0;
  let ss = 0;
  let c = 0;
  for (let i = 0; i < x.length && frame.timestamps[i] <= baselineEnd; i++)
    if (Number.isFinite(x[i])) {
      s += x[i];
      ss += x[i] * x[i];
      c++;
    }
  const mean = s / c;
  const sd = Math.max(SD_FLOOR * spread(x), Math.sqrt(Math.max(0, ss / c - mean * mean)));
  return Float64Array.from(x, (v, i) => (frame.timestamps[i] <= baselineEnd ? NaN : Math.abs(v - mean) / sd));
}

/** Range of the finite values, so the sd floor is relative to each series' own units (NAB is not scaled). */
function spread(x: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  return hi > lo ? hi - lo : 1;
}

/** A baseline's raw window scores for every file, at AURA's window ends. */
function baselineRaw(files: NabFile[], aura: AuraOutput[], which: 'rolling' | 'static', window: number): number[][] {
  return files.map((f, i) => {
    let rows: Float64Array;
    if (which === 'rolling') {
      // Scaled to 0–1 first so the shared sd floor means the same for every series.
      const x = f.frame.columns[0];
      const lo = Math.min(...Array.from(x).filter(Number.isFinite));
      const w = spread(x);
      const scaled = { ...f.frame, columns: [Float64Array.from(x, (v) => (v - lo) / w)] };
      rows = rollingZ(scaled, window).score;
    } else rows = staticZ(f.frame, aura[i].baselineEnd);
    return windowMax(f.frame.timestamps, rows, aura[i].ends);
  });
}

function baselineOutputs(raws: number[][], aura: AuraOutput[], threshold: number, o: TimelineOptions): Output[] {
  const rule = { threshold, average: o.average, minSpanWindows: o.minSpanWindows, mergeGap: o.mergeGap };
  return raws.map((raw, i) => ({
    spans: spansByRule({ t: aura[i].ends, start: aura[i].starts, raw }, rule),
    scores: raw,
    ends: aura[i].ends,
  }));
}

function scoreFile(f: NabFile, m: Output): Score {
  const positive = m.ends.map((t) => f.labels.some((l) => t >= l.start && t <= l.end));
  return {
    events: f.labels.length,
    found: f.labels.filter((l) => m.spans.some((s) => overlaps(s, l))).length,
    fp: falseSpans(m.spans, f.labels),
    days: f.days,
    ap: averagePrecision(m.scores, positive),
    delays: detectionDelays(m.spans, f.labels),
  };
}

interface Overall {
  recall: number;
  fpPerDay: number;
  auc: number;
  delay: number;
}

function overall(scores: Score[]): Overall {
  const sum = (g: (s: Score) => number) => scores.reduce((a, s) => a + g(s), 0);
  const aps = scores.map((s) => s.ap).filter(Number.isFinite);
  return {
    recall: sum((s) => s.found) / sum((s) => s.events),
    fpPerDay: sum((s) => s.fp) / sum((s) => s.days),
    auc: aps.reduce((a, b) => a + b, 0) / aps.length,
    delay: quantile(
      scores.flatMap((s) => s.delays),
      0.5,
    ),
  };
}

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');

/** The AURA threshold chosen on the tuning half: highest recall within the false-span budget, then fewest false spans. */
function choose<T extends { threshold: number; o: Overall }>(sweep: T[]): T {
  const ok = sweep.filter((s) => s.o.fpPerDay <= MAX_FP_PER_DAY);
  const pool = ok.length ? ok : sweep;
  return pool.reduce((best, s) =>
    s.o.recall > best.o.recall || (s.o.recall === best.o.recall && s.o.fpPerDay < best.o.fpPerDay) ? s : best,
  );
}

export async function evaluate(log = true) {
  const tuning = loadFiles(TUNING);
  const test = loadFiles(TEST);
  const workers = new NodePool();
  const methods: { name: string; threshold: string; tuning: Score[]; test: Score[] }[] = [];
  try {
    const variants = [
      // Single series: the fast scale's default ('auto') is off here; the rows without it say so.
      ['topology + level jump', { fuseJump: true, fuseLevel: false, fast: false }],
      ['topology only', { fuseJump: false, fuseLevel: false, fast: false }],
      ['topology + level jump + level statistic', { fuseJump: true, fuseLevel: true, fast: false }],
      [
        'topology + level jump + level statistic (window centre)',
        { fuseJump: true, fuseLevel: true, levelCentre: 'window', fast: false },
      ],
      // Forced on, a single series can flag by the fast scale only alone (fastSingle, 10 × its threshold).
      ['topology + level jump + fast scale', { fuseJump: true, fast: true }],
    ] as const;
    let reference: { o: TimelineOptions; tuning: AuraOutput[]; test: AuraOutput[]; fp: number } | null = null;
    for (const [name, variant] of variants) {
      const sweep: { threshold: number; o: Overall; outs: AuraOutput[] }[] = [];
      for (const threshold of THRESHOLDS) {
        const outs = await runAura(workers, tuning, { ...variant, threshold });
        sweep.push({ threshold, outs, o: overall(tuning.map((f, i) => scoreFile(f, outs[i]))) });
      }
      if (log) {
        console.log(`\n${name}, threshold sweep on the tuning half (in-sample):\n`);
        console.log(`| threshold | ${THRESHOLDS.join(' | ')} |\n| --- |${' ---: |'.repeat(THRESHOLDS.length)}`);
        console.log(`| event recall | ${sweep.map((s) => f2(s.o.recall)).join(' | ')} |`);
        console.log(`| false spans/day | ${sweep.map((s) => f2(s.o.fpPerDay)).join(' | ')} |`);
      }
      const chosen = choose(sweep);
      const o = { ...DEFAULT_TIMELINE_OPTIONS, ...variant, threshold: chosen.threshold };
      const testOuts = await runAura(workers, test, o);
      methods.push({
        name,
        threshold: `${chosen.threshold} (robust z)`,
        tuning: tuning.map((f, i) => scoreFile(f, chosen.outs[i])),
        test: test.map((f, i) => scoreFile(f, testOuts[i])),
      });
      reference ??= { o, tuning: chosen.outs, test: testOuts, fp: chosen.o.fpPerDay };
    }
    const ref = reference!;
    for (const [name, which] of [
      ['rolling z', 'rolling'],
      ['static z', 'static'],
    ] as const) {
      const rawTuning = baselineRaw(tuning, ref.tuning, which, ref.o.window);
      const rawTest = baselineRaw(test, ref.test, which, ref.o.window);
      let threshold = BASELINE_SWEEP[BASELINE_SWEEP.length - 1];
      for (const k of BASELINE_SWEEP) {
        const outs = baselineOutputs(rawTuning, ref.tuning, k, ref.o);
        if (overall(tuning.map((f, i) => scoreFile(f, outs[i]))).fpPerDay <= ref.fp) {
          threshold = k;
          break;
        }
      }
      const tuned = baselineOutputs(rawTuning, ref.tuning, threshold, ref.o);
      const applied = baselineOutputs(rawTest, ref.test, threshold, ref.o);
      methods.push({
        name,
        threshold: `${threshold.toFixed(1)} (z, matched)`,
        tuning: tuning.map((f, i) => scoreFile(f, tuned[i])),
        test: test.map((f, i) => scoreFile(f, applied[i])),
      });
    }
  } finally {
    await workers.close();
  }
  if (log) print(test, methods);
  return Object.fromEntries(methods.map((m) => [m.name, { test: overall(m.test), tuning: overall(m.tuning) }]));
}

function print(test: NabFile[], methods: { name: string; threshold: string; tuning: Score[]; test: Score[] }[]) {
  console.log('\n**Result: the test half** (thresholds chosen on the tuning half):\n');
  const names = methods.map((m) => m.name);
  console.log(
    `| file | events | ${names.map((n) => `recall ${n}`).join(' | ')} | ${names.map((n) => `FP/day ${n}`).join(' | ')} |`,
  );
  console.log(`| --- | ---: |${' ---: |'.repeat(names.length * 2)}`);
  test.forEach((f, i) => {
    const s = methods.map((m) => m.test[i]);
    console.log(
      `| ${f.name.replace(/\.csv$/, '')} | ${f.labels.length} | ${s.map((x) => `${x.found}/${x.events}`).join(' | ')} | ${s.map((x) => f2(x.fp / x.days)).join(' | ')} |`,
    );
  });
  console.log(
    '\n| method | threshold (chosen on tuning) | half | event recall | false spans/day | AUC-PR | median delay (min) |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
  for (const half of ['test', 'tuning'] as const)
    for (const m of methods) {
      const o = overall(m[half]);
      const label = half === 'test' ? '**test (result)**' : 'tuning (in-sample)';
      console.log(
        `| ${m.name} | ${m.threshold} | ${label} | ${f2(o.recall)} | ${f2(o.fpPerDay)} | ${f2(o.auc)} | ${Number.isFinite(o.delay) ? (o.delay / 60_000).toFixed(0) : '-'} |`,
      );
    }
}

export async function run(): Promise<void> {
  if (!existsSync(join(nabDir, 'labels.json'))) {
    console.log('SKIPPED: ../shared/data/nab is missing (the reference data folder beside the checkout)');
    return;
  }
  console.log(
    `NAB AWS series in ../shared/data/nab: ${TUNING.length} tuning files, ${TEST.length} test files (fixed split in scripts/nab-split.ts). Window ${DEFAULT_TIMELINE_OPTIONS.window}, stride ${DEFAULT_TIMELINE_OPTIONS.stride}; thresholds chosen on the tuning half for the most event recall at ≤ ${MAX_FP_PER_DAY} false span/day.`,
  );
  await evaluate();
}
