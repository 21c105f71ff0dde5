// The history's aligned rows followed by the live rows: one joined grid for live mode (baseline.ts joins once,
// live-grid.ts as the live part grows). Its own module so both can use it without importing each other.
import { seriesKey } from '../frame/types.ts';
import type { AlignResult } from '../cloud/align.ts';

/**
 * `base` (aligned on its grid) followed by `live`'s rows after its end, series matched by key. Where time
 * passes between the two (more than 1.5 of the history's steps), one row of gaps marks it, so charts break
 * the line there instead of drawing across hours without data. `breakRows` (> 0) puts that many rows of
 * gaps between the two in any case, just after the history's end: with more than a window's rows, no
 * window holds rows of both, and the windows between are skipped for lack of data, so a span of the history
 * (the baseline) never runs on into the live data (the timeline joins flags only across a few windows).
 */
export function joinAligned(base: AlignResult, live: AlignResult, breakRows = 0): AlignResult {
  const b = base.frame;
  const l = live.frame;
  const nb = b.timestamps.length;
  const last = nb ? b.timestamps[nb - 1] : -Infinity;
  let skip = 0;
  while (skip < l.timestamps.length && l.timestamps[skip] <= last) skip++;
  const both = nb > 0 && skip < l.timestamps.length;
  const gap = !both ? 0 : breakRows > 0 ? breakRows : l.timestamps[skip] - last > 1.5 * b.stepMs ? 1 : 0;
  const n = nb + gap + l.timestamps.length - skip;
  const timestamps = new Float64Array(n);
  timestamps.set(b.timestamps);
  if (breakRows > 0) {
    // A millisecond apart just after the history (less where the parts are that close: the times need only
    // ascend): a history window ending on one is shown where the history ends.
    const apart = Math.min(1, (l.timestamps[skip] - last) / (gap + 1));
    for (let k = 1; k <= gap; k++) timestamps[nb + k - 1] = last + k * apart;
  } else if (gap) timestamps[nb] = last + b.stepMs;
  timestamps.set(l.timestamps.subarray(skip), nb + gap);
  // Every series of either part; one missing from a part is a gap there.
  const keys = new Map<string, { s: (typeof b.series)[number]; bj: number; lj: number }>();
  b.series.forEach((s, j) => keys.set(seriesKey(s), { s, bj: j, lj: -1 }));
  l.series.forEach((s, j) => {
    const k = seriesKey(s);
    const e = keys.get(k);
    if (e) e.lj = j;
    else keys.set(k, { s, bj: -1, lj: j });
  });
  const series: typeof b.series = [];
  const columns: Float64Array[] = [];
  const rateKeys = new Set([
    ...base.rateColumns.map((j) => seriesKey(b.series[j])),
    ...live.rateColumns.map((j) => seriesKey(l.series[j])),
  ]);
  const rateColumns: number[] = [];
  for (const [k, { s, bj, lj }] of keys) {
    const col = new Float64Array(n).fill(NaN);
    if (bj >= 0) col.set(b.columns[bj]);
    if (lj >= 0) col.set(l.columns[lj].subarray(skip), nb + gap);
    if (rateKeys.has(k)) rateColumns.push(columns.length);
    series.push(s);
    columns.push(col);
  }
  return {
    frame: { timestamps, stepMs: l.stepMs, columns, series },
    rateColumns,
    filled: base.filled + live.filled,
    gaps: base.gaps + live.gaps + gap * columns.length,
  };
}
