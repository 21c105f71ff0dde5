// Prim's tree in the WebAssembly module (assembly/spanning.ts, two points per step and only the points
// still outside the tree) against linkage.ts's primTree: the same edges in the same order, the same
// doubles, so peer heights do not move when a worker builds the tree in the module.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinHeights, primTree } from '../../src/lib/cloud/linkage.ts';
import { SpanningTree } from '../../src/lib/tda/spanning.ts';
import { loadAuraNode } from '../../src/node/wasm.ts';

let spanning: SpanningTree;
beforeAll(async () => {
  spanning = new SpanningTree(await loadAuraNode());
});

function sameTree(points: Float64Array, n: number, d: number): void {
  const want = primTree(points, n, d);
  const got = spanning.prim(points, n, d);
  expect(got).not.toBeNull();
  expect(Array.from(got!.to)).toEqual(Array.from(want.to));
  expect(Array.from(got!.from)).toEqual(Array.from(want.from));
  for (let k = 0; k < n - 1; k++) expect(Object.is(got!.w[k], want.w[k])).toBe(true);
}

describe('SpanningTree.prim', () => {
  it('builds primTree edge for edge, ties (duplicates, grid points) included', () => {
    // Few distinct coordinates make equal distances common, so the tie rule (lower index) is exercised.
    const coordinate = fc.oneof(
      fc.integer({ min: -2, max: 2 }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
      fc.constant(-0),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 41 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(coordinate, { minLength: 205, maxLength: 205 }),
        (n, d, xs) => {
          sameTree(Float64Array.from(xs.slice(0, n * d)), n, d);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('gives the same peer heights at fleet size', () => {
    const n = 301;
    const d = 10;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const points = Float64Array.from({ length: n * d }, (_, i) => (i % 7 === 0 ? Math.round(random()) : random()));
    sameTree(points, n, d);
    const build = (p: Float64Array, nn: number, dd: number) => spanning.prim(p, nn, dd);
    expect(Array.from(joinHeights(points, n, d, build))).toEqual(Array.from(joinHeights(points, n, d)));
  });

  it('leaves non-finite coordinates and overflowing distances to primTree', () => {
    expect(spanning.prim(Float64Array.from([0, 1, NaN, 2]), 2, 2)).toBeNull();
    expect(spanning.prim(Float64Array.from([0, Infinity, 1, 2]), 2, 2)).toBeNull();
    // Every distance from the first point overflows to Infinity: the plain scan finds no next point.
    expect(spanning.prim(Float64Array.from([-1e200, 1e200, 0]), 3, 1)).toBeNull();
    // Only the distance from the first to the last overflows: the tree goes round it, and is equal.
    sameTree(Float64Array.from([0, 1e154, 2e154]), 3, 1);
  });
});
