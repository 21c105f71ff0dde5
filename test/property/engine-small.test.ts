// The engine's small-cloud path (dense complexes of at most 128 points: dimension 0 by Prim's algorithm,
// columns reduced on streams of keys, assembly/rips_column.ts) against the plain reference reduction, and
// against the engine's general path on the window sizes the app uses (60 points in R^8 and R^10).
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PHEngine } from '../../src/lib/tda/engine.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { diagramMismatch, diagramPairs, type Pair } from '../reference/diagrams.ts';
import { f32Distance, referencePersistence } from '../reference/rips-reference.ts';

/** The largest cloud the small path takes (SMALL_MAX_POINTS in assembly/ripser.ts). */
const SMALL_MAX_POINTS = 128;

let engine: PHEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

function expectSameDiagrams(actual: Pair[][], expected: Pair[][]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((pairs, dim) => expect(diagramMismatch(pairs, expected[dim], 0), `H${dim}`).toBeNull());
}

/**
 * n points in R^d: real coordinates, or small integers (`grid`: distances tie a lot); then `copies` points
 * are overwritten with copies of others (duplicate points: zero-length edges and ties everywhere).
 */
const smallCloud = (maxPoints: number, maxDim: number) =>
  fc
    .record({
      n: fc.integer({ min: 0, max: maxPoints }),
      d: fc.integer({ min: 1, max: maxDim }),
      grid: fc.boolean(),
      copies: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
    })
    .chain(({ n, d, grid, copies }) =>
      fc
        .array(grid ? fc.integer({ min: -2, max: 2 }) : fc.double({ min: -10, max: 10, noNaN: true }), {
          minLength: n * d,
          maxLength: n * d,
        })
        .map((values) => {
          // no coordinates below 1e-6 in magnitude: their squared differences would underflow f32
          const points = Float64Array.from(values, (x) => (Math.abs(x) < 1e-6 ? 0 : x));
          if (n > 1) {
            for (const [from, to] of copies) points.copyWithin((to % n) * d, (from % n) * d, (from % n) * d + d);
          }
          return { n, d, points };
        }),
    );

describe('small-cloud path', () => {
  it('agrees with the plain reduction on random clouds with ties and duplicate points (H0, H1; H2 to 16 points)', () => {
    fc.assert(
      fc.property(smallCloud(36, 10), ({ n, d, points }) => {
        const maxDim = n <= 16 ? 2 : 1;
        const expected = referencePersistence(n, (i, j) => f32Distance(points, d, i, j), maxDim);
        expectSameDiagrams(diagramPairs(engine.computePoints(points, n, d, { maxDim })), expected);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps one essential class per component when a threshold splits the cloud', () => {
    fc.assert(
      fc.property(smallCloud(28, 3), ({ n, d, points }) => {
        // the second half moved 1000 away, with the threshold between the scales: most edges stay below it
        // (the dense path), and Prim's algorithm must start a tree in each half
        const half = n >> 1;
        const split = points.map((x, i) => (i >= half * d && i % d === 0 ? x + 1000 : x));
        const threshold = 100;
        const expected = referencePersistence(n, (i, j) => f32Distance(split, d, i, j), 1, threshold);
        const result = engine.computePoints(split, n, d, { maxDim: 1, threshold });
        expectSameDiagrams(diagramPairs(result), expected);
        const essential = diagramPairs(result)[0].filter(([, death]) => death === Infinity);
        expect(essential).toHaveLength((half > 0 ? 1 : 0) + (n - half > 0 ? 1 : 0));
      }),
      { numRuns: 40 },
    );
  });

  it('gives the general path’s diagrams on 60-point clouds in R^8 and R^10', () => {
    // copies of point 0 change no diagram (a copy is a cone point: only zero-length pairs, which are
    // dropped) nor the enclosing radius, but push the cloud past the small path's limit
    fc.assert(
      fc.property(
        fc.constantFrom(8, 10),
        fc.boolean(),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 600, maxLength: 600 }),
        (d, grid, values) => {
          const n = 60;
          const points = Float64Array.from(values.slice(0, n * d), (x) => (grid ? Math.round(x) : x));
          const padded = new Float64Array((SMALL_MAX_POINTS + 1) * d);
          padded.set(points);
          for (let i = n; i <= SMALL_MAX_POINTS; i++) padded.set(points.subarray(0, d), i * d);
          const small = engine.computePoints(points, n, d, { maxDim: 1 });
          const general = engine.computePoints(padded, SMALL_MAX_POINTS + 1, d, { maxDim: 1 });
          expect(general.stats.edges).toBeGreaterThan(small.stats.edges);
          expectSameDiagrams(diagramPairs(small), diagramPairs(general));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('small-cloud path, distance matrices', () => {
  it('reads -0 as 0', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 12 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.constantFrom(0, 1, 2, 3), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
            ),
          ),
        ([n, values]) => {
          const positive = Float64Array.from(values);
          const negativeZeros = positive.map((x) => (x === 0 ? -0 : x));
          const expected = diagramPairs(engine.computeDistances(positive, n, { maxDim: 2 }));
          expectSameDiagrams(diagramPairs(engine.computeDistances(negativeZeros, n, { maxDim: 2 })), expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
