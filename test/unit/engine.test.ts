// The persistent-homology engine against Ripser 1.2.1's diagrams (test/fixtures/clouds, and o3_1024 from
// ../shared), plus the edge cases and errors the wrapper promises.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBudgetError, WorkLimitError, type PHEngine } from '../../src/lib/tda/engine.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { parsePointsCsv } from '../../src/lib/cloud/points-csv.ts';
import { diagramMismatch, diagramPairs, type Pair } from '../reference/diagrams.ts';
import { hasShared, repoRoot, sharedDir } from '../helpers/env.ts';

interface ManifestEntry {
  name: string;
  maxDim: number;
  threshold: number | null;
}

const fixtures = join(repoRoot, 'test/fixtures/clouds');
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as ManifestEntry[];

function loadCloud(dir: string, name: string) {
  return parsePointsCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'));
}

function goldenPairs(dir: string, name: string, dim: number): Pair[] {
  const golden = JSON.parse(readFileSync(join(dir, `${name}.golden.json`), 'utf8')) as {
    diagrams: Record<string, [number, number | null][]>;
  };
  return (golden.diagrams[String(dim)] ?? []).map(([b, d]): Pair => [b, d ?? Infinity]);
}

let engine: PHEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

function expectGolden(dir: string, entry: ManifestEntry) {
  const cloud = loadCloud(dir, entry.name);
  const result = engine.computePoints(cloud.points, cloud.n, cloud.d, {
    maxDim: entry.maxDim,
    threshold: entry.threshold ?? undefined,
  });
  expect(result.diagrams.map((d) => d.dim)).toEqual([...Array(entry.maxDim + 1).keys()]);
  diagramPairs(result).forEach((pairs, dim) => {
    expect(diagramMismatch(pairs, goldenPairs(dir, entry.name, dim)), `${entry.name} H${dim}`).toBeNull();
  });
  return result;
}

describe('golden diagrams from Ripser 1.2.1', () => {
  const committed = manifest.filter((m) => existsSync(join(fixtures, `${m.name}.csv`)));
  it('has the committed clouds', () => {
    expect(committed.map((m) => m.name).sort()).toEqual(
      ['circle_100', 'dups_70_2', 'gauss_1000_3', 'gauss_200_8', 'gauss_50_5', 'grid_144_2', 'torus_400'].sort(),
    );
  });
  for (const entry of committed) {
    it(`reproduces ${entry.name} (H0..H${entry.maxDim})`, () => {
      const result = expectGolden(fixtures, entry);
      expect(result.stats.points).toBeGreaterThan(0);
      expect(result.stats.edges).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(!hasShared())('golden diagrams read from ../shared', () => {
  it('reproduces o3_1024 (threshold 1.4, H0..H2)', () => {
    const dir = join(sharedDir, 'bench/clouds');
    const entries = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestEntry[];
    const entry = entries.find((m) => m.name === 'o3_1024')!;
    expect(entry.threshold).toBe(1.4);
    expectGolden(dir, entry);
  });
});

describe('small and degenerate clouds', () => {
  it('handles n = 0, 1 and 2', () => {
    const empty = engine.computePoints(new Float64Array(0), 0, 3, { maxDim: 2 });
    expect(empty.diagrams.map((d) => d.births.length)).toEqual([0, 0, 0]);
    const one = engine.computePoints(new Float64Array([1, 2]), 1, 2, { maxDim: 1 });
    expect(diagramPairs(one)).toEqual([[[0, Infinity]], []]);
    const two = engine.computePoints(new Float64Array([0, 0, 3, 4]), 2, 2, { maxDim: 1 });
    expect(diagramPairs(two)).toEqual([
      [
        [0, 5],
        [0, Infinity],
      ],
      [],
    ]);
  });

  it('drops the zero-length pairs of duplicate points', () => {
    // a unit square with every corner doubled: 3 finite H0 pairs at 1, one loop [1, √2)
    const square = [0, 0, 1, 0, 1, 1, 0, 1];
    const points = new Float64Array([...square, ...square]);
    const [h0, h1] = diagramPairs(engine.computePoints(points, 8, 2, { maxDim: 1 }));
    expect(h0).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, Infinity],
    ]);
    expect(h1).toHaveLength(1);
    expect(h1[0][0]).toBe(1);
    expect(h1[0][1]).toBeCloseTo(Math.SQRT2, 6);
  });

  it('sees no loops in collinear points', () => {
    const points = new Float64Array([0, 0, 1, 1, 3, 3, 4, 4, 7, 7].map((v) => v * 0.5));
    const [h0, h1, h2] = diagramPairs(engine.computePoints(points, 5, 2, { maxDim: 2 }));
    expect(h0.map(([, d]) => d)).toEqual(
      [0.5 * Math.SQRT2, 0.5 * Math.SQRT2, Math.fround(Math.SQRT2), Math.fround(1.5 * Math.SQRT2), Infinity]
        .map((v) => Math.fround(v))
        .sort((a, b) => a - b),
    );
    expect(h1).toEqual([]);
    expect(h2).toEqual([]);
  });

  it('accepts a distance matrix and agrees with the points it came from', () => {
    const cloud = loadCloud(fixtures, 'gauss_50_5');
    const lower: number[] = [];
    for (let i = 1; i < cloud.n; i++)
      for (let j = 0; j < i; j++) {
        let s = 0;
        for (let c = 0; c < cloud.d; c++) s += (cloud.points[i * cloud.d + c] - cloud.points[j * cloud.d + c]) ** 2;
        lower.push(Math.sqrt(s));
      }
    const fromMatrix = diagramPairs(engine.computeDistances(new Float64Array(lower), cloud.n, { maxDim: 2 }));
    fromMatrix.forEach((pairs, dim) =>
      expect(diagramMismatch(pairs, goldenPairs(fixtures, 'gauss_50_5', dim))).toBeNull(),
    );
  });

  it('keeps essential classes below an explicit threshold, in both the dense and the sparse path', () => {
    // four points on a square of side 1, threshold 1.2: one loop that never dies
    const points = new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]);
    const [h0, h1] = diagramPairs(engine.computePoints(points, 4, 2, { maxDim: 1, threshold: 1.2 }));
    expect(h0).toHaveLength(4);
    expect(h1).toEqual([[1, Infinity]]);
    // two far-apart squares: most edges exceed the threshold, so the engine takes the sparse path
    const twoSquares = new Float64Array([...points, ...[0, 0, 1, 0, 1, 1, 0, 1].map((v) => v + 100)]);
    const result = engine.computePoints(twoSquares, 8, 2, { maxDim: 1, threshold: 1.2 });
    expect(diagramPairs(result)[1]).toEqual([
      [1, Infinity],
      [1, Infinity],
    ]);
    expect(diagramPairs(result)[0].filter(([, d]) => d === Infinity)).toHaveLength(2);
  });

  it('returns results that survive the next computation', () => {
    const a = engine.computePoints(new Float64Array([0, 0, 3, 4]), 2, 2, { maxDim: 0 });
    engine.computePoints(new Float64Array([0, 0, 6, 8, 1, 1]), 3, 2, { maxDim: 1 });
    expect(Array.from(a.diagrams[0].deaths)).toEqual([5, Infinity]);
  });
});

describe('cocycles', () => {
  it('returns the loop of a circle as a cycle of edges around it', () => {
    const cloud = loadCloud(fixtures, 'circle_100');
    const result = engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: 1, cocycles: true, maxCocycles: 1 });
    expect(result.cocycles).toHaveLength(1);
    const [loop] = result.cocycles!;
    const h1 = diagramPairs(result)[1].sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
    expect([loop.birth, loop.death]).toEqual(h1[0]);
    // a cocycle of the loop must cut every path around the circle: every edge joins two points, and
    // removing the cocycle's edges from the Rips graph at the birth leaves the circle's graph cut open
    expect(loop.edges.length).toBeGreaterThan(0);
    for (const [u, v] of loop.edges) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(cloud.n);
      expect(u).not.toBe(v);
    }
    // evaluate the cocycle on the polygon through the points in angular order: it must be odd (non-zero)
    const angle = (i: number) => Math.atan2(cloud.points[2 * i + 1], cloud.points[2 * i]);
    const order = [...Array(cloud.n).keys()].sort((a, b) => angle(a) - angle(b));
    const inCocycle = new Set(loop.edges.map(([u, v]) => `${Math.min(u, v)},${Math.max(u, v)}`));
    let hits = 0;
    for (let k = 0; k < order.length; k++) {
      const u = order[k];
      const v = order[(k + 1) % order.length];
      if (inCocycle.has(`${Math.min(u, v)},${Math.max(u, v)}`)) hits++;
    }
    expect(hits % 2).toBe(1);
  });
});

describe('bad input', () => {
  it('names the point with a non-finite coordinate', () => {
    expect(() => engine.computePoints(new Float64Array([0, 0, 1, NaN]), 2, 2, { maxDim: 1 })).toThrow(
      /point 1 has a non-finite coordinate/,
    );
    expect(() => engine.computePoints(new Float64Array([Infinity, 0]), 1, 2, { maxDim: 1 })).toThrow(/point 0/);
    expect(() => engine.computeDistances(new Float64Array([1, NaN, 2]), 3, { maxDim: 1 })).toThrow(/points 2 and 0/);
  });

  it('rejects maxDim outside 0..3 and mismatched sizes', () => {
    const points = new Float64Array([0, 0, 1, 1]);
    expect(() => engine.computePoints(points, 2, 2, { maxDim: 4 })).toThrow(/maxDim must be an integer from 0 to 3/);
    expect(() => engine.computePoints(points, 2, 2, { maxDim: -1 })).toThrow(/maxDim/);
    expect(() => engine.computePoints(points, 3, 2, { maxDim: 1 })).toThrow(/expected 3 points/);
    expect(() => engine.computePoints(points, 2, 2, { maxDim: 1, threshold: -1 })).toThrow(/threshold/);
  });

  it('refuses what would exceed the memory budget, before and during the computation', () => {
    const cloud = loadCloud(fixtures, 'gauss_200_8');
    // the distance matrix alone (200·199/2 f32) does not fit in 64 KB: refused before allocating
    expect(() =>
      engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: 2, memoryBudgetBytes: 64 * 1024 }),
    ).toThrow(MemoryBudgetError);
    // the matrix fits in 400 KB but the edge lists do not: refused by the engine, with advice
    expect(() =>
      engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: 2, memoryBudgetBytes: 400 * 1024 }),
    ).toThrow(/needs more than ~\d+ MB, budget is 1 MB: lower --max-dim, set a threshold or subsample/);
    // and the engine still works afterwards
    const ok = engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: 1 });
    expect(diagramMismatch(diagramPairs(ok)[1], goldenPairs(fixtures, 'gauss_200_8', 1))).toBeNull();
  });

  it('stops at the work limit with a clear error, and finishes under a generous one', () => {
    const cloud = loadCloud(fixtures, 'gauss_200_8');
    const opts = { maxDim: 2, workLimit: 5000 };
    expect(() => engine.computePoints(cloud.points, cloud.n, cloud.d, opts)).toThrow(WorkLimitError);
    expect(() => engine.computePoints(cloud.points, cloud.n, cloud.d, opts)).toThrow(/work limit of 5000 simplices/);
    const done = engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: 2, workLimit: 1e9 });
    expect(diagramMismatch(diagramPairs(done)[2], goldenPairs(fixtures, 'gauss_200_8', 2))).toBeNull();
  });

  it('refuses simplex indices that would overflow 64 bits', () => {
    expect(() => engine.computeDistances(new Float64Array(0), 200000, { maxDim: 3 })).toThrow(/overflow 64 bits/);
  });
});
