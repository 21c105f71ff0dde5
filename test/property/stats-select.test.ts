// The median and MAD found by selection (cloud/stats.ts) against the definition they replace: the finite
// values sorted, then the interpolated middle. Equal to the last bit, signed zeros and NaN handling included,
// since every report figure downstream depends on them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectStep, mad, median, quantileSorted, saturationLimit, sortedFinite } from '../../src/lib/cloud/index.ts';

const sortedMedian = (xs: ArrayLike<number>, from = 0, to = xs.length) =>
  quantileSorted(sortedFinite(xs, from, to), 0.5);

function sortedMad(xs: ArrayLike<number>, from = 0, to = xs.length, centre = sortedMedian(xs, from, to)) {
  const dev: number[] = [];
  for (let i = from; i < to; i++) if (Number.isFinite(xs[i])) dev.push(Math.abs(xs[i] - centre));
  return quantileSorted(Float64Array.from(dev).sort(), 0.5);
}

/** Few distinct values (many ties), signed zeros, gaps and infinities, or anything. */
const value = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }).map((v) => v / 2) },
  { weight: 4, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0, NaN, Infinity, -Infinity) },
);
const column = fc.array(value, { maxLength: 300 });

describe('median and MAD by selection', () => {
  it('equal the sorted definitions (Object.is: -0 and +0 as a sort orders them)', () => {
    fc.assert(
      fc.property(column, fc.nat(), fc.nat(), (xs, a, b) => {
        const from = xs.length ? a % xs.length : 0;
        const to = xs.length ? from + (b % (xs.length - from + 1)) : 0;
        expect(Object.is(median(xs, from, to), sortedMedian(xs, from, to))).toBe(true);
        expect(Object.is(mad(xs), sortedMad(xs))).toBe(true);
        expect(Object.is(mad(xs, from, to), sortedMad(xs, from, to))).toBe(true);
        expect(Object.is(mad(xs, 0, xs.length, 0.25), sortedMad(xs, 0, xs.length, 0.25))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('handle sorted, reversed and constant runs, and long columns', () => {
    const n = 10_001;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = up.slice().reverse();
    const flat = new Float64Array(n).fill(7);
    const saw = Float64Array.from({ length: n }, (_, i) => (i % 17) - 8 + (i % 2 ? NaN : 0));
    for (const xs of [up, down, flat, saw]) {
      expect(median(xs)).toBe(sortedMedian(xs));
      expect(mad(xs)).toBe(sortedMad(xs));
    }
    expect(median(up)).toBe(5000);
    expect(mad(up)).toBe(2500);
  });

  it('give NaN without finite values, and callers keep their fallbacks', () => {
    expect(median([])).toBeNaN();
    expect(median([NaN, Infinity, -Infinity])).toBeNaN();
    expect(mad([NaN])).toBeNaN();
    expect(mad([1, 2, 3], 0, 3, NaN)).toBeNaN();
    // Saturation limit of a column with no data: the floor, not NaN.
    expect(saturationLimit([NaN, NaN])).toBe(4);
  });
});

describe('detectStep', () => {
  it('equals the median of the sorted positive differences, infinities included', () => {
    const series = fc.array(
      fc.array(fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constant(Infinity)), { maxLength: 40 }).map((gaps) => {
        let t = 0;
        return Float64Array.from(gaps, (g) => (t += g));
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(series, (list) => {
        const diffs: number[] = [];
        for (const ts of list)
          for (let i = 1; i < ts.length; i++) if (ts[i] - ts[i - 1] > 0) diffs.push(ts[i] - ts[i - 1]);
        expect(Object.is(detectStep(list), quantileSorted(Float64Array.from(diffs).sort(), 0.5))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
