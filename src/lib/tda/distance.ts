// Distances between persistence diagrams, computed by the matching engine in the AURA WebAssembly
// module (assembly/matching*.ts). This file validates diagrams, splits off essential points and
// moves numbers in and out of the module's arena.
//
// Ground metric: L∞ between points (birth, death); a point may instead be matched to the diagonal at
// cost (death − birth) / 2. W_p = (Σ cost^p)^(1/p) over the best matching; bottleneck = min over
// matchings of the largest cost.
import type { AuraExports } from '../wasm/aura.ts';
import type { Diagram } from './types.ts';

export type WassersteinMethod = 'auto' | 'exact' | 'auction';

export interface WassersteinOptions {
  /**
   * Auction only: the result W satisfies W_p ≤ W ≤ (1 + relativeError) · W_p. Default 0.01;
   * must lie in (0, 1].
   */
  relativeError?: number;
  /** 'auto' (default) is exact up to EXACT_MAX_POINTS finite points in both diagrams together. */
  method?: WassersteinMethod;
}

/**
 * Largest number of finite points (A and B together) that 'auto' still matches exactly.
 * Measured with bench/distance.bench.ts (CPU time, noisy H1-like diagrams): at 200 + 200 points
 * the exact solver takes about 6–8 ms and the auction (1%) 3.5–4 ms; at 400 + 400 it is 22–33 ms
 * against 12–16 ms. Up to this size the exact answer costs at most about twice the auction.
 */
export const EXACT_MAX_POINTS = 400;

const DEFAULT_RELATIVE_ERROR = 0.01;
/** Squared costs of larger values would overflow to Infinity inside the engine. */
const MAX_MAGNITUDE = 1e100;

interface MatchingExports extends AuraExports {
  wassersteinExact(points: number, n: number, m: number, p: number): number;
  wassersteinAuction(points: number, n: number, m: number, p: number, relativeError: number): number;
  bottleneckExact(points: number, n: number, m: number): number;
  essentialMatchCost(births: number, count: number, p: number): number;
  lineDistances(block: number, n: number, m: number, withBottleneck: boolean): number;
  lineBottleneck(): number;
}

/**
 * A births-0 diagram (H0 of a Rips filtration, finite part) as the line programmes read it: deaths sorted
 * ascending, each one's half (its L∞ cost to the diagonal, +0 for a zero) and that half squared. See
 * timeline/h0.ts, which builds these and holds the same programmes in TypeScript.
 */
export interface SortedLine {
  deaths: Float64Array;
  half: Float64Array;
  halfSquared: Float64Array;
}

/** A diagram split into its finite points and the births of its essential (infinite) points. */
interface SplitDiagram {
  births: Float64Array;
  deaths: Float64Array;
  essential: Float64Array;
}

function split(diagram: Diagram, label: string): SplitDiagram {
  const { births, deaths } = diagram;
  if (!(births instanceof Float64Array) || !(deaths instanceof Float64Array)) {
    throw new Error(`Diagram ${label}: births and deaths must be Float64Arrays`);
  }
  if (births.length !== deaths.length) {
    throw new Error(
      `Diagram ${label}: ${births.length} births but ${deaths.length} deaths; each pair needs one of each`,
    );
  }
  let essentialCount = 0;
  for (let i = 0; i < births.length; i++) {
    const b = births[i];
    const d = deaths[i];
    if (Number.isNaN(b) || Number.isNaN(d)) {
      throw new Error(`Diagram ${label}: pair ${i} has a NaN value (birth ${b}, death ${d}); remove or fix it`);
    }
    if (!Number.isFinite(b)) {
      throw new Error(`Diagram ${label}: pair ${i} has an infinite birth (${b}); births must be finite`);
    }
    if (d < b) {
      throw new Error(`Diagram ${label}: pair ${i} dies before it is born (birth ${b}, death ${d})`);
    }
    if (Math.abs(b) > MAX_MAGNITUDE || (d !== Infinity && Math.abs(d) > MAX_MAGNITUDE)) {
      throw new Error(
        `Diagram ${label}: pair ${i} (birth ${b}, death ${d}) is beyond ±${MAX_MAGNITUDE}; rescale the data first`,
      );
    }
    if (d === Infinity) essentialCount++;
  }
  const finite = births.length - essentialCount;
  const out: SplitDiagram = {
    births: new Float64Array(finite),
    deaths: new Float64Array(finite),
    essential: new Float64Array(essentialCount),
  };
  let f = 0;
  let e = 0;
  for (let i = 0; i < births.length; i++) {
    if (deaths[i] === Infinity) out.essential[e++] = births[i];
    else {
      out.births[f] = births[i];
      out.deaths[f] = deaths[i];
      f++;
    }
  }
  return out;
}

function checkSameDimension(a: Diagram, b: Diagram): void {
  if (a.dim !== b.dim) {
    throw new Error(`Cannot compare diagrams of different dimensions (H${a.dim} and H${b.dim}); compare H_k with H_k`);
  }
}

/**
 * Wasserstein and bottleneck distances between diagrams of the same homology dimension.
 *
 * Essential points (death = Infinity) follow one rule: they are matched only among themselves,
 * by sorted birth (the k-th smallest birth of A with the k-th smallest of B, cost |b − b'|), and
 * never to the diagonal or to finite points. When the two diagrams have different numbers of
 * essential points the distance is Infinity. The essential costs add to the finite part's Σ cost^p
 * (Wasserstein) or take part in its maximum (bottleneck).
 */
export class DiagramDistance {
  private readonly wasm: MatchingExports;

  constructor(wasm: AuraExports) {
    for (const name of [
      'wassersteinExact',
      'wassersteinAuction',
      'bottleneckExact',
      'essentialMatchCost',
      'lineDistances',
      'lineBottleneck',
    ]) {
      if (typeof wasm[name] !== 'function') {
        throw new Error(`The AURA WebAssembly module lacks ${name}(); rebuild it with \`npm run build:wasm\``);
      }
    }
    this.wasm = wasm as MatchingExports;
  }

  /** W_p for p = 1 or 2 (see the class comment for essential points). */
  wasserstein(a: Diagram, b: Diagram, p: 1 | 2, opts: WassersteinOptions = {}): number {
    if (p !== 1 && p !== 2) throw new Error(`Wasserstein order p must be 1 or 2, got ${p}`);
    const method = opts.method ?? 'auto';
    if (method !== 'auto' && method !== 'exact' && method !== 'auction') {
      throw new Error(`Unknown Wasserstein method '${method}'; use 'auto', 'exact' or 'auction'`);
    }
    const relativeError = opts.relativeError ?? DEFAULT_RELATIVE_ERROR;
    if (!(relativeError > 0 && relativeError <= 1)) {
      throw new Error(`relativeError must be in (0, 1], got ${relativeError}`);
    }
    checkSameDimension(a, b);
    const sa = split(a, 'A');
    const sb = split(b, 'B');
    const essential = this.essentialCost(sa.essential, sb.essential, p);
    if (essential === Infinity) return Infinity;

    const n = sa.births.length;
    const m = sb.births.length;
    const useExact = method === 'exact' || (method === 'auto' && n + m <= EXACT_MAX_POINTS);
    const points = this.place(sa, sb);
    const finite = this.guard(`W${p}`, n, m, () =>
      useExact
        ? this.wasm.wassersteinExact(points, n, m, p)
        : this.wasm.wassersteinAuction(points, n, m, p, relativeError),
    );
    const total = finite + essential;
    return p === 1 ? total : Math.sqrt(total);
  }

  /** Exact bottleneck distance (see the class comment for essential points). */
  bottleneck(a: Diagram, b: Diagram): number {
    checkSameDimension(a, b);
    const sa = split(a, 'A');
    const sb = split(b, 'B');
    const essential = this.essentialCost(sa.essential, sb.essential, 0);
    if (essential === Infinity) return Infinity;
    const points = this.place(sa, sb);
    const n = sa.births.length;
    const m = sb.births.length;
    const finite = this.guard('the bottleneck distance', n, m, () => this.wasm.bottleneckExact(points, n, m));
    return Math.max(finite, essential);
  }

  /**
   * W2 and the bottleneck distance of one pair, exactly as wasserstein(a, b, 2) and bottleneck(a, b) give
   * them, with each diagram checked and split once (a timeline window needs both, for every window).
   */
  w2AndBottleneck(a: Diagram, b: Diagram): { w2: number; bottleneck: number } {
    checkSameDimension(a, b);
    const sa = split(a, 'A');
    const sb = split(b, 'B');
    const n = sa.births.length;
    const m = sb.births.length;
    let w2 = Infinity;
    const essential2 = this.essentialCost(sa.essential, sb.essential, 2);
    if (essential2 !== Infinity) {
      const useExact = n + m <= EXACT_MAX_POINTS;
      const points = this.place(sa, sb);
      const finite = this.guard(`W2`, n, m, () =>
        useExact
          ? this.wasm.wassersteinExact(points, n, m, 2)
          : this.wasm.wassersteinAuction(points, n, m, 2, DEFAULT_RELATIVE_ERROR),
      );
      w2 = Math.sqrt(finite + essential2);
    }
    let bottleneck = Infinity;
    const essential0 = this.essentialCost(sa.essential, sb.essential, 0);
    if (essential0 !== Infinity) {
      const points = this.place(sa, sb);
      const finite = this.guard('the bottleneck distance', n, m, () => this.wasm.bottleneckExact(points, n, m));
      bottleneck = Math.max(finite, essential0);
    }
    return { w2, bottleneck };
  }

  /**
   * W2 and bottleneck between two births-0 diagrams given as sorted lines: the same doubles as h0.ts's
   * sortedDistances, computed in the module (a dynamic programme over the two lists, O(n·m)).
   */
  lineDistances(a: SortedLine, b: SortedLine): { w2: number; bottleneck: number } {
    const w2 = this.wasm.lineDistances(this.placeLines(a, b), a.deaths.length, b.deaths.length, true);
    return { w2, bottleneck: this.wasm.lineBottleneck() };
  }

  /** W2 alone between two sorted lines (h0.ts's sortedWasserstein2). */
  lineWasserstein2(a: SortedLine, b: SortedLine): number {
    return this.wasm.lineDistances(this.placeLines(a, b), a.deaths.length, b.deaths.length, false);
  }

  /** A view of the whole memory, kept until the memory grows (which detaches it). */
  private heapView = new Float64Array(0);

  private placeLines(a: SortedLine, b: SortedLine): number {
    const n = a.deaths.length;
    const m = b.deaths.length;
    this.wasm.resetHeap();
    const ptr = this.wasm.allocBytes(8 * Math.max(1, 3 * (n + m)));
    if (this.heapView.buffer !== this.wasm.memory.buffer) this.heapView = new Float64Array(this.wasm.memory.buffer);
    const view = this.heapView;
    const at = ptr / 8;
    view.set(a.deaths, at);
    view.set(a.half, at + n);
    view.set(a.halfSquared, at + 2 * n);
    view.set(b.deaths, at + 3 * n);
    view.set(b.half, at + 3 * n + m);
    view.set(b.halfSquared, at + 3 * n + 2 * m);
    return ptr;
  }

  /** Runs one engine call, turning a trap (in practice: memory exhausted) into an error that says what to do. */
  private guard(what: string, n: number, m: number, call: () => number): number {
    try {
      return call();
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      throw new Error(
        `The matching engine failed computing ${what} between diagrams of ${n} and ${m} finite points ` +
          `(${error.message}); WebAssembly memory probably ran out. Compare fewer points, for example ` +
          'by dropping pairs shorter than a noise floor.',
        { cause: error },
      );
    }
  }

  /** Σ |b − b'|^p (p = 1, 2) or max |b − b'| (p = 0) over essential points matched by sorted birth. */
  private essentialCost(a: Float64Array, b: Float64Array, p: 0 | 1 | 2): number {
    if (a.length !== b.length) return Infinity;
    if (a.length === 0) return 0;
    this.wasm.resetHeap();
    const ptr = this.wasm.allocBytes(16 * a.length);
    const view = new Float64Array(this.wasm.memory.buffer, ptr, 2 * a.length);
    view.set(a, 0);
    view.set(b, a.length);
    return this.wasm.essentialMatchCost(ptr, a.length, p);
  }

  /** Resets the arena and writes births/deaths of A then B; returns the block's address. */
  private place(a: SplitDiagram, b: SplitDiagram): number {
    const n = a.births.length;
    const m = b.births.length;
    this.wasm.resetHeap();
    const ptr = this.wasm.allocBytes(8 * Math.max(1, 2 * (n + m)));
    const view = new Float64Array(this.wasm.memory.buffer, ptr, 2 * (n + m));
    view.set(a.births, 0);
    view.set(a.deaths, n);
    view.set(b.births, 2 * n);
    view.set(b.deaths, 2 * n + m);
    return ptr;
  }
}
