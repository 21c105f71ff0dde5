// Scores and operating points for the failure model's evaluation (scripts/eval-lnn.ts). Each function is
// the plain definition, with hand-built cases in test/unit/lnn-eval-metrics.test.ts.

/** Orders two score tuples: by the score, then by the tie-break where the scores are equal (−∞ = −∞ included). */
function compare(a: number, b: number, ta: number, tb: number): number {
  if (a !== b) return a < b ? -1 : 1;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return 0;
}

/**
 * AUROC by the rank-sum (Mann–Whitney) statistic, average ranks for ties; NaN without both classes.
 *
 * `tiebreak` orders windows whose scores are equal. A baseline with no opinion on most windows (predict_linear
 * sees no crossing: −∞) would otherwise tie them all and score 0.5 on them by construction; given what it
 * does know (how much is left), it is ranked on that too. Windows equal in both still share their rank.
 */
export function auroc(scores: readonly number[], labels: readonly number[], tiebreak?: readonly number[]): number {
  const tb = (i: number) => (tiebreak ? tiebreak[i] : 0);
  const idx = scores.map((_, i) => i).sort((a, b) => compare(scores[a], scores[b], tb(a), tb(b)));
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && compare(scores[idx[j + 1]], scores[idx[i]], tb(idx[j + 1]), tb(idx[i])) === 0) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let sum = 0;
  labels.forEach((l, i) => {
    if (l) {
      pos++;
      sum += ranks[i];
    }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Expected calibration error over 10 equal-width bins. */
export function ece(probs: readonly number[], outcomes: readonly number[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  probs.forEach((p, i) => {
    const b = bins[Math.min(9, Math.floor(p * 10))];
    b.n++;
    b.p += p;
    b.y += outcomes[i];
  });
  return bins.reduce((e, b) => (b.n ? e + (b.n / probs.length) * Math.abs(b.p / b.n - b.y / b.n) : e), 0);
}

/** The alarm-threshold grid: 0.05, 0.06, …, 0.99 (a well-calibrated rare-event risk may never reach 0.5). */
export const THRESHOLD_GRID: readonly number[] = Array.from(
  { length: 95 },
  (_, i) => Math.round((0.05 + i * 0.01) * 100) / 100,
);

/**
 * The lowest threshold of `grid` (ascending) whose false-alarm rate is within `budget`; the highest when
 * none is. `rate` is called on thresholds in increasing order and must not increase with the threshold
 * (a higher threshold never alarms more), so the search stops at the first that fits.
 */
export function lowestThreshold(
  rate: (threshold: number) => number,
  budget: number,
  grid: readonly number[] = THRESHOLD_GRID,
): { threshold: number; rate: number } {
  for (const t of grid) {
    const r = rate(t);
    if (r <= budget) return { threshold: t, rate: r };
  }
  const t = grid[grid.length - 1];
  return { threshold: t, rate: rate(t) };
}

/**
 * One threshold per horizon for an alarm that fires when any horizon's risk reaches its threshold. `rate`
 * gives the false-alarm rate of that alarm for a set of thresholds (Infinity = the horizon never alarms).
 * Each horizon gets the lowest threshold whose own rate is within its share of `budget`; horizons alarm at
 * different times, so their rates add up, and the share shrinks (×0.8) until the combined rate fits too.
 */
export function jointThresholds(
  rate: (thresholds: readonly number[]) => number,
  horizons: number,
  budget: number,
  grid: readonly number[] = THRESHOLD_GRID,
): number[] {
  const only = (j: number, t: number) => Array.from({ length: horizons }, (_, i) => (i === j ? t : Infinity));
  const pick = (share: number) =>
    Array.from({ length: horizons }, (_, j) => lowestThreshold((t) => rate(only(j, t)), share, grid).threshold);
  let share = budget;
  let chosen = pick(share);
  for (let i = 0; i < 20 && rate(chosen) > budget; i++) {
    share *= 0.8;
    chosen = pick(share);
  }
  return chosen;
}

/**
 * The score threshold at which a baseline alarms no more often than `rate` allows: the lowest of the
 * candidate thresholds (each distinct score, plus +∞ for never) whose false-alarm rate is ≤ `target`.
 * Used to compare static thresholds with the model at the model's own false-alarm rate.
 */
export function thresholdAtRate(
  scores: readonly number[],
  falseAlarmRate: (threshold: number) => number,
  target: number,
): { threshold: number; rate: number } {
  const candidates = [...new Set(scores.filter((s) => Number.isFinite(s)))].sort((a, b) => a - b);
  candidates.push(Infinity);
  // The rate falls as the threshold rises: binary search for the first candidate within the target.
  let lo = 0;
  let hi = candidates.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (falseAlarmRate(candidates[mid]) <= target) hi = mid;
    else lo = mid + 1;
  }
  return { threshold: candidates[lo], rate: falseAlarmRate(candidates[lo]) };
}
