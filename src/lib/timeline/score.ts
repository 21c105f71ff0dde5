// From distances to flags. The score of a window is the robust z of its distance to the baseline:
// (D - median) / (1.4826 · MAD) over a reference set of distances from normal windows. The reference
// starts as the baseline span's windows and then trails: every window that is not flagged joins it and
// the oldest leaves, so the threshold follows slow drift (a load that grows through the day) while a
// flagged window never teaches the detector that it is normal.
import { MAD_TO_SD, mad, median } from '../cloud/stats.ts';

export interface ScoreOptions {
  /** Robust z above which a window is flagged. */
  threshold: number;
  /** Size of the trailing reference (windows). */
  trailing: number;
  /** Smallest scale the robust z divides by (default 5 % of the median, and at least `absoluteFloor`). */
  minScale?: number;
  /** Smallest scale whatever the median (default 1e-9). */
  absoluteFloor?: number;
  /** References with fewer values get a widened scale (default 0: never). */
  smallReference?: number;
}

/**
 * Smallest spread of a log distance (log1p(D / 0.01)) the scorer divides by. A reference of identical
 * values (no H1 in any baseline window: every distance 0) has MAD 0; dividing by ~0 turned the first small
 * loop into a score of 1e9. With this floor a window needs its log distance 4 × 0.35 = 1.4 above the
 * median, a distance about 4× the usual one, to reach the threshold from a degenerate reference.
 * Chosen on the dev seeds of test/property/timeline-awkward.test.ts (stationary noise of 2–2,000 series).
 */
export const LOG_SCALE_FLOOR = 0.35;

/** References smaller than this many windows get a widened scale (see AdaptiveScorer.refit). */
export const SMALL_REFERENCE = 8;

export class AdaptiveScorer {
  private readonly reference: number[];
  private centre = 0;
  private scale = 1;

  constructor(
    initial: number[],
    private readonly opts: ScoreOptions,
  ) {
    this.reference = initial.filter(Number.isFinite).slice(-opts.trailing);
    this.refit();
  }

  private refit(): void {
    this.centre = median(this.reference);
    const spread = MAD_TO_SD * mad(this.reference, 0, this.reference.length, this.centre);
    // Floors keep a near-constant reference (identical windows) from turning rounding noise into alarms.
    // A spread measured on a handful of windows is itself noisy, and too small as often as too large: below
    // `smallReference` windows it is widened by √(smallReference / n).
    const n = this.reference.length;
    const small = this.opts.smallReference ?? 0;
    const widen = n > 0 && n < small ? Math.sqrt(small / n) : 1;
    this.scale =
      widen * Math.max(spread, this.opts.minScale ?? 0.05 * Math.abs(this.centre), this.opts.absoluteFloor ?? 1e-9);
    if (!Number.isFinite(this.centre)) {
      this.centre = 0;
      this.scale = 1;
    }
  }

  zOf(distance: number): number {
    return (distance - this.centre) / this.scale;
  }

  /** Adds a distance from a normal window to the trailing reference. */
  learn(distance: number): void {
    if (!Number.isFinite(distance)) return;
    this.reference.push(distance);
    if (this.reference.length > this.opts.trailing) this.reference.shift();
    this.refit();
  }

  /** Scores one distance; unflagged distances join the trailing reference. */
  score(distance: number): { score: number; anomalous: boolean } {
    const score = this.zOf(distance);
    const anomalous = score > this.opts.threshold;
    if (!anomalous) this.learn(distance);
    return { score, anomalous };
  }
}

/**
 * One scorer per homology dimension, on log distances: a change in loops (H1) must not drown in the
 * larger, noisier H0 distance, and distances are skewed to the right, which the log evens out.
 * A window's raw score is its largest per-dimension robust z; the score is the mean raw score of the
 * last `average` windows (windows overlap, so a real change lasts several; a single odd window is
 * diluted). A window is flagged when its score exceeds the threshold.
 *
 * The last `levelDims` values are level statistics in z-units (level.ts), not distances: they are taken
 * as log(1 + z), and their raw score is held, not averaged, over the last `average` windows. Their tails
 * do not overlap, so a two-minute spike is in one window only; averaged it would count a third, held it
 * flags the window whose tail covers it and stays up long enough to make a span.
 */
export class DimensionScorer {
  private readonly scorers: AdaptiveScorer[];
  private readonly recent: number[] = [];
  private readonly recentLevel: number[] = [];
  private readonly levelFrom: number;

  constructor(
    initial: number[][],
    private readonly opts: ScoreOptions & { average: number; levelDims?: number },
  ) {
    const dims = initial.length ? initial[0].length : 0;
    this.levelFrom = dims - (opts.levelDims ?? 0);
    this.scorers = Array.from(
      { length: dims },
      (_, k) =>
        new AdaptiveScorer(
          initial.map((d) => this.transform(d[k], k)),
          {
            threshold: Infinity,
            trailing: opts.trailing,
            absoluteFloor: opts.absoluteFloor ?? LOG_SCALE_FLOOR,
            smallReference: opts.smallReference ?? SMALL_REFERENCE,
          },
        ),
    );
  }

  private transform(v: number, k: number): number {
    return k >= this.levelFrom ? Math.log1p(Math.max(0, v)) : logDistance(v);
  }

  /** Largest robust z over dimensions [from, to). */
  private best(values: number[], from: number, to: number): number {
    let best = 0;
    for (let k = from; k < to; k++) {
      const z = this.scorers[k].zOf(this.transform(values[k], k));
      if (Number.isFinite(z)) best = Math.max(best, z);
    }
    return best;
  }

  /** Raw score without learning: for the baseline windows, which are already the reference. */
  peek(values: number[]): number {
    return Math.max(this.best(values, 0, this.levelFrom), this.best(values, this.levelFrom, this.scorers.length));
  }

  /**
   * `learn: false` for windows already in the reference (the baseline's own windows). `byLevel`: the held
   * level statistic, not the distances, gave the score. `own`: the window's own raw score, before the
   * average, passed the threshold.
   */
  score(values: number[], learn = true): { score: number; anomalous: boolean; byLevel: boolean; own: boolean } {
    const push = (list: number[], v: number) => {
      list.push(v);
      if (list.length > this.opts.average) list.shift();
    };
    const distance = this.best(values, 0, this.levelFrom);
    const level = this.best(values, this.levelFrom, this.scorers.length);
    push(this.recent, distance);
    push(this.recentLevel, level);
    const averaged = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    const held = Math.max(...this.recentLevel);
    const score = Math.max(averaged, held);
    const anomalous = score > this.opts.threshold;
    if (learn && Math.max(distance, level) <= this.opts.threshold)
      this.scorers.forEach((s, k) => s.learn(this.transform(values[k], k)));
    return { score, anomalous, byLevel: held > averaged, own: Math.max(distance, level) > this.opts.threshold };
  }
}

/** log(1 + D / 0.01): close to linear for tiny distances, a log for the rest, finite at 0. */
export function logDistance(d: number): number {
  return Math.log1p(Math.max(0, d) / 0.01);
}

export interface FlaggedWindow {
  /** Window end, epoch ms. */
  t: number;
  /** First row of the window (its start), epoch ms. */
  start: number;
  score: number;
  anomalous: boolean;
  /**
   * Flagged by the fast scale (rows scored one by one against the baseline): evidence enough on its own,
   * so a span holding such a window is kept even when it has fewer than `minWindows` windows.
   */
  sure?: boolean;
  /** The window's number on the grid of window ends, skipped windows counted (default: its index). */
  seq?: number;
  /** Its own score, before the average over windows, passed the threshold (groupSpans `sustained`). */
  own?: boolean;
}

export interface RawSpan {
  start: number;
  /** Window end of the first flagged window: when the data first allowed the flag. */
  detectedAt: number;
  end: number;
  peak: number;
  /** Window end of the peak window. */
  peakT: number;
  /** Indices into the points of the flagged windows. */
  members: number[];
}

/**
 * Groups flagged windows into spans: flags at most `mergeGap` windows apart (by `seq`, where windows skipped
 * for lack of data count, so a silence longer than that splits a span), or whose windows overlap in
 * time (an operator should never see two spans covering the same minutes), belong together; a span
 * needs `minWindows` flagged windows, otherwise its flags are withdrawn (windows overlap, so a real
 * change shows in several consecutive windows, a lone spike in one), unless one of them is `sure`.
 * With `sustained` > 0, a span with no `sure` window also needs `sustained` windows whose own score passed
 * the threshold (`own`), among its flagged windows and the `before` windows just ahead of its first (their
 * scores are in that window's average): the average spreads one odd window over three, which the
 * `minWindows` rule alone takes for a change that lasted (timeline.ts `sustained`). Such a span is dated
 * (`detectedAt`) at its first `sure` window or the flagged window that completed `sustained`, not at its
 * first flag.
 * Mutates `anomalous` accordingly.
 */
export function groupSpans(
  points: FlaggedWindow[],
  minWindows: number,
  mergeGap: number,
  sustained = 0,
  before = 0,
): RawSpan[] {
  const spans: RawSpan[] = [];
  let current: RawSpan | null = null;
  let lastFlag = -Infinity;
  points.forEach((p, i) => {
    if (!p.anomalous) return;
    const at = p.seq ?? i;
    if (current && (at - lastFlag <= mergeGap + 1 || p.start <= current.end)) {
      current.end = p.t;
      current.members.push(i);
      if (p.score > current.peak) {
        current.peak = p.score;
        current.peakT = p.t;
      }
    } else {
      current = { start: p.start, detectedAt: p.t, end: p.t, peak: p.score, peakT: p.t, members: [i] };
      spans.push(current);
    }
    lastFlag = at;
  });
  return spans.filter((s) => {
    if (sustained <= 0) {
      if (s.members.length >= minWindows || s.members.some((i) => points[i].sure)) return true;
    } else {
      const met = metAt(points, s.members, minWindows, sustained, before);
      if (met >= 0) {
        s.detectedAt = points[s.members[met]].t;
        return true;
      }
    }
    for (const i of s.members) points[i].anomalous = false;
    return false;
  });
}

/**
 * The member (position in `members`) from which a span met its rule: its first `sure` window, or the window
 * that brought `sustained` windows past the threshold on their own (the `before` windows ahead of the first
 * count too, when they are next to it on the grid); −1 when it never did or has fewer than `minWindows`
 * flagged windows and none sure. As with the two-window rule alone, the date does not wait for the second
 * flagged window.
 */
function metAt(
  points: FlaggedWindow[],
  members: number[],
  minWindows: number,
  sustained: number,
  before: number,
): number {
  const first = members[0];
  const seqOf = (i: number) => points[i].seq ?? i;
  let own = 0;
  for (let i = first - 1; i >= 0 && i >= first - before; i--)
    if (seqOf(first) - seqOf(i) <= before && points[i].own) own++;
  let met = -1;
  for (let k = 0; k < members.length && met < 0; k++) {
    const p = points[members[k]];
    if (p.own) own++;
    if (p.sure || own >= sustained) met = k;
  }
  if (met < 0) return -1;
  return members.length >= minWindows || members.some((i) => points[i].sure) ? met : -1;
}
