// Step choice and range splitting for Prometheus reads, against simple reference rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignGrid,
  chooseStep,
  gridPoints,
  MAX_POINTS_PER_SERIES,
  NICE_STEPS,
  splitGrid,
} from '../../src/lib/prometheus/step.ts';

describe('chooseStep', () => {
  it('matches Grafana-like examples', () => {
    expect(chooseStep(3_600_000)).toBe(15_000); // 1 h: the minimum interval
    expect(chooseStep(60 * 3_600_000)).toBe(20_000); // 60 h / 11,000 = 19.6 s
    expect(chooseStep(30 * 86_400_000)).toBe(300_000); // 30 d / 11,000 = 235.6 s -> 5 m
    expect(chooseStep(3_600_000, { minStepMs: 1000, maxPoints: 1000 })).toBe(5000);
  });

  it('is nice, at least the minimum, and keeps every series within the point limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * 365 * 86_400_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (range, minStepMs, maxPoints) => {
          const step = chooseStep(range, { minStepMs, maxPoints });
          expect(step).toBeGreaterThanOrEqual(minStepMs);
          expect(range / step).toBeLessThanOrEqual(Math.min(maxPoints, MAX_POINTS_PER_SERIES));
          expect(NICE_STEPS.includes(step) || step % 86_400_000 === 0).toBe(true);
        },
      ),
    );
  });
});

describe('splitGrid', () => {
  it('puts every evaluation time in exactly one chunk, each within the limit, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.integer({ min: 50, max: 12_000 }),
        (start, points, step, maxPoints) => {
          const grid = alignGrid(start, start + points * step, step);
          expect(grid.start % step).toBe(0);
          expect(grid.start).toBeGreaterThanOrEqual(start);
          const chunks = splitGrid(grid, maxPoints);
          let expected = grid.start;
          for (const c of chunks) {
            expect(c.start).toBe(expected);
            const n = gridPoints(c);
            expect(n).toBeLessThanOrEqual(Math.min(maxPoints, MAX_POINTS_PER_SERIES));
            expect((c.end - c.start) / step).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
            expected = c.end + step;
          }
          expect(chunks.at(-1)!.end).toBe(grid.end);
          expect(chunks.reduce((s, c) => s + gridPoints(c), 0)).toBe(gridPoints(grid));
        },
      ),
    );
  });
});
