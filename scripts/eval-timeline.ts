// `npm run eval` (or `node bin/run-ts.js scripts/eval.ts timeline`): the anomaly timeline on every NAB
// series in ../shared/data/nab (univariate, so the delay-embedding path), scored against NAB's labelled
// anomaly windows, side by side with two simple baselines computed on the same evaluation points:
//   - rolling z: |x − mean| / sd over the previous `window` samples, flagged above 4;
//   - static: |x − mean| / sd with mean and sd fitted on the same baseline span the timeline uses, above 4.
// Metrics, per file and overall:
//   - event recall: share of labelled windows overlapped by at least one flagged span;
//   - false-positive spans per day: flagged spans overlapping no labelled window, per day of data;
//   - AUC-PR: average precision of the score over the evaluation points (window ends), a point being
//     positive when it lies inside a labelled window (files without labels are left out of the mean).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { importText } from '../src/lib/ingest/index.ts';
import { alignFrame } from '../src/lib/cloud/align.ts';
import { meanStd } from '../src/lib/cloud/stats.ts';
import { AnomalyTimeline, DEFAULT_TIMELINE_OPTIONS, type TimelineOptions } from '../src/lib/timeline/index.ts';
import { NodePool } from '../src/node/pool.ts';
import type { AlignedFrame } from '../src/lib/frame/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const nabDir = resolve(here, '../../shared/data/nab');

interface Labels {
  anomalyWindows: Record<string, [string, string][]>;
}

interface Span {
  start: number;
  end: number;
}

interface MethodResult {
  spans: Span[];
  /** Score at each evaluation point. */
  scores: number[];
}

interface FileScore {
  events: number;
  found: number;
  fp: number;
  days: number;
  ap: number;
}

const parseLabelTime = (s: string) => Date.parse(s.replace(' ', 'T').replace(/\.\d+$/, '') + 'Z');
const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

/** Average precision: mean of the precision at the rank of each positive (ties broken pessimistically). */
export function averagePrecision(scores: number[], positive: boolean[]): number {
  const order = scores
    .map((s, i) => i)
    .sort((a, b) => scores[b] - scores[a] || Number(positive[a]) - Number(positive[b]));
  const total = positive.filter(Boolean).length;
  if (total === 0) return NaN;
  let tp = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (positive[i]) {
      tp++;
      sum += tp / (rank + 1);
    }
  });
  return sum / total;
}

/** Groups flagged samples into spans, merging flags at most `gap` samples apart. */
function spansOf(flags: boolean[], times: Float64Array, gap: number): Span[] {
  const out: Span[] = [];
  let last = -Infinity;
  flags.forEach((f, i) => {
    if (!f) return;
    if (out.length && i - last <= gap) out[out.length - 1].end = times[i];
    else out.push({ start: times[i], end: times[i] });
    last = i;
  });
  return out;
}

/** A per-sample score turned into the score at each evaluation point: the max over the rows since the previous one. */
function atPoints(sampleScore: Float64Array, times: Float64Array, points: number[]): number[] {
  const out: number[] = [];
  let r = 0;
  for (const t of points) {
    let best = -Infinity;
    while (r < times.length && times[r] <= t) {
      if (Number.isFinite(sampleScore[r])) best = Math.max(best, sampleScore[r]);
      r++;
    }
    out.push(best === -Infinity ? 0 : best);
  }
  return out;
}

function rollingZ(frame: AlignedFrame, window: number, k: number, points: number[], gap: number): MethodResult {
  const x = frame.columns[0];
  const z = new Float64Array(x.length).fill(NaN);
  for (let i = window; i < x.length; i++) {
    const { mean, std } = meanStd(x, i - window, i);
    if (Number.isFinite(x[i]) && std > 0) z[i] = Math.abs(x[i] - mean) / std;
  }
  const flags = Array.from(z, (v) => v > k);
  return { spans: spansOf(flags, frame.timestamps, gap), scores: atPoints(z, frame.timestamps, points) };
}

function staticThreshold(
  frame: AlignedFrame,
  baselineEnd: number,
  k: number,
  points: number[],
  gap: number,
): MethodResult {
  const x = frame.columns[0];
  let rows = 0;
  while (rows < frame.timestamps.length && frame.timestamps[rows] <= baselineEnd) rows++;
  const { mean, std } = meanStd(x, 0, rows);
  const z = Float64Array.from(x, (v, i) => (i < rows || !(std > 0) ? NaN : Math.abs(v - mean) / std));
  const flags = Array.from(z, (v) => v > k);
  return { spans: spansOf(flags, frame.timestamps, gap), scores: atPoints(z, frame.timestamps, points) };
}

function scoreFile(m: MethodResult, labels: Span[], points: number[], days: number): FileScore {
  const found = labels.filter((l) => m.spans.some((s) => overlaps(s, l))).length;
  const fp = m.spans.filter((s) => !labels.some((l) => overlaps(s, l))).length;
  const positive = points.map((t) => labels.some((l) => t >= l.start && t <= l.end));
  return { events: labels.length, found, fp, days, ap: averagePrecision(m.scores, positive) };
}

const METHODS = ['topology', 'rolling z', 'static'] as const;
const SWEEP = [3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30];

/** Each baseline at the lowest threshold k (of SWEEP) whose false positives per day do not exceed the topology's. */
function printMatched(
  sweep: { k: number; rolling: FileScore; static: FileScore }[],
  topo: { recall: number; fpPerDay: number },
) {
  console.log(`\nAt a matched false-positive rate (≤ ${topo.fpPerDay.toFixed(2)} FP/day, the topology's):\n`);
  console.log('| method | threshold k | recall | FP/day |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| topology | (default) | ${topo.recall.toFixed(2)} | ${topo.fpPerDay.toFixed(2)} |`);
  for (const which of ['rolling', 'static'] as const) {
    let chosen: { k: number; recall: number; fp: number } | null = null;
    for (const k of SWEEP) {
      const at = sweep.filter((x) => x.k === k).map((x) => x[which]);
      const events = at.reduce((a, r) => a + r.events, 0);
      const found = at.reduce((a, r) => a + r.found, 0);
      const fp = at.reduce((a, r) => a + r.fp, 0) / at.reduce((a, r) => a + r.days, 0);
      if (fp <= topo.fpPerDay) {
        chosen = { k, recall: found / events, fp };
        break;
      }
    }
    const name = which === 'rolling' ? 'rolling z' : 'static';
    console.log(
      chosen
        ? `| ${name} | ${chosen.k} | ${chosen.recall.toFixed(2)} | ${chosen.fp.toFixed(2)} |`
        : `| ${name} | none ≤ ${SWEEP[SWEEP.length - 1]} | - | - |`,
    );
  }
}

export async function evaluate(options: Partial<TimelineOptions> = {}, log = true) {
  const labels = JSON.parse(readFileSync(join(nabDir, 'labels.json'), 'utf8')) as Labels;
  const files = readdirSync(nabDir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const o = { ...DEFAULT_TIMELINE_OPTIONS, ...options };
  const pool = new NodePool();
  const rows: { file: string; scores: Record<string, FileScore> }[] = [];
  const sweep: { k: number; rolling: FileScore; static: FileScore }[] = [];
  try {
    for (const file of files) {
      const frame = importText(readFileSync(join(nabDir, file), 'utf8'), { origin: file });
      const aligned = alignFrame(frame).frame;
      const out = await new AnomalyTimeline(pool, options).update(aligned);
      const points = out.points.map((p) => p.t);
      const label = (labels.anomalyWindows[file] ?? []).map(([a, b]) => ({
        start: parseLabelTime(a),
        end: parseLabelTime(b),
      }));
      const days = (aligned.timestamps[aligned.timestamps.length - 1] - aligned.timestamps[0]) / 86_400_000;
      const gap = o.stride * (o.mergeGap + 1);
      const results: Record<string, MethodResult> = {
        topology: { spans: out.anomalies, scores: out.points.map((p) => p.score) },
        'rolling z': rollingZ(aligned, o.window, 4, points, gap),
        static: staticThreshold(aligned, out.baseline?.end ?? aligned.timestamps[0], 4, points, gap),
      };
      const scores: Record<string, FileScore> = {};
      for (const m of METHODS) scores[m] = scoreFile(results[m], label, points, days);
      rows.push({ file, scores });
      // The baselines at other thresholds, for a comparison at a matched false-positive rate.
      for (const k of SWEEP) {
        const base = out.baseline?.end ?? aligned.timestamps[0];
        sweep.push({
          k,
          rolling: scoreFile(rollingZ(aligned, o.window, k, points, gap), label, points, days),
          static: scoreFile(staticThreshold(aligned, base, k, points, gap), label, points, days),
        });
      }
    }
  } finally {
    await pool.close();
  }
  const overall: Record<string, { recall: number; fpPerDay: number; auc: number }> = {};
  for (const m of METHODS) {
    const events = rows.reduce((a, r) => a + r.scores[m].events, 0);
    const found = rows.reduce((a, r) => a + r.scores[m].found, 0);
    const fp = rows.reduce((a, r) => a + r.scores[m].fp, 0);
    const days = rows.reduce((a, r) => a + r.scores[m].days, 0);
    const aps = rows.map((r) => r.scores[m].ap).filter(Number.isFinite);
    overall[m] = { recall: found / events, fpPerDay: fp / days, auc: aps.reduce((a, b) => a + b, 0) / aps.length };
  }
  if (log) printTable(rows, overall);
  if (log) printMatched(sweep, overall.topology);
  return overall;
}

function printTable(
  rows: { file: string; scores: Record<string, FileScore> }[],
  overall: Record<string, { recall: number; fpPerDay: number; auc: number }>,
) {
  const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
  const head = `| file | events | ${METHODS.map((m) => `recall ${m}`).join(' | ')} | ${METHODS.map((m) => `FP/day ${m}`).join(' | ')} | ${METHODS.map((m) => `AUC-PR ${m}`).join(' | ')} |`;
  console.log(head);
  console.log(
    `| --- | ---: | ${Array(METHODS.length * 3)
      .fill('---:')
      .join(' | ')} |`,
  );
  for (const r of rows) {
    const s = r.scores;
    console.log(
      `| ${r.file.replace(/\.csv$/, '')} | ${s.topology.events} | ${METHODS.map((m) => `${s[m].found}/${s[m].events}`).join(' | ')} | ${METHODS.map((m) => f2(s[m].fp / s[m].days)).join(' | ')} | ${METHODS.map((m) => f2(s[m].ap)).join(' | ')} |`,
    );
  }
  console.log(
    `| **overall** | ${rows.reduce((a, r) => a + r.scores.topology.events, 0)} | ${METHODS.map((m) => f2(overall[m].recall)).join(' | ')} | ${METHODS.map((m) => f2(overall[m].fpPerDay)).join(' | ')} | ${METHODS.map((m) => f2(overall[m].auc)).join(' | ')} |`,
  );
}

export async function run(): Promise<void> {
  if (!existsSync(join(nabDir, 'labels.json'))) {
    console.log('SKIPPED: ../shared/data/nab is missing (the reference data folder beside the checkout)');
    return;
  }
  console.log(
    `NAB series in ../shared/data/nab, default timeline settings (window ${DEFAULT_TIMELINE_OPTIONS.window}, stride ${DEFAULT_TIMELINE_OPTIONS.stride}).\n`,
  );
  await evaluate();
  // Ablations: what each part of the default contributes (overall figures only).
  for (const [name, variant] of [
    ['topology alone (no level-jump fusion)', { fuseJump: false }],
    ['threshold 5', { threshold: 5 }],
  ] as const) {
    const o = (await evaluate(variant, false)).topology;
    console.log(
      `\n${name}: recall ${o.recall.toFixed(2)}, FP/day ${o.fpPerDay.toFixed(2)}, AUC-PR ${o.auc.toFixed(2)}`,
    );
  }
}

// `node bin/run-ts.js scripts/eval-timeline.ts '{"fuseJump":true}'`: one variant, for tuning.
if (process.argv[1] && process.argv[1].endsWith('eval-timeline.ts') && process.argv[2]) {
  console.log(await evaluate(JSON.parse(process.argv[2]) as Partial<TimelineOptions>, false));
}
