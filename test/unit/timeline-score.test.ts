// Scoring and span grouping: against direct reference computations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveScorer, DimensionScorer, groupSpans, type FlaggedWindow } from '../../src/lib/timeline/score.ts';

describe('AdaptiveScorer', () => {
  it('is the robust z against the reference, and only unflagged values join the reference', () => {
    const s = new AdaptiveScorer([1, 2, 3, 4, 5], { threshold: 3, trailing: 5 });
    // median 3, MAD 1 -> scale 1.4826
    expect(s.zOf(3)).toBe(0);
    expect(s.zOf(3 + 1.4826)).toBeCloseTo(1, 9);
    expect(s.score(100).anomalous).toBe(true);
    expect(s.zOf(3)).toBe(0); // 100 was flagged: the reference did not move
    expect(s.score(6).anomalous).toBe(false); // z = 2: joins, 1 leaves (trailing 5)
    expect(s.zOf(4)).toBe(0); // reference now 2..6, median 4
  });

  it('never divides by zero on a constant reference', () => {
    const s = new AdaptiveScorer([2, 2, 2, 2], { threshold: 3, trailing: 10 });
    expect(Number.isFinite(s.zOf(2.0000001))).toBe(true);
    expect(s.zOf(2)).toBe(0);
    expect(s.zOf(3)).toBeGreaterThan(3); // a real jump still counts
  });
});

describe('groupSpans', () => {
  const windows = fc.array(fc.boolean(), { maxLength: 60 }).map((flags) =>
    flags.map((anomalous, i): FlaggedWindow => ({
      t: 1000 * i + 500,
      start: 1000 * i,
      score: anomalous ? 5 + (i % 7) : 0,
      anomalous,
    })),
  );

  it('groups flags at most mergeGap apart, drops short spans and unflags their windows', () => {
    fc.assert(
      fc.property(
        windows,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (ws, minWindows, mergeGap) => {
          const before = ws.map((w) => w.anomalous);
          const spans = groupSpans(ws, minWindows, mergeGap);
          // Reference: walk the flags.
          const groups: number[][] = [];
          before.forEach((f, i) => {
            if (!f) return;
            const g = groups[groups.length - 1];
            if (g && i - g[g.length - 1] <= mergeGap + 1) g.push(i);
            else groups.push([i]);
          });
          const kept = groups.filter((g) => g.length >= minWindows);
          expect(spans.map((s) => s.members)).toEqual(kept);
          for (const s of spans) {
            expect(s.start).toBe(ws[s.members[0]].start);
            expect(s.end).toBe(ws[s.members[s.members.length - 1]].t);
            expect(s.peak).toBe(Math.max(...s.members.map((i) => ws[i].score)));
          }
          const flaggedAfter = new Set(kept.flat());
          ws.forEach((w, i) => expect(w.anomalous).toBe(flaggedAfter.has(i)));
        },
      ),
    );
  });

  it('merges flags whose windows overlap in time, so no two spans cover the same minutes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (flags, width) => {
        // Windows `width` strides long: window i covers [i, i + width) strides.
        const ws = flags.map((anomalous, i): FlaggedWindow => ({
          t: 1000 * (i + width),
          start: 1000 * i,
          score: anomalous ? 5 : 0,
          anomalous,
        }));
        const spans = groupSpans(ws, 1, 0);
        for (let k = 1; k < spans.length; k++) expect(spans[k].start).toBeGreaterThan(spans[k - 1].end);
        expect(spans.flatMap((s) => s.members)).toEqual(flags.flatMap((f, i) => (f ? [i] : [])));
      }),
    );
  });

  // Windows 10 apart; `own`: the window's own score passed the threshold, not only the 3-window average.
  const run = (own: boolean[], sure: boolean[] = []): FlaggedWindow[] =>
    own.map((o, i) => ({ t: 10 * i + 10, start: 10 * i - 50, score: 5, anomalous: true, own: o, sure: sure[i] }));

  it('with `sustained`, a span the fast scale did not flag needs that many windows past the threshold on their own', () => {
    // One odd window spread over three by the average: two windows alone passed the two-window rule.
    const blip = run([true, false, false]);
    expect(groupSpans(blip, 2, 2)).toHaveLength(1);
    const again = run([true, false, false]);
    expect(groupSpans(again, 2, 2, 2)).toEqual([]);
    expect(again.every((w) => !w.anomalous)).toBe(true); // its flags withdrawn
    // A change that lasts: kept, and dated when it met the rule (its second window past on its own), not its first flag.
    const lasting = run([true, false, true, true]);
    const [span] = groupSpans(lasting, 2, 2, 2);
    expect(span.members).toEqual([0, 1, 2, 3]);
    expect(span.detectedAt).toBe(lasting[2].t);
    expect(span.start).toBe(lasting[0].start);
  });

  it("with `sustained`, windows just ahead of a span's first count when their own score passed (they are in its average)", () => {
    // Window 0 passed on its own but its average did not (the windows before it were quiet); window 1 is flagged.
    const ws = run([true, false, true]);
    ws[0].anomalous = false;
    const [span] = groupSpans(ws, 2, 2, 2, 2);
    expect(span.members).toEqual([1, 2]);
    expect(span.detectedAt).toBe(ws[2].t); // two flagged windows (minWindows) and two past on their own
    const alone = run([true, false, false]);
    alone[0].anomalous = false;
    expect(groupSpans(alone, 2, 2, 2, 2)).toEqual([]); // one window past on its own, ahead or not
    const far = run([true, false, false, false, true]);
    far[0].anomalous = far[1].anomalous = false;
    expect(groupSpans(far, 2, 2, 2, 1)).toEqual([]); // window 0 is two ahead: outside a `before` of 1
  });

  it('with `sustained`, a span holding a sure window is kept and dated at it', () => {
    const ws = run([false, false, true], [false, true, false]);
    const [span] = groupSpans(ws, 2, 2, 3);
    expect(span.members).toEqual([0, 1, 2]);
    expect(span.detectedAt).toBe(ws[1].t);
  });
});

describe('DimensionScorer', () => {
  it('marks `own` only on the window whose own score passed the threshold, not on those the average carries', () => {
    // Distances near 1 (log1p(100) ≈ 4.6, scale floored at 0.35); 1000 is a z of about 20, a third of it still past 4.
    const reference = [0.9, 1, 1.1, 0.95, 1.05, 1, 0.9, 1.1].map((d) => [d]);
    const s = new DimensionScorer(reference, { threshold: 4, trailing: 50, average: 3 });
    const quiet = s.score([1]);
    expect(quiet).toMatchObject({ anomalous: false, own: false });
    const spike = s.score([1000]);
    expect(spike.anomalous).toBe(true);
    expect(spike.own).toBe(true);
    const after = s.score([1]); // the spike still in the average
    expect(after.anomalous).toBe(true);
    expect(after.own).toBe(false);
  });
});
