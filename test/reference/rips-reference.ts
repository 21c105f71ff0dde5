// A deliberately plain Vietoris–Rips persistence: list every simplex, order the filtration, and reduce the
// full boundary matrix column by column over Z/2 (the textbook algorithm). Slow, and written separately
// from the engine so the two can check each other on small clouds.
import type { Pair } from './diagrams.ts';

/** Euclidean distance rounded the way the engine (and Ripser) computes it: f32 throughout. */
export function f32Distance(points: Float64Array, d: number, i: number, j: number): number {
  const f = Math.fround;
  let sum = 0;
  for (let c = 0; c < d; c++) {
    const diff = f(f(points[i * d + c]) - f(points[j * d + c]));
    sum = f(sum + f(diff * diff));
  }
  return f(Math.sqrt(sum));
}

interface Simplex {
  vertices: number[];
  diameter: number;
}

function subsets(n: number, size: number): number[][] {
  const out: number[][] = [];
  const current: number[] = [];
  const walk = (start: number) => {
    if (current.length === size) {
      out.push([...current]);
      return;
    }
    for (let v = start; v < n; v++) {
      current.push(v);
      walk(v + 1);
      current.pop();
    }
  };
  walk(0);
  return out;
}

/**
 * Persistence pairs by dimension 0..maxDim of the Rips filtration of `n` points with distance `dist`,
 * keeping simplices of diameter ≤ threshold. Zero-length pairs are dropped; essential deaths are Infinity.
 */
export function referencePersistence(
  n: number,
  dist: (i: number, j: number) => number,
  maxDim: number,
  threshold = Infinity,
): Pair[][] {
  const simplices: Simplex[] = [];
  for (let size = 1; size <= Math.min(maxDim + 2, n); size++) {
    for (const vertices of subsets(n, size)) {
      let diameter = 0;
      for (let a = 0; a < vertices.length; a++)
        for (let b = 0; b < a; b++) diameter = Math.max(diameter, dist(vertices[a], vertices[b]));
      if (diameter <= threshold) simplices.push({ vertices, diameter });
    }
  }
  // filtration: by diameter, faces before cofaces
  simplices.sort((a, b) => a.diameter - b.diameter || a.vertices.length - b.vertices.length);
  const position = new Map(simplices.map((s, i) => [s.vertices.join(','), i]));

  const columns: number[][] = simplices.map((s) => {
    if (s.vertices.length === 1) return [];
    return s.vertices
      .map((_, drop) => position.get(s.vertices.filter((__, k) => k !== drop).join(','))!)
      .sort((a, b) => a - b);
  });
  const columnWithLow = new Map<number, number>();
  const paired = new Set<number>();
  const diagrams: Pair[][] = Array.from({ length: maxDim + 1 }, () => []);
  for (let j = 0; j < columns.length; j++) {
    let column = columns[j];
    while (column.length > 0 && columnWithLow.has(column[column.length - 1])) {
      column = symmetricDifference(column, columns[columnWithLow.get(column[column.length - 1])!]);
    }
    columns[j] = column;
    if (column.length === 0) continue;
    const low = column[column.length - 1];
    columnWithLow.set(low, j);
    paired.add(low).add(j);
    const dim = simplices[low].vertices.length - 1;
    const birth = simplices[low].diameter;
    const death = simplices[j].diameter;
    if (dim <= maxDim && death > birth) diagrams[dim].push([birth, death]);
  }
  simplices.forEach((s, i) => {
    const dim = s.vertices.length - 1;
    if (!paired.has(i) && dim <= maxDim) diagrams[dim].push([s.diameter, Infinity]);
  });
  return diagrams;
}

function symmetricDifference(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      i++;
      j++;
    }
  }
  return out;
}
