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
  const points = new Float64Array(rows * m);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    let ok = true;
    for (let j = 0; j < m; j++) {
      if (!Number.isFinite(block[r * m + j])) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    points.set(block.subarray(r * m, r * m + m), n * m);
    n++;
  }
  return { points: points.slice(0, n * m), n, d: m, dropped: rows - n };
}
