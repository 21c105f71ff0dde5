// The timeline as CSV, one row per window: time, score, flag, Betti numbers and distances.
import type { Report } from './types.ts';
import { csvText } from '../text/cells.ts';

export function timelineCsv(r: Report): string {
  const bettiKeys = new Set<string>();
  const distKeys = new Set<string>();
  for (const p of r.timeline) {
    Object.keys(p.betti).forEach((k) => bettiKeys.add(k));
    Object.keys(p.distance).forEach((k) => distKeys.add(k));
  }
  const betti = [...bettiKeys].sort((a, b) => Number(a) - Number(b));
  const dist = [...distKeys];
  const header = ['time', 'time_ms', 'score', 'anomalous', ...betti.map((k) => `betti_${k}`), ...dist];
  const rows = r.timeline.map((p) =>
    [
      new Date(p.t).toISOString(),
      String(p.t),
      num(p.score),
      p.anomalous ? '1' : '0',
      ...betti.map((k) => (k in p.betti ? String(p.betti[k]) : '')),
      ...dist.map((k) => (k in p.distance ? num(p.distance[k]) : '')),
    ].join(','),
  );
  // Column names come from the report's keys: written as text, never as a formula or a broken row.
  return [header.map((h) => csvText(h)).join(','), ...rows].join('\n') + '\n';
}

/** Up to 6 significant digits; empty for a non-finite value (CSV has no NaN). */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '';
}
