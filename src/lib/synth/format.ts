// Writers for a MetricFrame: wide CSV (one column per series), long CSV (one row per sample) and
// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics` (timestamps in seconds, `# EOF`).
import { seriesKey, type MetricFrame, type Series } from '../frame/types.ts';

export type SynthFormat = 'wide-csv' | 'long-csv' | 'openmetrics';
export const SYNTH_FORMATS: readonly SynthFormat[] = ['wide-csv', 'long-csv', 'openmetrics'];

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Shortest round-trip text for a number; NaN as the empty string. */
function num(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `timestamp,<series key>,…` with RFC 3339 UTC timestamps; a row for every timestamp any series has,
 * an empty cell where a series has no sample at that time.
 */
export function toWideCsv(frame: MetricFrame): string {
  const times = new Set<number>();
  for (const s of frame.series) for (const t of s.timestamps) times.add(t);
  const sorted = Float64Array.from(times).sort();
  const cursor = new Int32Array(frame.series.length);
  const lines = ['timestamp,' + frame.series.map((s) => csvField(seriesKey(s))).join(',')];
  const cells: string[] = new Array(frame.series.length + 1);
  for (const t of sorted) {
    cells[0] = iso(t);
    frame.series.forEach((s, j) => {
      const k = cursor[j];
      if (k < s.timestamps.length && s.timestamps[k] === t) {
        cells[j + 1] = num(s.values[k]);
        cursor[j] = k + 1;
      } else cells[j + 1] = '';
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** `timestamp,series,value`: one row per sample, series key as Prometheus writes it, ordered by time. */
export function toLongCsv(frame: MetricFrame): string {
  const keys = frame.series.map((s) => csvField(seriesKey(s)));
  const rows: { t: number; j: number; k: number }[] = [];
  frame.series.forEach((s, j) => s.timestamps.forEach((t, k) => rows.push({ t, j, k })));
  rows.sort((a, b) => a.t - b.t || a.j - b.j);
  const lines = ['timestamp,series,value'];
  for (const r of rows) lines.push(`${iso(r.t)},${keys[r.j]},${num(frame.series[r.j].values[r.k])}`);
  return lines.join('\n') + '\n';
}

function omLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return '{' + keys.map((k) => `${k}="${esc(labels[k])}"`).join(',') + '}';
}

/** OpenMetrics family name and type: counters are declared without their `_total` suffix. */
function family(s: Series): { name: string; type: string } {
  if (s.kind === 'counter' && s.name.endsWith('_total')) return { name: s.name.slice(0, -6), type: 'counter' };
  if (s.kind === 'gauge') return { name: s.name, type: 'gauge' };
  return { name: s.name, type: 'unknown' };
}

/** OpenMetrics exposition with one block per metric family, samples in time order, `# EOF` at the end. */
export function toOpenMetrics(frame: MetricFrame): string {
  const families = new Map<string, { type: string; series: Series[] }>();
  for (const s of frame.series) {
    const f = family(s);
    const entry = families.get(f.name) ?? { type: f.type, series: [] };
    entry.series.push(s);
    families.set(f.name, entry);
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    out.push(`# TYPE ${name} ${f.type}`);
    for (const s of f.series) {
      const head = s.name + omLabels(s.labels) + ' ';
      for (let k = 0; k < s.timestamps.length; k++) {
        const v = s.values[k];
        if (Number.isNaN(v)) continue;
        out.push(`${head}${v} ${s.timestamps[k] / 1000}`);
      }
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

export function formatFrame(frame: MetricFrame, format: SynthFormat): string {
  if (format === 'wide-csv') return toWideCsv(frame);
  if (format === 'long-csv') return toLongCsv(frame);
  return toOpenMetrics(frame);
}
