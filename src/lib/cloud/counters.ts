// Counters (monotonic totals) become per-second rates before anything else looks at them:
// the shape of a running total says nothing, its rate does.
import type { Series } from '../frame/types.ts';

const COUNTER_SUFFIXES = ['_total', '_count', '_sum', '_bucket'];

/**
 * Whether a series is a counter: the source said so, the name ends in `_total` (Prometheus convention),
 * or, when the kind is unknown, its values never decrease except by resets (a drop below half of the
 * previous value, as when a process restarts) and rise on at least half of the steps.
 * A series the source marked `gauge` is never converted.
 */
export function isCounter(s: Series): boolean {
  if (s.kind === 'counter') return true;
  if (s.kind === 'gauge') return false;
  if (COUNTER_SUFFIXES.some((suffix) => s.name.endsWith(suffix))) return true;
  return looksMonotonic(s.values);
}

/** Non-negative, non-decreasing apart from resets, and strictly rising on at least half of the steps. */
export function looksMonotonic(values: ArrayLike<number>): boolean {
  let prev = NaN;
  let steps = 0;
  let rises = 0;
  let resets = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < 0) return false;
    if (Number.isFinite(prev)) {
      steps++;
      if (v > prev) rises++;
      else if (v < prev) {
        if (v > prev * 0.5) return false; // a small dip: a gauge, not a reset
        resets++;
      }
    }
    prev = v;
  }
  return steps >= 8 && rises * 2 >= steps && resets * 20 <= steps;
}

/**
 * Per-second rate of a counter at each sample, over the interval since the previous finite sample.
 * A decrease is a reset: the counter restarted from zero, so the increase is the new value itself.
 * The first sample (and any sample after a gap of NaN) has no rate: NaN.
 */
export function counterRate(timestamps: Float64Array, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length).fill(NaN);
  let prevT = NaN;
  let prevV = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = timestamps[i];
    if (!Number.isFinite(v)) {
      prevV = NaN;
      continue;
    }
    if (Number.isFinite(prevV) && t > prevT) {
      const increase = v >= prevV ? v - prevV : v;
      out[i] = increase / ((t - prevT) / 1000);
    }
    prevT = t;
    prevV = v;
  }
  return out;
}
