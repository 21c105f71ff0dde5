// Comparing persistence diagrams in tests: as multisets of (birth, death) pairs, within a tolerance.
import type { Diagram, PHResult } from '../../src/lib/tda/types.ts';

export type Pair = [number, number];

export function pairsOf(diagram: Diagram): Pair[] {
  return Array.from(diagram.births, (birth, i): Pair => [birth, diagram.deaths[i]]);
}

/** Diagrams of a result as plain pair lists, by dimension. */
export function diagramPairs(result: PHResult): Pair[][] {
  return result.diagrams.map(pairsOf);
}

function close(a: number, b: number, rel: number): boolean {
  return a === b || Math.abs(a - b) <= rel * Math.abs(b) + 1e-7;
}

/**
 * Null when `actual` and `expected` are the same multiset of pairs (each value within `rel` relative
 * error; Infinity only matches Infinity); otherwise a short description of the first difference.
 */
export function diagramMismatch(actual: Pair[], expected: Pair[], rel = 1e-5): string | null {
  if (actual.length !== expected.length) return `${actual.length} pairs, expected ${expected.length}`;
  const byBirth = (a: Pair, b: Pair) => a[0] - b[0] || a[1] - b[1];
  const mine = [...actual].sort(byBirth);
  const used = new Uint8Array(mine.length);
  for (const [birth, death] of [...expected].sort(byBirth)) {
    // first candidate whose birth could match, then scan the window of close births
    let lo = 0;
    let hi = mine.length;
    const from = birth - rel * Math.abs(birth) - 1e-7;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (mine[mid][0] < from) lo = mid + 1;
      else hi = mid;
    }
    let found = -1;
    for (let i = lo; i < mine.length && mine[i][0] <= birth + rel * Math.abs(birth) + 1e-7; i++) {
      if (!used[i] && close(mine[i][0], birth, rel) && close(mine[i][1], death, rel)) {
        found = i;
        break;
      }
    }
    if (found < 0) return `no pair matches expected [${birth}, ${death}]`;
    used[found] = 1;
  }
  return null;
}
