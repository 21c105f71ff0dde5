// The WebAssembly half of single linkage (assembly/spanning.ts): Prim's tree of a point cloud, the same
// tree as cloud/linkage.ts's primTree edge for edge, about three times faster. A worker answering peer
// height requests passes it to joinHeightsBatch.
import type { AuraExports } from '../wasm/aura.ts';
import type { PrimTree } from '../cloud/linkage.ts';

interface SpanningExports extends AuraExports {
  primTree(points: number, n: number, d: number, out: number): number;
}

export class SpanningTree {
  private readonly wasm: SpanningExports;

  constructor(wasm: AuraExports) {
    if (typeof wasm.primTree !== 'function') {
      throw new Error('The AURA WebAssembly module lacks primTree(); rebuild it with `npm run build:wasm`');
    }
    this.wasm = wasm as SpanningExports;
  }

  /**
   * Prim's tree of n points in R^d (row-major), or null when the module leaves it to primTree: a coordinate
   * that is not finite, or distances that overflow.
   */
  prim(points: Float64Array, n: number, d: number): PrimTree | null {
    if (n < 2 || d < 1 || points.length !== n * d) return null;
    for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i])) return null;
    const wasm = this.wasm;
    wasm.resetHeap();
    const at = wasm.allocBytes(8 * points.length);
    const out = wasm.allocBytes(24 * (n - 1));
    new Float64Array(wasm.memory.buffer, at, points.length).set(points);
    if (wasm.primTree(at, n, d, out) !== 0) return null;
    const steps = new Float64Array(wasm.memory.buffer, out, 3 * (n - 1));
    const tree = { from: new Int32Array(n - 1), to: new Int32Array(n - 1), w: new Float64Array(n - 1) };
    for (let k = 0; k < n - 1; k++) {
      tree.to[k] = steps[3 * k];
      tree.from[k] = steps[3 * k + 1];
      tree.w[k] = steps[3 * k + 2];
    }
    return tree;
  }
}
