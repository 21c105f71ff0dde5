// Sampling facts: a series' regular step and how many times it skips it; a frame's time range.
import type { MetricFrame, Series } from './types.ts';

/** The median spacing between consecutive samples in ms (robust to a few gaps); null with fewer than 2 samples. */
export function seriesStep(timestamps: Float64Array): number | null {
  const n = timestamps.length;
  if (n < 2) return null;
  const diffs = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) diffs[i - 1] = timestamps[i] - timestamps[i - 1];
  diffs.sort();
  return diffs[(n - 2) >> 1]; // the lower median of the n - 1 spacings
}

/** Number of places where the spacing exceeds 1.5 steps (each hole counts once, whatever its length). */
export function countGaps(timestamps: Float64Array, step = seriesStep(timestamps)): number {
  if (step === null || step <= 0) return 0;
  let gaps = 0;
  for (let i = 1; i < timestamps.length; i++) if (timestamps[i] - timestamps[i - 1] > 1.5 * step) gaps++;
  return gaps;
}

export interface SeriesSummary {
  points: number;
  start: number | null;
  end: number | null;
  step: number | null;
  gaps: number;
}

export function summarizeSeries(s: Series): SeriesSummary {
  const n = s.timestamps.length;
  const step = seriesStep(s.timestamps);
  return {
    points: n,
    start: n > 0 ? s.timestamps[0] : null,
    end: n > 0 ? s.timestamps[n - 1] : null,
    step,
    gaps: countGaps(s.timestamps, step),
  };
}

/** First and last timestamp over all series of a frame, or null when it has no samples. */
export function frameTimeRange(frame: MetricFrame): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of frame.series) {
    if (s.timestamps.length === 0) continue;
    lo = Math.min(lo, s.timestamps[0]);
    hi = Math.max(hi, s.timestamps[s.timestamps.length - 1]);
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

/** Samples in the frame, over all series. */
export function sampleCount(frame: MetricFrame): number {
  let n = 0;
  for (const s of frame.series) n += s.timestamps.length;
  return n;
}
