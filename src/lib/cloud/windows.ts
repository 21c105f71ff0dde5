// Sliding windows over an aligned frame. A window is named by the grid row it ends on: that key does
// not change as rows are appended, which is what lets live mode compute only the new windows.

export interface WindowSpec {
  /** Points per cloud (samples, or embedding vectors for a delay embedding). */
  width: number;
  /** Rows between consecutive window ends. */
  stride: number;
  /** Extra rows before the window that the cloud reads (a delay embedding looks back (d-1)·τ rows). */
  lookback?: number;
}

export interface WindowPlan {
  /** First row the cloud reads (lookback included). */
  start: number;
  /** Last row, inclusive: the window's key. */
  end: number;
}

/**
 * Window ends at lookback + width - 1 + k·stride for k = 0, 1, … while they fit in `rows`.
 * `fromEnd` (exclusive lower bound) skips windows already computed.
 */
export function planWindows(rows: number, spec: WindowSpec, fromEnd = -1): WindowPlan[] {
  if (!(spec.width >= 2) || !Number.isInteger(spec.width))
    throw new Error(`window width must be an integer ≥ 2, got ${spec.width}`);
  if (!(spec.stride >= 1) || !Number.isInteger(spec.stride))
    throw new Error(`stride must be an integer ≥ 1, got ${spec.stride}`);
  const lookback = spec.lookback ?? 0;
  const first = lookback + spec.width - 1;
  const out: WindowPlan[] = [];
  for (let end = first; end < rows; end += spec.stride) {
    if (end > fromEnd) out.push({ start: end - spec.width + 1 - lookback, end });
  }
  return out;
}

/** Converts a duration to a whole number of grid steps (at least `min`). */
export function stepsFor(durationMs: number, stepMs: number, min = 1): number {
  return Math.max(min, Math.round(durationMs / stepMs));
}

/**
 * Copies rows [start, end] of the columns into one row-major block (rows × m), the form that crosses a
 * worker boundary as a single transferable buffer.
 */
export function sliceRows(columns: Float64Array[], start: number, end: number): Float64Array {
  const m = columns.length;
  const rows = end - start + 1;
  const out = new Float64Array(rows * m);
  for (let j = 0; j < m; j++) {
    const col = columns[j];
    for (let r = 0; r < rows; r++) out[r * m + j] = col[start + r];
  }
  return out;
}
