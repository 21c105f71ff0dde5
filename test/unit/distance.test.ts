// Diagram distances from the WASM matching engine: hand-computed values, the essential-point rule,
// input validation, and agreement with brute force over every matching on small diagrams.
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagramDistance } from '../../src/lib/tda/distance.ts';
import { createNodeDistance } from '../../src/node/engine.ts';
import type { Diagram } from '../../src/lib/tda/types.ts';
import { bruteAugmented, bruteBottleneck, bruteFinite, bruteWasserstein } from '../reference/matching-brute.ts';

const diagram = (pairs: [number, number][], dim = 1): Diagram => ({
  dim,
  births: Float64Array.from(pairs.map((x) => x[0])),
  deaths: Float64Array.from(pairs.map((x) => x[1])),
});
const empty = diagram([]);

/** Park–Miller generator: the same diagrams on every run. */
function generator(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

/** Points on a small integer grid (many ties), or with continuous coordinates. */
function randomDiagram(rnd: () => number, size: number, grid: boolean): Diagram {
  const pairs: [number, number][] = [];
  for (let k = 0; k < size; k++) {
    if (grid) {
      const b = Math.floor(rnd() * 5);
      pairs.push([b, b + Math.floor(rnd() * 5)]);
    } else {
      const b = rnd() * 4 - 2;
      pairs.push([b, b + rnd() * rnd() * 3]);
    }
  }
  return diagram(pairs);
}

let dist: DiagramDistance;
beforeAll(async () => {
  dist = await createNodeDistance();
});

describe('hand-computed distances', () => {
  it('a single point against the empty diagram costs its distance to the diagonal', () => {
    const a = diagram([[0, 2]]);
    expect(dist.wasserstein(a, empty, 1)).toBe(1);
    expect(dist.wasserstein(empty, a, 2)).toBe(1);
    expect(dist.bottleneck(a, empty)).toBe(1);
  });

  it('the empty diagram is at distance zero from itself and from points on the diagonal', () => {
    expect(dist.wasserstein(empty, empty, 1)).toBe(0);
    expect(dist.bottleneck(empty, empty)).toBe(0);
    expect(dist.wasserstein(diagram([[3, 3]]), empty, 2)).toBe(0);
  });

  it('against an empty diagram: W1 sums, W2 takes the root of squares, bottleneck the largest', () => {
    const a = diagram([
      [0, 2],
      [1, 7],
      [2, 3],
    ]); // distances to the diagonal 1, 3, 0.5
    expect(dist.wasserstein(a, empty, 1)).toBeCloseTo(4.5, 12);
    expect(dist.wasserstein(a, empty, 2)).toBeCloseTo(Math.sqrt(1 + 9 + 0.25), 12);
    expect(dist.bottleneck(empty, a)).toBe(3);
  });

  it('prefers matching two points when that beats sending both to the diagonal', () => {
    // (0,10)–(1,9) at L∞ 1, and (0,1) to the diagonal at 0.5
    const a = diagram([[0, 10]]);
    const b = diagram([
      [1, 9],
      [0, 1],
    ]);
    expect(dist.wasserstein(a, b, 1)).toBeCloseTo(1.5, 12);
    expect(dist.wasserstein(a, b, 2)).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(dist.bottleneck(a, b)).toBe(1);
  });

  it('sends both points to the diagonal when they are far apart', () => {
    // (0,2) and (10,12): L∞ 10 apart, each 1 from the diagonal
    const a = diagram([[0, 2]]);
    const b = diagram([[10, 12]]);
    expect(dist.wasserstein(a, b, 1)).toBe(2);
    expect(dist.wasserstein(a, b, 2)).toBeCloseTo(Math.SQRT2, 12);
    expect(dist.bottleneck(a, b)).toBe(1);
  });

  it('uses the L∞ ground metric, not the Euclidean one', () => {
    // (0,4) and (1,6): L∞ 2 (Euclidean would be √5); diagonal costs 2 and 2.5
    const a = diagram([[0, 4]]);
    const b = diagram([[1, 6]]);
    expect(dist.wasserstein(a, b, 1)).toBe(2);
    expect(dist.wasserstein(a, b, 2)).toBe(2);
    expect(dist.bottleneck(a, b)).toBe(2);
  });

  it('bottleneck and W1 can pick different matchings', () => {
    // A = {(0,6), (0,2)}, B = {(1,5)}: W1 matches (0,6)–(1,5) (cost 1) and (0,2)→diagonal (1): 2.
    // Bottleneck: the same matching has largest cost 1.
    const a = diagram([
      [0, 6],
      [0, 2],
    ]);
    const b = diagram([[1, 5]]);
    expect(dist.wasserstein(a, b, 1)).toBe(2);
    expect(dist.bottleneck(a, b)).toBe(1);
  });
});

describe('essential points', () => {
  const a = diagram([
    [0, Infinity],
    [2, Infinity],
  ]);
  const b = diagram([
    [5, Infinity],
    [1, Infinity],
  ]);

  it('are matched among themselves by sorted birth', () => {
    // sorted births 0,2 against 1,5: |0−1| + |2−5|
    expect(dist.wasserstein(a, b, 1)).toBe(4);
    expect(dist.wasserstein(a, b, 2)).toBeCloseTo(Math.sqrt(10), 12);
    expect(dist.bottleneck(a, b)).toBe(3);
  });

  it('add to the cost of the finite points', () => {
    const af = diagram([
      [0, Infinity],
      [0, 2],
    ]);
    const bf = diagram([
      [3, Infinity],
      [10, 12],
    ]);
    // essential |0−3| = 3; finite (0,2), (10,12) both to the diagonal: 1 + 1
    expect(dist.wasserstein(af, bf, 1)).toBe(5);
    expect(dist.wasserstein(af, bf, 2)).toBeCloseTo(Math.sqrt(9 + 1 + 1), 12);
    expect(dist.bottleneck(af, bf)).toBe(3);
  });

  it('give Infinity when the counts differ', () => {
    const one = diagram([[0, Infinity]]);
    expect(dist.wasserstein(a, one, 1)).toBe(Infinity);
    expect(dist.wasserstein(one, empty, 2)).toBe(Infinity);
    expect(dist.bottleneck(one, a)).toBe(Infinity);
  });

  it('compare to zero against themselves', () => {
    expect(dist.wasserstein(a, a, 1)).toBe(0);
    expect(dist.bottleneck(b, b)).toBe(0);
  });
});

describe('bad input', () => {
  const good = diagram([[0, 1]]);

  it('rejects NaN with the position of the pair', () => {
    const bad = diagram([
      [0, 1],
      [NaN, 2],
    ]);
    expect(() => dist.wasserstein(bad, good, 1)).toThrow(/Diagram A: pair 1 has a NaN/);
    expect(() => dist.bottleneck(good, diagram([[0, NaN]]))).toThrow(/Diagram B: pair 0 has a NaN/);
  });

  it('rejects a pair that dies before it is born', () => {
    expect(() => dist.wasserstein(diagram([[2, 1]]), good, 2)).toThrow(/dies before it is born/);
    expect(() => dist.bottleneck(good, diagram([[2, 1]]))).toThrow(/dies before it is born/);
  });

  it('rejects infinite births, mismatched arrays and mixed dimensions', () => {
    expect(() => dist.wasserstein(diagram([[-Infinity, 1]]), good, 1)).toThrow(/infinite birth/);
    expect(() => dist.wasserstein(diagram([[0, 1e200]]), good, 2)).toThrow(/beyond ±1e\+100; rescale/);
    const ragged: Diagram = { dim: 1, births: new Float64Array(2), deaths: new Float64Array(1) };
    expect(() => dist.bottleneck(ragged, good)).toThrow(/2 births but 1 deaths/);
    expect(() => dist.wasserstein(diagram([[0, 1]], 0), good, 1)).toThrow(/different dimensions \(H0 and H1\)/);
  });

  it('rejects unsupported options', () => {
    expect(() => dist.wasserstein(good, good, 3 as 1)).toThrow(/p must be 1 or 2/);
    expect(() => dist.wasserstein(good, good, 1, { relativeError: 0 })).toThrow(/relativeError/);
    expect(() => dist.wasserstein(good, good, 1, { relativeError: NaN })).toThrow(/relativeError/);
    expect(() => dist.wasserstein(good, good, 1, { method: 'fast' as 'auto' })).toThrow(/Unknown Wasserstein method/);
  });

  it('turns an engine trap into an error that says what to do', async () => {
    const { loadAuraNode } = await import('../../src/node/wasm.ts');
    const wasm = await loadAuraNode();
    const trapping = {
      ...wasm,
      bottleneckExact: () => {
        throw new WebAssembly.RuntimeError('unreachable');
      },
    };
    expect(() => new DiagramDistance(trapping).bottleneck(diagram([[0, 1]]), diagram([[0, 2]]))).toThrow(
      /bottleneck distance between diagrams of 1 and 1 finite points \(unreachable\); WebAssembly memory probably ran out/,
    );
  });

  it('explains a module without the matching engine', () => {
    const bare = {
      memory: new WebAssembly.Memory({ initial: 1 }),
      resetHeap() {},
      allocBytes: () => 0,
      memoryBytes: () => 0,
    };
    expect(() => new DiagramDistance(bare)).toThrow(/npm run build:wasm/);
  });
});

describe('against brute force over every matching', () => {
  it('the reference enumerations agree with each other (augmented-matrix permutations)', () => {
    const rnd = generator(7);
    for (let t = 0; t < 150; t++) {
      const a = randomDiagram(rnd, Math.floor(rnd() * 5), t % 2 === 0);
      const b = randomDiagram(rnd, Math.floor(rnd() * (8 - a.births.length)), t % 2 === 0);
      for (const agg of [{ kind: 'sum', p: 1 }, { kind: 'sum', p: 2 }, { kind: 'max' }] as const) {
        expect(bruteFinite(a, b, agg)).toBeCloseTo(bruteAugmented(a, b, agg), 12);
      }
    }
  });

  for (const grid of [true, false]) {
    it(`exact W1, W2 and bottleneck equal brute force (≤ 6 points each, ${grid ? 'integer grid with ties' : 'continuous'})`, () => {
      const rnd = generator(grid ? 11 : 12);
      for (let t = 0; t < 400; t++) {
        const a = randomDiagram(rnd, Math.floor(rnd() * 7), grid);
        const b = randomDiagram(rnd, Math.floor(rnd() * 7), grid);
        for (const p of [1, 2] as const) {
          expect(dist.wasserstein(a, b, p, { method: 'exact' })).toBeCloseTo(bruteWasserstein(a, b, p), 10);
        }
        expect(dist.bottleneck(a, b)).toBe(bruteBottleneck(a, b));
      }
    });
  }

  it('the bottleneck bisects on values first when candidates exceed its cap, with the same answers', async () => {
    const { loadAuraNode } = await import('../../src/node/wasm.ts');
    const wasm = await loadAuraNode();
    (wasm.setBottleneckCandidateCap as (cap: number) => void)(3);
    const capped = new DiagramDistance(wasm);
    const rnd = generator(19);
    for (let t = 0; t < 300; t++) {
      const a = randomDiagram(rnd, Math.floor(rnd() * 7), t % 2 === 0);
      const b = randomDiagram(rnd, Math.floor(rnd() * 7), t % 2 === 0);
      expect(capped.bottleneck(a, b)).toBe(bruteBottleneck(a, b));
    }
    for (let t = 0; t < 10; t++) {
      const a = randomDiagram(rnd, 150, t % 2 === 0);
      const b = randomDiagram(rnd, 120, t % 2 === 0);
      expect(capped.bottleneck(a, b)).toBe(dist.bottleneck(a, b));
    }
  });

  it('the auction stays within its relative error of brute force on small diagrams', () => {
    const rnd = generator(13);
    for (let t = 0; t < 300; t++) {
      const a = randomDiagram(rnd, 1 + Math.floor(rnd() * 6), t % 2 === 0);
      const b = randomDiagram(rnd, 1 + Math.floor(rnd() * 6), t % 2 === 0);
      for (const p of [1, 2] as const) {
        const truth = bruteWasserstein(a, b, p);
        const approx = dist.wasserstein(a, b, p, { method: 'auction', relativeError: 0.05 });
        expect(approx).toBeGreaterThanOrEqual(truth - 1e-9);
        expect(approx).toBeLessThanOrEqual(truth * 1.05 + 1e-9);
      }
    }
  });

  it('essential points by sorted birth are the best bijection', () => {
    const rnd = generator(17);
    for (let t = 0; t < 100; t++) {
      const k = Math.floor(rnd() * 5);
      const essential = (): [number, number][] => Array.from({ length: k }, () => [Math.floor(rnd() * 6), Infinity]);
      const finite = (): [number, number][] => Array.from({ length: 2 }, () => [rnd(), 1 + rnd()]);
      const a = diagram([...essential(), ...finite()]);
      const b = diagram([...finite(), ...essential()]);
      for (const p of [1, 2] as const) expect(dist.wasserstein(a, b, p)).toBeCloseTo(bruteWasserstein(a, b, p), 10);
      expect(dist.bottleneck(a, b)).toBe(bruteBottleneck(a, b));
    }
  });
});
