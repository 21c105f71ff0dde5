// The state cloud: each timestamp in the window is one point in R^m, its coordinates the m series.
// How series move together (in phase, against each other, independently) is the shape of this cloud.

export interface Cloud {
  /** Row-major n × d coordinates. */
  points: Float64Array;
  n: number;
  d: number;
  /** Rows of the window that had a gap in a coordinate and so gave no point. */
  dropped: number;
}

/** Builds the state cloud from a row-major block (rows × m); rows with any NaN are dropped. */
export function stateCloud(block: Float64Array, rows: number, m: number): Cloud {
  // Complete rows are counted first, so the points are written once into an array of their size (this runs
  // for every window: no per-row views, no trimming copy).
  let n = 0;
  for (let r = 0; r < rows; r++) if (complete(block, r * m, m)) n++;
  const points = new Float64Array(n * m);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    const from = r * m;
    if (!complete(block, from, m)) continue;
    for (let j = 0; j < m; j++) points[at++] = block[from + j];
  }
  return { points, n, d: m, dropped: rows - n };
}

function complete(block: Float64Array, from: number, m: number): boolean {
  for (let j = 0; j < m; j++) if (!Number.isFinite(block[from + j])) return false;
  return true;
}
