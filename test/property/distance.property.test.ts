// Metric properties of the diagram distances (fast-check): identity, symmetry, triangle inequality,
// and exact = brute force on arbitrary small diagrams.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DiagramDistance } from '../../src/lib/tda/distance.ts';
import { createNodeDistance } from '../../src/node/engine.ts';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { bruteBottleneck, bruteWasserstein } from '../reference/matching-brute.ts';

/** Pairs on an integer grid (ties, shared points) or with continuous values; `essential` infinite pairs. */
function diagramArb(maxPoints: number, essential: number, grid: boolean): fc.Arbitrary<Diagram> {
  const value = grid ? fc.integer({ min: -4, max: 4 }) : fc.double({ min: -5, max: 5, noNaN: true });
  const length = grid ? fc.integer({ min: 0, max: 4 }) : fc.double({ min: 0, max: 4, noNaN: true });
  return fc
    .record({
      finite: fc.array(fc.tuple(value, length), { maxLength: maxPoints }),
      essential: fc.array(value, { minLength: essential, maxLength: essential }),
    })
    .map(({ finite, essential }) => ({
      dim: 1,
      births: Float64Array.from([...finite.map(([b]) => b), ...essential]),
      deaths: Float64Array.from([...finite.map(([b, l]) => b + l), ...essential.map(() => Infinity)]),
    }));
}

type Measure = { name: string; d: (a: Diagram, b: Diagram) => number };

let measures: Measure[] = [];
beforeAll(async () => {
  const dist: DiagramDistance = await createNodeDistance();
  measures = [
    { name: 'W1', d: (a, b) => dist.wasserstein(a, b, 1, { method: 'exact' }) },
    { name: 'W2', d: (a, b) => dist.wasserstein(a, b, 2, { method: 'exact' }) },
    { name: 'bottleneck', d: (a, b) => dist.bottleneck(a, b) },
  ];
});

const tolerance = 1e-9;

describe.each([true, false])('diagram distances (grid values: %s)', (grid) => {
  it('d(A, A) = 0 and d(A, B) ≥ 0', () => {
    fc.assert(
      fc.property(diagramArb(40, 2, grid), diagramArb(40, 2, grid), (a, b) => {
        for (const { d } of measures) {
          expect(d(a, a)).toBe(0);
          expect(d(a, b)).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(diagramArb(40, 1, grid), diagramArb(40, 1, grid), (a, b) => {
        for (const { d } of measures)
          expect(Math.abs(d(a, b) - d(b, a))).toBeLessThanOrEqual(tolerance * (1 + d(a, b)));
      }),
      { numRuns: 150 },
    );
  });

  it('satisfies the triangle inequality', () => {
    fc.assert(
      fc.property(diagramArb(30, 1, grid), diagramArb(30, 1, grid), diagramArb(30, 1, grid), (a, b, c) => {
        for (const { d } of measures) {
          const direct = d(a, c);
          expect(direct).toBeLessThanOrEqual(d(a, b) + d(b, c) + tolerance * (1 + direct));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('exact distances equal brute force over every matching (≤ 6 points each)', () => {
    fc.assert(
      fc.property(diagramArb(5, 1, grid), diagramArb(5, 1, grid), (a, b) => {
        const [w1, w2, bottleneck] = measures;
        expect(w1.d(a, b)).toBeCloseTo(bruteWasserstein(a, b, 1), 9);
        expect(w2.d(a, b)).toBeCloseTo(bruteWasserstein(a, b, 2), 9);
        expect(bottleneck.d(a, b)).toBe(bruteBottleneck(a, b));
      }),
      { numRuns: 200 },
    );
  });
});

describe('w2AndBottleneck', () => {
  it('gives exactly wasserstein(a, b, 2) and bottleneck(a, b): essential points of equal and unequal count, and past the exact solver', async () => {
    const dist = await createNodeDistance();
    const pair = (max: number) =>
      fc
        .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.boolean())
        .chain(([ea, eb, grid]) => fc.tuple(diagramArb(max, ea, grid), diagramArb(max, eb, grid)));
    const same = (x: number, y: number) => expect(Object.is(x, y)).toBe(true);
    fc.assert(
      fc.property(fc.oneof(pair(30), pair(260)), ([a, b]) => {
        const both = dist.w2AndBottleneck(a, b);
        same(both.w2, dist.wasserstein(a, b, 2));
        same(both.bottleneck, dist.bottleneck(a, b));
      }),
      { numRuns: 120 },
    );
  });
});
