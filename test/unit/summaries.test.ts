// Diagram summaries on hand-computed examples, plus fast-check agreement with direct definitions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Diagram } from '../../src/lib/tda/types.ts';
import {
  bettiAt,
  bettiCurve,
  countAboveNoise,
  landscapes,
  lifetimes,
  linearGrid,
  maxPersistence,
  persistenceEntropy,
  totalPersistence,
} from '../../src/lib/tda/summaries.ts';

const diagram = (pairs: [number, number][]): Diagram => ({
  dim: 1,
  births: Float64Array.from(pairs.map((x) => x[0])),
  deaths: Float64Array.from(pairs.map((x) => x[1])),
});

// two finite classes (lifetimes 4 and 2) and one essential class born at 2
const D = diagram([
  [0, 4],
  [1, 3],
  [2, Infinity],
]);
const empty = diagram([]);

describe('Betti numbers', () => {
  it('count pairs with birth ≤ r < death, essential ones included', () => {
    const expected: [number, number][] = [
      [-1, 0],
      [0, 1],
      [0.5, 1],
      [1, 2],
      [2, 3],
      [3, 2],
      [3.99, 2],
      [4, 1],
      [1e9, 1],
    ];
    for (const [r, beta] of expected) expect(bettiAt(D, r), `β(${r})`).toBe(beta);
    expect(bettiAt(empty, 1)).toBe(0);
  });

  it('curves match on any grid order', () => {
    expect(Array.from(bettiCurve(D, [-1, 0, 1, 2, 3, 4, 100]))).toEqual([0, 1, 2, 3, 2, 1, 1]);
    expect(Array.from(bettiCurve(D, [4, 2, -1]))).toEqual([1, 3, 0]);
    expect(Array.from(bettiCurve(empty, linearGrid(0, 1, 3)))).toEqual([0, 0, 0]);
  });

  it('curves agree with the definition at every grid point (fast-check)', () => {
    const pair = fc.tuple(
      fc.integer({ min: -5, max: 5 }),
      fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Infinity)),
    );
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 30 }),
        fc.array(fc.double({ min: -6, max: 12, noNaN: true })),
        (pairs, grid) => {
          const d = diagram(pairs.map(([b, l]) => [b, b + l]));
          const curve = bettiCurve(d, grid);
          grid.forEach((r, g) => expect(curve[g]).toBe(bettiAt(d, r)));
        },
      ),
    );
  });
});

describe('persistence landscapes', () => {
  it('take the k-th largest tent at each grid point', () => {
    const grid = [0, 1, 2, 2.5, 3, 4, 5];
    const [l1, l2, l3] = landscapes(D, 3, grid);
    // tents: min(t, 4 − t) for (0,4) and min(t − 1, 3 − t) for (1,3); the essential pair is skipped
    expect(Array.from(l1)).toEqual([0, 1, 2, 1.5, 1, 0, 0]);
    expect(Array.from(l2)).toEqual([0, 0, 1, 0.5, 0, 0, 0]);
    expect(Array.from(l3)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('swap levels where tents cross', () => {
    const crossing = diagram([
      [0, 2],
      [1, 3],
    ]);
    const [l1, l2] = landscapes(crossing, 2, [0.5, 1.25, 1.5, 1.75, 2.5]);
    expect(Array.from(l1)).toEqual([0.5, 0.75, 0.5, 0.75, 0.5]);
    expect(Array.from(l2)).toEqual([0, 0.25, 0.5, 0.25, 0]);
  });

  it('include an essential pair cut at essentialDeath', () => {
    const [l1, l2] = landscapes(D, 2, [2, 3, 4, 5, 6], { essentialDeath: 6 });
    // (2,6) gives min(t − 2, 6 − t): 0, 1, 2, 1, 0; (0,4) gives 2, 1, 0, 0, 0
    expect(Array.from(l1)).toEqual([2, 1, 2, 1, 0]);
    expect(Array.from(l2)).toEqual([1, 1, 0, 0, 0]);
  });

  it('agree with sorting all tents (fast-check)', () => {
    const pair = fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 25 }), fc.integer({ min: 1, max: 5 }), (pairs, k) => {
        const d = diagram(pairs.map(([b, l]) => [b, b + l]));
        const grid = linearGrid(-3, 7, 41);
        const levels = landscapes(d, k, grid);
        grid.forEach((t, g) => {
          const tents = pairs.map(([b, l]) => Math.max(0, Math.min(t - b, b + l - t))).sort((x, y) => y - x);
          for (let level = 0; level < k; level++) expect(levels[level][g]).toBe(tents[level] ?? 0);
        });
      }),
    );
  });
});

describe('lifetime summaries', () => {
  it('persistence entropy of lifetimes 4 and 2 is ln 3 − (2/3) ln 2', () => {
    expect(persistenceEntropy(D)).toBeCloseTo(Math.log(3) - (2 / 3) * Math.log(2), 14);
  });

  it('entropy of k equal lifetimes is ln k, and 1 when normalised', () => {
    const equal = diagram([
      [0, 1],
      [5, 6],
      [2, 3],
      [7, 7], // zero length: contributes nothing
    ]);
    expect(persistenceEntropy(equal)).toBeCloseTo(Math.log(3), 14);
    expect(persistenceEntropy(equal, { normalize: true })).toBeCloseTo(1, 14);
    expect(persistenceEntropy(diagram([[0, 5]]))).toBe(0);
    expect(persistenceEntropy(empty)).toBe(0);
  });

  it('entropy counts an essential pair only when cut', () => {
    // cut at 6: lifetimes 4, 2, 4 → p = 0.4, 0.2, 0.4
    const expected = -(2 * 0.4 * Math.log(0.4) + 0.2 * Math.log(0.2));
    expect(persistenceEntropy(D, { essentialDeath: 6 })).toBeCloseTo(expected, 14);
  });

  it('total persistence is a p-norm of the finite lifetimes', () => {
    expect(totalPersistence(D)).toBe(6);
    expect(totalPersistence(D, 2)).toBeCloseTo(Math.sqrt(20), 14);
    expect(totalPersistence(D, 3)).toBeCloseTo(Math.cbrt(72), 12);
    expect(totalPersistence(D, Infinity)).toBe(4);
    expect(totalPersistence(D, 1, { essentialDeath: 10 })).toBe(14);
    expect(totalPersistence(empty, 2)).toBe(0);
  });

  it('maximal persistence and lifetimes', () => {
    expect(maxPersistence(D)).toBe(4);
    expect(maxPersistence(D, { essentialDeath: 10 })).toBe(8);
    expect(maxPersistence(empty)).toBe(0);
    expect(Array.from(lifetimes(D))).toEqual([4, 2]);
    expect(Array.from(lifetimes(D, { essentialDeath: 1 }))).toEqual([4, 2, 0]);
  });

  it('counts features strictly above the noise floor', () => {
    expect(countAboveNoise(D, 0)).toBe(3);
    expect(countAboveNoise(D, 1.5)).toBe(3);
    expect(countAboveNoise(D, 2)).toBe(2); // the pair of lifetime exactly 2 is noise
    expect(countAboveNoise(D, 2, { essentialDeath: 3 })).toBe(1);
    expect(countAboveNoise(empty, 0)).toBe(0);
  });
});

describe('bad input', () => {
  it('names the summary and the pair', () => {
    const bad = diagram([
      [0, 1],
      [3, 2],
    ]);
    expect(() => bettiCurve(bad, [0])).toThrow(/bettiCurve: pair 1 \(birth 3, death 2\) is invalid/);
    expect(() => persistenceEntropy(diagram([[NaN, 1]]))).toThrow(/persistenceEntropy: pair 0/);
    expect(() => landscapes(D, 0, [0])).toThrow(/levels must be a positive integer/);
    expect(() => landscapes(D, 1, [NaN])).toThrow(/grid value 0 is NaN/);
    expect(() => totalPersistence(D, 0.5)).toThrow(/p must be ≥ 1/);
    expect(() => countAboveNoise(D, NaN)).toThrow(/noise floor/);
    expect(() => maxPersistence(D, { essentialDeath: Infinity })).toThrow(/essentialDeath must be a finite number/);
    expect(() => linearGrid(1, 0, 5)).toThrow(/start ≤ stop/);
    expect(() => bettiAt({ dim: 0, births: new Float64Array(1), deaths: new Float64Array(0) }, 0)).toThrow(
      /1 births but 0 deaths/,
    );
  });
});
