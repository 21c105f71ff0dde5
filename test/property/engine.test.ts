// The persistent-homology engine checked against mathematical facts and a plain reference reduction
// (test/reference/rips-reference.ts) on small random clouds and distance matrices.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PHEngine } from '../../src/lib/tda/engine.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { diagramMismatch, diagramPairs, type Pair } from '../reference/diagrams.ts';
import { f32Distance, referencePersistence } from '../reference/rips-reference.ts';

let engine: PHEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

/** A cloud of n points in R^d; `grid` clouds have small integer coordinates, so distances tie a lot. */
const cloud = (maxPoints: number, grid = false) =>
  fc.record({ n: fc.integer({ min: 0, max: maxPoints }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ n, d }) =>
    fc
      .array(grid ? fc.integer({ min: -3, max: 3 }) : fc.double({ min: -10, max: 10, noNaN: true }), {
        minLength: n * d,
        maxLength: n * d,
      })
      // no coordinates below 1e-6 in magnitude: their squared differences would underflow f32
      .map((values) => ({ n, d, points: Float64Array.from(values, (x) => (Math.abs(x) < 1e-6 ? 0 : x)) })),
  );

/** Minimum spanning tree edge lengths (Prim, on the engine's f32 distances), zero lengths dropped. */
function mstLengths(points: Float64Array, n: number, d: number): number[] {
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const lengths: number[] = [];
  if (n === 0) return lengths;
  best[0] = 0;
  for (let step = 0; step < n; step++) {
    let u = -1;
    for (let v = 0; v < n; v++) if (!inTree[v] && (u < 0 || best[v] < best[u])) u = v;
    inTree[u] = 1;
    if (step > 0 && best[u] > 0) lengths.push(best[u]);
    for (let v = 0; v < n; v++) if (!inTree[v]) best[v] = Math.min(best[v], f32Distance(points, d, u, v));
  }
  return lengths.sort((a, b) => a - b);
}

/**
 * A pair of `a` longer than 2·tolerance with no distinct partner in `b` within the tolerance, or null:
 * equality of diagrams up to rounding, where rounding may create or remove pairs shorter than that.
 */
function unmatchedLongPair(a: Pair[], b: Pair[], tolerance: number): Pair | null {
  const used = new Uint8Array(b.length);
  const near = (x: number, y: number) => x === y || Math.abs(x - y) <= tolerance;
  for (const pair of a) {
    if (pair[1] - pair[0] <= 2 * tolerance) continue;
    const k = b.findIndex((q, i) => !used[i] && near(q[0], pair[0]) && near(q[1], pair[1]));
    if (k < 0) return pair;
    used[k] = 1;
  }
  return null;
}

function expectSameDiagrams(actual: Pair[][], expected: Pair[][], rel = 1e-6) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((pairs, dim) => expect(diagramMismatch(pairs, expected[dim], rel), `H${dim}`).toBeNull());
}

describe('engine properties', () => {
  it('H0 deaths are the lengths of a minimum spanning tree', () => {
    fc.assert(
      fc.property(cloud(40), ({ n, d, points }) => {
        const [h0] = diagramPairs(engine.computePoints(points, n, d, { maxDim: 0 }));
        const finite = h0.filter(([, death]) => death !== Infinity).map(([, death]) => death);
        expect(finite.sort((a, b) => a - b)).toEqual(mstLengths(points, n, d));
        expect(h0.filter(([birth, death]) => birth === 0 && death === Infinity)).toHaveLength(n > 0 ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });

  it('is invariant under a permutation of the points', () => {
    fc.assert(
      fc.property(
        cloud(24, true).chain((c) =>
          fc.tuple(fc.constant(c), fc.shuffledSubarray([...Array(c.n).keys()], { minLength: c.n, maxLength: c.n })),
        ),
        ([{ n, d, points }, order]) => {
          const permuted = new Float64Array(n * d);
          order.forEach((from, to) => permuted.set(points.subarray(from * d, from * d + d), to * d));
          const a = diagramPairs(engine.computePoints(points, n, d, { maxDim: 2 }));
          const b = diagramPairs(engine.computePoints(permuted, n, d, { maxDim: 2 }));
          expectSameDiagrams(b, a, 0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('scales every pair by c when the cloud is scaled by c', () => {
    fc.assert(
      fc.property(
        cloud(20),
        fc.constantFrom(0.25, 0.5, 2, 8, 1024),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        ({ n, d, points }, powerOfTwo, c) => {
          const base = diagramPairs(engine.computePoints(points, n, d, { maxDim: 2 }));
          // a power of two scales f32 arithmetic exactly: identical diagrams, scaled
          const exact = diagramPairs(
            engine.computePoints(
              points.map((x) => x * powerOfTwo),
              n,
              d,
              { maxDim: 2 },
            ),
          );
          expectSameDiagrams(
            exact,
            base.map((pairs) => pairs.map(([b, e]): Pair => [b * powerOfTwo, e * powerOfTwo])),
            0,
          );
          // any other factor: equal up to f32 rounding, for every pair long enough to survive the rounding
          const scaled = diagramPairs(
            engine.computePoints(
              points.map((x) => x * c),
              n,
              d,
              { maxDim: 1 },
            ),
          );
          for (let dim = 0; dim <= 1; dim++) {
            const expected = base[dim].map(([b, e]): Pair => [b * c, e * c]);
            const tolerance = 1e-4 * c * (1 + Math.max(0, ...expected.map(([b]) => b)));
            expect(unmatchedLongPair(scaled[dim], expected, tolerance), `H${dim} scaled by ${c}`).toBeNull();
            expect(unmatchedLongPair(expected, scaled[dim], tolerance), `H${dim} scaled by ${c}`).toBeNull();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('agrees with the plain boundary-matrix reduction on clouds of up to 14 points, H0..H2', () => {
    fc.assert(
      fc.property(cloud(14), fc.boolean(), ({ n, d, points }, grid) => {
        const pts = grid ? points.map((x) => Math.round(x / 4)) : points;
        const expected = referencePersistence(n, (i, j) => f32Distance(pts, d, i, j), 2);
        expectSameDiagrams(diagramPairs(engine.computePoints(pts, n, d, { maxDim: 2 })), expected, 0);
      }),
      { numRuns: 120 },
    );
  });

  it('agrees with the reference below a threshold (dense and sparse paths), up to H3', () => {
    fc.assert(
      fc.property(cloud(10, true), fc.integer({ min: 0, max: 8 }), ({ n, d, points }, t) => {
        const threshold = Math.sqrt(t) + 0.01;
        const expected = referencePersistence(n, (i, j) => f32Distance(points, d, i, j), 3, Math.fround(threshold));
        const result = engine.computePoints(points, n, d, { maxDim: 3, threshold });
        expectSameDiagrams(diagramPairs(result), expected, 0);
      }),
      { numRuns: 80 },
    );
  });

  it('agrees with the reference on distance matrices full of ties', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 12 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.integer({ min: 0, max: 5 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
            ),
          ),
        ([n, values]) => {
          const lower = Float64Array.from(values);
          const at = (i: number, j: number) => (i > j ? lower[(i * (i - 1)) / 2 + j] : lower[(j * (j - 1)) / 2 + i]);
          const expected = referencePersistence(n, at, 2);
          expectSameDiagrams(diagramPairs(engine.computeDistances(lower, n, { maxDim: 2 })), expected, 0);
        },
      ),
      { numRuns: 120 },
    );
  });
});
