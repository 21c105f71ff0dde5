// The failure model's evaluation metrics on hand-built cases: AUROC with ties (and the tie-break that keeps
// a baseline's "no opinion" from scoring 0.5 by construction), the alarm-threshold search (which may go
// below 0.5), a baseline's threshold at a given false-alarm rate, and false alarm episodes on real benign data
// (NAB's labelled anomaly windows left out).
import { describe, expect, it } from 'vitest';
import {
  auroc,
  ece,
  jointThresholds,
  lowestThreshold,
  THRESHOLD_GRID,
  thresholdAtRate,
} from '../../scripts/train/metrics.ts';
import { falseEpisodes } from '../../scripts/eval-lnn-real.ts';
import { sustained } from '../../src/lib/lnn/card.ts';

describe('auroc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, NaN without both classes', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('counts a tie between a positive and a negative as half, −∞ included', () => {
    // Pairs (pos, neg): (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.1) = 1, (0.9 vs both) = 2 → 3.5 / 4.
    expect(auroc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.875);
    const inf = -Infinity;
    // Every window "never crosses": the score alone knows nothing.
    expect(auroc([inf, inf, inf, inf], [1, 0, 1, 0])).toBe(0.5);
    // One crossing predicted for a positive, the rest tied at −∞: 1 pair won, 1 tied → (2 + 0.5 + 0.5) / 4.
    expect(auroc([-2, inf, inf, inf], [1, 1, 0, 0])).toBe(0.75);
  });

  it('orders tied scores by the tie-break, so a baseline is not pushed to 0.5 by its ties', () => {
    const inf = -Infinity;
    const scores = [inf, inf, inf, inf, -3];
    const labels = [1, 1, 0, 0, 1];
    // Without: the four −∞ windows tie → 2 positives × 2 negatives all at half, plus the crossing wins both.
    expect(auroc(scores, labels)).toBeCloseTo((2 + 0.5 * 4) / 6, 12);
    // With "how little is left" as the tie-break the positives rank above the negatives within the tie.
    const leftNegated = [-0.05, -0.1, -0.6, -0.7, -0.02];
    expect(auroc(scores, labels, leftNegated)).toBe(1);
    // A finite score still dominates the tie-break: -3 > −∞ whatever the tie-breaks say.
    expect(auroc([inf, -3], [0, 1], [100, -100])).toBe(1);
    // Equal in score and tie-break: still a tie.
    expect(auroc([inf, inf], [1, 0], [0.3, 0.3])).toBe(0.5);
  });

  it('ece is 0 for calibrated bins and the gap otherwise', () => {
    expect(ece([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0, 12);
    expect(ece([0.95, 0.95], [0, 0])).toBeCloseTo(0.95, 12);
  });
});

describe('lowestThreshold', () => {
  it('searches from 0.05 up, so a threshold below 0.5 is found when it meets the budget', () => {
    expect(THRESHOLD_GRID[0]).toBe(0.05);
    expect(THRESHOLD_GRID.at(-1)).toBe(0.99);
    // The rate falls below the budget (0.1) from 0.36 on: the search starting at 0.5 would have missed it.
    const rate = (t: number) => (t < 0.2 ? 0.9 : t < 0.36 ? 0.3 : 0.08);
    expect(lowestThreshold(rate, 0.1)).toEqual({ threshold: 0.36, rate: 0.08 });
  });

  it('returns the first grid point within budget, and the highest when none fits', () => {
    const calls: number[] = [];
    const steps = (t: number) => (calls.push(t), t < 0.7 ? 0.5 : t < 0.8 ? 0.15 : 0.05);
    expect(lowestThreshold(steps, 0.2).threshold).toBe(0.7);
    expect(calls.every((t, i) => i === 0 || t > calls[i - 1])).toBe(true);
    expect(lowestThreshold(() => 1, 0.2)).toEqual({ threshold: 0.99, rate: 1 });
    expect(lowestThreshold(() => 0, 0.2).threshold).toBe(0.05);
  });
});

describe('jointThresholds', () => {
  // Two horizons whose false alarms never coincide: each alarms (1 − t) times a day at threshold t, so the
  // alarm of either adds both rates up.
  const rate = (thr: readonly number[]) => thr.reduce((r, t) => r + (t === Infinity ? 0 : Math.max(0, 1 - t)), 0);

  it('keeps the alarm of any horizon within the budget, not just each horizon alone', () => {
    const alone = lowestThreshold((t) => rate([t, Infinity]), 0.1).threshold;
    expect(alone).toBe(0.9); // each horizon alone fits at 0.9, but together they alarm 0.2 times a day
    expect(rate([alone, alone])).toBeCloseTo(0.2, 10);
    const [a, b] = jointThresholds(rate, 2, 0.1);
    expect(rate([a, b])).toBeLessThanOrEqual(0.1 + 1e-12);
    expect(a).toBeGreaterThan(alone);
    expect(b).toBeGreaterThan(alone);
  });

  it('leaves per-horizon thresholds alone when their alarms coincide (the combined rate already fits)', () => {
    const overlapping = (thr: readonly number[]) => Math.max(...thr.map((t) => (t === Infinity ? 0 : 1 - t)));
    expect(jointThresholds(overlapping, 3, 0.1)).toEqual([0.9, 0.9, 0.9]);
  });
});

describe('thresholdAtRate', () => {
  it("finds the lowest score threshold whose false-alarm rate is within the model's", () => {
    // Benign scores: an alarm fires for each score ≥ threshold; rate = alarms / 10 host-days.
    const benign = [0.2, 0.5, 0.9, 1.1, 1.4];
    const rate = (thr: number) => benign.filter((s) => s >= thr).length / 10;
    expect(thresholdAtRate(benign, rate, 0.2)).toEqual({ threshold: 1.1, rate: 0.2 });
    expect(thresholdAtRate(benign, rate, 0.15)).toEqual({ threshold: 1.4, rate: 0.1 });
    // A target no threshold meets short of never alarming: +∞.
    expect(thresholdAtRate(benign, rate, 0)).toEqual({ threshold: Infinity, rate: 0 });
    expect(thresholdAtRate(benign, rate, 1)).toEqual({ threshold: 0.2, rate: 0.5 });
  });
});

describe('falseEpisodes', () => {
  // One point per 5 minutes over a day; alarms in three runs, the middle one inside a labelled anomaly window.
  const t0 = Date.UTC(2024, 0, 1);
  const at = (i: number) => t0 + i * 300e3;
  const alarmed = new Set([10, 11, 12, 100, 101, 200]);
  const trace = Array.from({ length: 289 }, (_, i) => ({
    t: at(i),
    risk: {},
    alarm: alarmed.has(i),
    scenario: 'cpu_saturation' as const,
    ttfMinutes: 60,
  }));

  it('counts runs of alarms over the whole span without labels', () => {
    expect(falseEpisodes(trace)).toEqual({ episodes: 3, days: 1 });
  });

  it('an episode that overlaps a labelled window is not false, and the window is not benign time', () => {
    const window: [number, number] = [at(101), at(101 + 72)]; // 6 h, from the episode's second point
    const r = falseEpisodes(trace, [window]);
    expect(r.episodes).toBe(2);
    expect(r.days).toBeCloseTo(0.75, 10);
  });

  it('a window reaching past the trace only removes the part inside it', () => {
    const r = falseEpisodes(trace, [[at(-100), at(36)]]);
    expect(r.episodes).toBe(2);
    expect(r.days).toBeCloseTo(1 - 3 / 24, 10);
  });

  it('takes another alarm rule, by point and index (persistence)', () => {
    const held = sustained(
      trace.map((x) => x.alarm),
      2,
    );
    expect(falseEpisodes(trace, [], (_, i) => held[i]).episodes).toBe(2);
  });
});
