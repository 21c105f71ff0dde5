// Distances between real persistence diagrams (Ripser 1.2.1 golden diagrams in ../shared/bench/clouds)
// against values from an independent implementation: SciPy's linear_sum_assignment on the full
// augmented (n+m)×(n+m) matrix for W1/W2, and bisection over candidate distances with SciPy's
// maximum_bipartite_matching for the bottleneck (computed once, offline, and pasted here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagramDistance } from '../../src/lib/tda/distance.ts';
import { createNodeDistance } from '../../src/node/engine.ts';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { hasShared, sharedDir } from '../helpers/env.ts';

function golden(name: string, dim: number): Diagram {
  const file = join(sharedDir, 'bench', 'clouds', `${name}.golden.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { diagrams: Record<string, [number, number | null][]> };
  const pairs = json.diagrams[String(dim)];
  return {
    dim,
    births: Float64Array.from(pairs.map(([b]) => b)),
    deaths: Float64Array.from(pairs.map(([, d]) => d ?? Infinity)),
  };
}

const cases = [
  { a: 'gauss_200_8', b: 'torus_400', dim: 1, W1: 22.407783000000002, W2: 1.9347614382969802, bottleneck: 0.833028 },
  { a: 'gauss_50_5', b: 'circle_100', dim: 1, W1: 2.0164656999999995, W2: 0.7810907344687235, bottleneck: 0.6627165 },
  // H0: births all 0 (many ties) and one essential class each
  { a: 'circle_100', b: 'dups_70_2', dim: 0, W1: 10.517435715000001, W2: 1.8273498108520279, bottleneck: 1.040015 },
  { a: 'gauss_200_8', b: 'sphere_300', dim: 2, W1: 3.861915500000001, W2: 0.7302822472922714, bottleneck: 0.5275355 },
  { a: 'grid_144_2', b: 'dups_70_2', dim: 1, W1: 25.447518999999993, W2: 2.2844247502799253, bottleneck: 0.207105 },
];

describe.skipIf(!hasShared())('distances between Ripser golden diagrams', () => {
  let dist: DiagramDistance;
  beforeAll(async () => {
    dist = await createNodeDistance();
  });

  for (const c of cases) {
    it(`${c.a} vs ${c.b} (H${c.dim}) match SciPy`, () => {
      const a = golden(c.a, c.dim);
      const b = golden(c.b, c.dim);
      expect(dist.wasserstein(a, b, 1, { method: 'exact' })).toBeCloseTo(c.W1, 9);
      expect(dist.wasserstein(a, b, 2, { method: 'exact' })).toBeCloseTo(c.W2, 9);
      expect(dist.bottleneck(a, b)).toBeCloseTo(c.bottleneck, 12);
      expect(dist.bottleneck(b, a)).toBeCloseTo(c.bottleneck, 12);
      const auction = dist.wasserstein(a, b, 1, { method: 'auction', relativeError: 0.01 });
      expect(auction).toBeGreaterThanOrEqual(c.W1 * (1 - 1e-12));
      expect(auction).toBeLessThanOrEqual(c.W1 * 1.01);
    });
  }

  it('auction on gauss_1000_3 vs gauss_2000_10 (H1, 512 vs 3253 points) is within 1% of SciPy', () => {
    const a = golden('gauss_1000_3', 1);
    const b = golden('gauss_2000_10', 1);
    const truth = { 1: 255.238401, 2: 5.370318328262069 };
    for (const p of [1, 2] as const) {
      const approx = dist.wasserstein(a, b, p, { relativeError: 0.01 });
      expect(approx).toBeGreaterThanOrEqual(truth[p] * (1 - 1e-12));
      expect(approx).toBeLessThanOrEqual(truth[p] * 1.01);
    }
  });
});
