// Evaluation metrics shared by the eval scripts (NAB, SMD). Times are epoch ms; labelled segments and
// spans are inclusive intervals. Nothing here is tuned: each function is the plain definition, and each
// has a hand-built case in test/unit/eval-metrics.test.ts.
import { groupSpans, type FlaggedWindow } from '../../src/lib/timeline/score.ts';

export interface Interval {
  start: number;
  end: number;
}

/** A flagged span as an evaluation sees it: when it covers, and when it was first known (end of its first flagged window). */
export interface EvalSpan extends Interval {
  detectedAt: number;
}

export const overlaps = (a: Interval, b: Interval) => a.start <= b.end && b.start <= a.end;

/** Share of the labelled segments overlapped by at least one span (NaN without segments). */
export function eventRecall(spans: Interval[], segments: Interval[]): number {
  if (segments.length === 0) return NaN;
  return segments.filter((s) => spans.some((p) => overlaps(p, s))).length / segments.length;
}

/** Spans that overlap no labelled segment. */
export function falseSpans(spans: Interval[], segments: Interval[]): number {
  return spans.filter((p) => !segments.some((s) => overlaps(p, s))).length;
}

export interface PointScores {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Point-wise precision, recall and F1 over the given sample times, WITHOUT point-adjust: a sample is
 * predicted positive when a span covers it, truly positive when a segment covers it; a detected segment
 * earns credit only for the samples the spans actually cover.
 */
export function pointwise(times: ArrayLike<number>, spans: Interval[], segments: Interval[]): PointScores {
  const predicted = cover(times, spans);
  const actual = cover(times, segments);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < times.length; i++) {
    if (predicted[i] && actual[i]) tp++;
    else if (predicted[i]) fp++;
    else if (actual[i]) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? NaN : tp / (tp + fn);
  const f1 = precision + recall === 0 || !Number.isFinite(recall) ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

/** For each (sorted) time, whether an interval covers it. */
function cover(times: ArrayLike<number>, intervals: Interval[]): Uint8Array {
  const out = new Uint8Array(times.length);
  for (const iv of intervals) {
    // Binary search for the first time ≥ start.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < iv.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < times.length && times[i] <= iv.end; i++) out[i] = 1;
  }
  return out;
}

/**
 * Detection delay of each detected segment, in ms: the earliest `detectedAt` among the spans that
 * overlap it, minus the segment's start; 0 when a span already overlapping it was known before it
 * began. Undetected segments are left out (event recall counts them).
 */
export function detectionDelays(spans: EvalSpan[], segments: Interval[]): number[] {
  const out: number[] = [];
  for (const s of segments) {
    const hits = spans.filter((p) => overlaps(p, s));
    if (hits.length === 0) continue;
    out.push(Math.max(0, Math.min(...hits.map((p) => p.detectedAt)) - s.start));
  }
  return out;
}

/** Quantile by linear interpolation between order statistics (NaN for no values). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const v = values.slice().sort((a, b) => a - b);
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/**
 * HitRate@P (OmniAnomaly's interpretation metric): the share of the true metrics found among the first
 * ⌊P·|truth|⌋ of the ranked ones (P = 1 for 100 %, 1.5 for 150 %). NaN without truth.
 */
export function hitRate(ranked: string[], truth: string[], p: number): number {
  if (truth.length === 0) return NaN;
  const top = new Set(ranked.slice(0, Math.floor(p * truth.length)));
  return truth.filter((t) => top.has(t)).length / truth.length;
}

/** Average precision of a score against binary labels (ties broken pessimistically); NaN without positives. */
export function averagePrecision(scores: number[], positive: boolean[]): number {
  const order = scores
    .map((_, i) => i)
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

export interface WindowScores {
  /** Window end times (epoch ms), ascending. */
  t: number[];
  /** Window start times (first row), for merging overlapping windows as the timeline does. */
  start: number[];
  /** Raw score per window. */
  raw: number[];
}

export interface SpanRule {
  threshold: number;
  /** Raw scores averaged over the last `average` windows. */
  average: number;
  minSpanWindows: number;
  mergeGap: number;
}

/**
 * The timeline's own smoothing and span rule applied to any per-window raw score, so a baseline does
 * the same work as AURA: mean of the last `average` raw scores, flagged above the threshold, grouped
 * with groupSpans (src/lib/timeline/score.ts), spans shorter than `minSpanWindows` withdrawn.
 * Returns the spans with `detectedAt` (end of the first flagged window) and `peakT`.
 */
export function spansByRule(w: WindowScores, rule: SpanRule): (EvalSpan & { peakT: number })[] {
  const flagged: FlaggedWindow[] = [];
  let sum = 0;
  // A window without a score (gaps) counts as 0, not as a poisoned running sum.
  const raw = w.raw.map((v) => (Number.isFinite(v) ? v : 0));
  for (let i = 0; i < raw.length; i++) {
    sum += raw[i];
    if (i >= rule.average) sum -= raw[i - rule.average];
    const score = sum / Math.min(i + 1, rule.average);
    flagged.push({ t: w.t[i], start: w.start[i], score, anomalous: score > rule.threshold });
  }
  return groupSpans(flagged, rule.minSpanWindows, rule.mergeGap).map((s) => ({
    start: s.start,
    end: s.end,
    peakT: s.peakT,
    detectedAt: flagged[s.members[0]].t,
  }));
}
