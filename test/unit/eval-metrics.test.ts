// The evaluation metrics (scripts/eval/metrics.ts), each on a case small enough to check by hand.
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  detectionDelays,
  eventRecall,
  falseSpans,
  hitRate,
  pointwise,
  quantile,
  spansByRule,
} from '../../scripts/eval/metrics.ts';

const MIN = 60_000;
const iv = (a: number, b: number) => ({ start: a * MIN, end: b * MIN });
const span = (a: number, b: number, detected: number) => ({ ...iv(a, b), detectedAt: detected * MIN });

describe('event metrics', () => {
  const segments = [iv(10, 20), iv(50, 55), iv(90, 91)];
  const spans = [iv(18, 30), iv(60, 70), iv(91, 95), iv(100, 101)];

  it('event recall: a segment counts when any span overlaps it, touching ends included', () => {
    expect(eventRecall(spans, segments)).toBeCloseTo(2 / 3);
    expect(eventRecall([], segments)).toBe(0);
    expect(eventRecall(spans, [])).toBeNaN();
  });

  it('false spans: spans that overlap no segment', () => {
    expect(falseSpans(spans, segments)).toBe(2);
    expect(falseSpans(spans, [])).toBe(4);
  });
});

describe('point-wise scores without point-adjust', () => {
  // Minutes 0..9; truth covers 2..5 (4 samples); the span covers 4..7 (4 samples).
  const times = Array.from({ length: 10 }, (_, i) => i * MIN);
  it('credits only the covered samples of a detected segment', () => {
    const r = pointwise(times, [iv(4, 7)], [iv(2, 5)]);
    expect(r).toMatchObject({ tp: 2, fp: 2, fn: 2 });
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBe(0.5);
    expect(r.f1).toBe(0.5);
  });
  it('no spans: precision 0, recall 0, F1 0; no truth: recall NaN', () => {
    expect(pointwise(times, [], [iv(2, 5)])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(pointwise(times, [iv(0, 1)], []).recall).toBeNaN();
  });
});

describe('detection delay', () => {
  it('earliest detectedAt of the overlapping spans minus the segment start; 0 when known before; misses left out', () => {
    const segments = [iv(10, 40), iv(50, 60), iv(100, 110)];
    const spans = [span(5, 35, 25), span(30, 45, 12), span(45, 70, 48)];
    // segment 1: detections 25 and 12 → 12 − 10 = 2 min; segment 2: 48 < 50 → 0; segment 3: missed.
    expect(detectionDelays(spans, segments)).toEqual([2 * MIN, 0]);
  });
  it('quantile interpolates between order statistics', () => {
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 10], 0.9)).toBe(9);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('attribution HitRate@P', () => {
  const truth = ['a', 'b', 'c', 'd'];
  it('counts the true metrics among the first ⌊P·|truth|⌋ ranked', () => {
    // @100 %: top 4 = x a y b → 2 of 4; @150 %: top 6 adds c, z → 3 of 4.
    const ranked = ['x', 'a', 'y', 'b', 'c', 'z', 'd'];
    expect(hitRate(ranked, truth, 1)).toBe(0.5);
    expect(hitRate(ranked, truth, 1.5)).toBe(0.75);
  });
  it('a short ranking can only find what it names; no truth gives NaN', () => {
    expect(hitRate(['d'], truth, 1.5)).toBe(0.25);
    expect(hitRate(['a'], [], 1)).toBeNaN();
    // ⌊1.5 · 1⌋ = 1: a single true metric must be ranked first.
    expect(hitRate(['x', 'a'], ['a'], 1.5)).toBe(0);
  });
});

describe('average precision', () => {
  it('mean precision at each positive rank, ties broken against the method', () => {
    // ranks: 0.9 (+), 0.8 (−), 0.7 (+) → (1/1 + 2/3) / 2
    expect(averagePrecision([0.9, 0.8, 0.7], [true, false, true])).toBeCloseTo(5 / 6);
    // a tie between a positive and a negative puts the negative first
    expect(averagePrecision([1, 1], [true, false])).toBe(0.5);
    expect(averagePrecision([1, 2], [false, false])).toBeNaN();
  });
});

describe('the timeline span rule applied to a baseline score', () => {
  // Windows every 10 min, each 60 min wide.
  const n = 12;
  const t = Array.from({ length: n }, (_, i) => (60 + 10 * i) * MIN);
  const start = t.map((x) => x - 59 * MIN);
  it('withdraws short spans and dates detection at the end of the first flagged window', () => {
    const raw = [9, 0, 0, 0, 0, 0, 6, 6, 6, 0, 0, 0];
    // average 1, min 2 windows: the lone 9 is withdrawn; 6,6,6 is one span detected at its first window.
    const r = spansByRule({ t, start, raw }, { threshold: 4, average: 1, minSpanWindows: 2, mergeGap: 0 });
    expect(r).toHaveLength(1);
    expect(r[0].detectedAt).toBe(t[6]);
    expect(r[0].start).toBe(start[6]);
    expect(r[0].end).toBe(t[8]);
  });
  it('averages the last `average` raw scores (fewer at the start), as the timeline scorer does', () => {
    const raw = [9, 0, 0, 0, 0, 0, 6, 6, 6, 0, 0, 0];
    // average 3: 9, 4.5, 3, 0, 0, 0, 2, 4, 6, 4, 2, 0 → windows 0–1 flagged (one span of 2), window 8 alone.
    const avg = spansByRule({ t, start, raw }, { threshold: 4, average: 3, minSpanWindows: 2, mergeGap: 0 });
    expect(avg.map((s) => [s.detectedAt, s.end])).toEqual([[t[0], t[1]]]);
    const one = spansByRule({ t, start, raw }, { threshold: 4, average: 3, minSpanWindows: 1, mergeGap: 0 });
    expect(one.map((s) => s.detectedAt)).toEqual([t[0], t[8]]);
  });
  it('windows that overlap in time, or flags within mergeGap windows, make one span', () => {
    const raw = [0, 5, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0];
    // windows 1 and 6: window 6 starts (61 min) before window 1 ends (70 min) → merged into one span.
    const r = spansByRule({ t, start, raw }, { threshold: 4, average: 1, minSpanWindows: 1, mergeGap: 0 });
    expect(r.map((s) => [s.start, s.end, s.detectedAt])).toEqual([[start[1], t[7], t[1]]]);
  });
  it('a non-finite raw score counts as 0', () => {
    const raw = [NaN, 5, 5, NaN, 0, 0, 0, 0, 0, 0, 0, 0];
    const r = spansByRule({ t, start, raw }, { threshold: 2, average: 2, minSpanWindows: 1, mergeGap: 0 });
    expect(r.map((s) => [s.detectedAt, s.end])).toEqual([[t[1], t[3]]]);
  });
});
