// Scoring and span grouping: against direct reference computations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveScorer, groupSpans, type FlaggedWindow } from '../../src/lib/timeline/score.ts';

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
});
