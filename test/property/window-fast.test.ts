// The fast paths of the window computation against the plain code they replaced, bit for bit: the fused
// W2 + bottleneck programme over sorted deaths (h0.ts), with cached references, the same programmes in the
// WebAssembly module (assembly/matching-line.ts, four rows at a time), and the median saturation of a block
// (window.ts). Reports must not move by a rounding when the speed changes.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { quantileSorted, sortedFinite } from '../../src/lib/cloud/index.ts';
import {
  deathsBottleneck,
  deathsWasserstein2,
  finiteDeaths,
  finiteDeathsCached,
  isDeathsOnly,
  sortDeaths,
  sortedDistances,
  sortedWasserstein2,
} from '../../src/lib/timeline/h0.ts';
import { finitePart, saturateAroundMedian } from '../../src/lib/timeline/window.ts';
import { DiagramDistance } from '../../src/lib/tda/distance.ts';
import { loadAuraNode } from '../../src/node/wasm.ts';

let wasm: DiagramDistance;
beforeAll(async () => {
  wasm = new DiagramDistance(await loadAuraNode());
});

/** The programmes as they were: sort, then fill the table with costs computed in place. */
function plainW2(a: Diagram, b: Diagram): number {
  const x = Float64Array.from(a.deaths).sort();
  const y = Float64Array.from(b.deaths).sort();
  let prev = new Float64Array(y.length + 1);
  let cur = new Float64Array(y.length + 1);
  for (let j = 1; j <= y.length; j++) prev[j] = prev[j - 1] + (y[j - 1] / 2) ** 2;
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    cur[0] = prev[0] + (xi / 2) ** 2;
    for (let j = 1; j <= y.length; j++) {
      const d = xi - y[j - 1];
      cur[j] = Math.min(prev[j] + (xi / 2) ** 2, cur[j - 1] + (y[j - 1] / 2) ** 2, prev[j - 1] + d * d);
    }
    [prev, cur] = [cur, prev];
  }
  return Math.sqrt(prev[y.length]);
}

function plainBottleneck(a: Diagram, b: Diagram): number {
  const x = Float64Array.from(a.deaths).sort();
  const y = Float64Array.from(b.deaths).sort();
  let prev = new Float64Array(y.length + 1);
  let cur = new Float64Array(y.length + 1);
  for (let j = 1; j <= y.length; j++) prev[j] = Math.max(prev[j - 1], y[j - 1] / 2);
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1];
    cur[0] = Math.max(prev[0], xi / 2);
    for (let j = 1; j <= y.length; j++) {
      const yj = y[j - 1];
      cur[j] = Math.min(
        Math.max(prev[j], xi / 2),
        Math.max(cur[j - 1], yj / 2),
        Math.max(prev[j - 1], Math.abs(xi - yj)),
      );
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

const h0 = fc
  .array(fc.oneof(fc.double({ min: 0, max: 50, noNaN: true }), fc.constantFrom(0, -0, 1, 2.5)), { maxLength: 90 })
  .map((ds): Diagram => ({ dim: 0, births: new Float64Array(ds.length), deaths: Float64Array.from(ds) }));

describe('H0 distances over sorted deaths', () => {
  it('finiteDeaths is the finite part sorted when it is births-0, null otherwise', () => {
    const pair = fc.tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
      ),
      fc.oneof(
        { weight: 5, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
        { weight: 1, arbitrary: fc.constant(Infinity) },
      ),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), (pairs) => {
        const d: Diagram = {
          dim: 0,
          births: Float64Array.from(pairs, (p) => p[0]),
          deaths: Float64Array.from(pairs, (p) => p[1]),
        };
        const finite = finitePart(d);
        const got = finiteDeaths(d);
        if (!isDeathsOnly(finite)) expect(got).toBeNull();
        else expect(got).toEqual(sortDeaths(finite));
        expect(finiteDeathsCached(d)).toEqual(got);
      }),
      { numRuns: 1000 },
    );
  });

  it('fused W2 and bottleneck equal the separate programmes exactly, cached or not, any size order', () => {
    fc.assert(
      fc.property(h0, h0, (a, b) => {
        const w2 = plainW2(a, b);
        const bn = plainBottleneck(a, b);
        const fused = sortedDistances(sortDeaths(a), finiteDeathsCached(b)!);
        expect(Object.is(fused.w2, w2)).toBe(true);
        expect(Object.is(fused.bottleneck, bn)).toBe(true);
        // Again with the cached side reused, and the W2-only programme.
        expect(Object.is(sortedDistances(sortDeaths(a), finiteDeathsCached(b)!).w2, w2)).toBe(true);
        expect(Object.is(sortedWasserstein2(sortDeaths(a), sortDeaths(b)), w2)).toBe(true);
        expect(Object.is(deathsWasserstein2(a, b), w2)).toBe(true);
        expect(Object.is(deathsBottleneck(a, b), bn)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('the module gives the same doubles as the TypeScript programmes, at every strip remainder', () => {
    // Few distinct values, so that ties between the three moves are common; sizes 0–13 cover every
    // remainder of the four-row strips and lists shorter than a strip.
    const grid = fc.oneof(
      fc.integer({ min: 0, max: 6 }).map((k) => k / 4),
      fc.double({ min: 0, max: 50, noNaN: true }),
    );
    const small = fc
      .array(grid, { maxLength: 13 })
      .map((ds): Diagram => ({ dim: 0, births: new Float64Array(ds.length), deaths: Float64Array.from(ds) }));
    const either = fc.oneof(small, h0);
    fc.assert(
      fc.property(either, either, (a, b) => {
        const x = sortDeaths(a);
        const y = sortDeaths(b);
        const want = sortedDistances(x, y);
        const got = wasm.lineDistances(x, y);
        expect(Object.is(got.w2, want.w2)).toBe(true);
        expect(Object.is(got.bottleneck, want.bottleneck)).toBe(true);
        expect(Object.is(wasm.lineWasserstein2(x, y), sortedWasserstein2(x, y))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // Deaths near the largest double: squared costs overflow to Infinity on both sides alike.
    const huge = sortDeaths({
      dim: 0,
      births: new Float64Array(5),
      deaths: Float64Array.from([1e300, 1e308, 3, 0, 1e308]),
    });
    const tiny = sortDeaths({
      dim: 0,
      births: new Float64Array(6),
      deaths: Float64Array.from([0, 1, 2, 1e-300, 5, 7]),
    });
    expect(wasm.lineDistances(huge, tiny)).toEqual(sortedDistances(huge, tiny));
    expect(wasm.lineDistances(tiny, huge)).toEqual(sortedDistances(tiny, huge));
  });
});

/** The saturation as it was: a full sort per column. */
function plainSaturate(block: Float64Array, rows: number, m: number, limits: number[]): Float64Array {
  const out = block.slice();
  for (let j = 0; j < m; j++) {
    const c = limits[j];
    if (!(c > 0) || !Number.isFinite(c)) continue;
    const values: number[] = [];
    for (let r = 0; r < rows; r++) values.push(block[r * m + j]);
    const sorted = sortedFinite(values);
    if (sorted.length === 0) continue;
    const med = quantileSorted(sorted, 0.5);
    for (let r = 0; r < rows; r++) {
      const v = block[r * m + j];
      if (Number.isFinite(v)) out[r * m + j] = med + c * Math.tanh((v - med) / c);
    }
  }
  return out;
}

describe('saturateAroundMedian', () => {
  it('equals the sorted-median version on blocks with gaps, ties and unusable limits', () => {
    const cell = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
      { weight: 2, arbitrary: fc.integer({ min: -2, max: 2 }) },
      { weight: 1, arbitrary: fc.constant(NaN) },
    );
    const limit = fc.oneof(fc.double({ min: 0.1, max: 20, noNaN: true }), fc.constantFrom(0, -1, NaN, Infinity));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 200 }),
        fc.array(cell, { minLength: 1200, maxLength: 1200 }),
        fc.array(limit, { minLength: 6, maxLength: 6 }),
        (m, rows, cells, limits) => {
          const block = Float64Array.from(cells.slice(0, rows * m));
          const got = saturateAroundMedian(block, rows, m, limits);
          const want = plainSaturate(block, rows, m, limits);
          expect(got.length).toBe(want.length);
          for (let i = 0; i < got.length; i++) expect(Object.is(got[i], want[i]) || got[i] === want[i]).toBe(true);
          // The input block is left as it was.
          expect(block).toEqual(Float64Array.from(cells.slice(0, rows * m)));
        },
      ),
      { numRuns: 400 },
    );
  });
});
