// Larger diagrams: the exact solver (auction warm start, row reduction) against a textbook Hungarian,
// and the auction (Hera-style, ε-scaling) against the exact solver on 300–1000 points.
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagramDistance, EXACT_MAX_POINTS } from '../../src/lib/tda/distance.ts';
import { createNodeDistance } from '../../src/node/engine.ts';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { hungarianFinite } from '../reference/matching-brute.ts';

function generator(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

/** Most points near the diagonal (noise), a few far from it (features), like real H1 diagrams. */
function noisyDiagram(rnd: () => number, size: number): Diagram {
  const births = new Float64Array(size);
  const deaths = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    births[i] = rnd() * 2;
    const feature = rnd() < 0.05;
    deaths[i] = births[i] + (feature ? 0.5 + rnd() : rnd() * rnd() * 0.2);
  }
  return { dim: 1, births, deaths };
}

let dist: DiagramDistance;
beforeAll(async () => {
  dist = await createNodeDistance();
});

/** Integer-grid diagrams: many equal costs, the hard case for tie handling. */
function gridDiagram(rnd: () => number, size: number): Diagram {
  const births = new Float64Array(size);
  const deaths = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    births[i] = Math.floor(rnd() * 8);
    deaths[i] = births[i] + Math.floor(rnd() * 6);
  }
  return { dim: 1, births, deaths };
}

describe('exact Wasserstein on mid-size diagrams (auction warm start, row reduction)', () => {
  const cases = [
    { n: 60, m: 90, shape: 'noisy' },
    { n: 150, m: 120, shape: 'noisy' },
    { n: 200, m: 200, shape: 'grid' },
    { n: 40, m: 250, shape: 'grid' },
  ] as const;
  for (const { n, m, shape } of cases) {
    it(`equals a textbook Hungarian on the full augmented matrix (${n} vs ${m}, ${shape})`, () => {
      const rnd = generator(n * 7 + m);
      const make = shape === 'grid' ? gridDiagram : noisyDiagram;
      const a = make(rnd, n);
      const b = make(rnd, m);
      for (const p of [1, 2] as const) {
        const truth = hungarianFinite(a, b, p) ** (1 / p);
        expect(dist.wasserstein(a, b, p, { method: 'exact' })).toBeCloseTo(truth, 9);
      }
    });
  }
});

describe('auction Wasserstein', () => {
  const cases = [
    { n: 300, m: 300, error: 0.01 },
    { n: 500, m: 350, error: 0.01 },
    { n: 1000, m: 1000, error: 0.05 },
    { n: 700, m: 1000, error: 0.001 },
  ];
  for (const { n, m, error } of cases) {
    it(`stays within relative error ${error} of exact for ${n} vs ${m} points`, () => {
      const rnd = generator(n * 31 + m);
      const a = noisyDiagram(rnd, n);
      const b = noisyDiagram(rnd, m);
      for (const p of [1, 2] as const) {
        const exact = dist.wasserstein(a, b, p, { method: 'exact' });
        const approx = dist.wasserstein(a, b, p, { method: 'auction', relativeError: error });
        expect(approx).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
        expect(approx).toBeLessThanOrEqual(exact * (1 + error));
      }
    });
  }

  it('auto is exact at the threshold and an auction just above it', () => {
    const rnd = generator(5);
    const half = EXACT_MAX_POINTS / 2;
    const a = noisyDiagram(rnd, half);
    const b = noisyDiagram(rnd, half);
    expect(dist.wasserstein(a, b, 1)).toBe(dist.wasserstein(a, b, 1, { method: 'exact' }));
    const c = noisyDiagram(rnd, half + 1);
    const viaAuto = dist.wasserstein(a, c, 1, { relativeError: 0.2 });
    expect(viaAuto).toBe(dist.wasserstein(a, c, 1, { method: 'auction', relativeError: 0.2 }));
  });
});
