// Frames back to text, one writer per format the importer reads. Used to export data and to test that
// every format reads back exactly what was written.
import type { MetricFrame, Series } from '../frame/types.ts';
import { csvField } from './csv-tokenizer.ts';
import { formatSelector } from './selector.ts';
import { formatValue } from './values.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Time column + one column per series (header `name{labels}`); empty cell where a series has no sample. */
export function toWideCsv(frame: MetricFrame, delimiter = ','): string {
  const times = [...new Set(frame.series.flatMap((s) => Array.from(s.timestamps)))].sort((a, b) => a - b);
  const index = frame.series.map((s) => new Map(Array.from(s.timestamps, (t, i) => [t, s.values[i]])));
  const lines = [['time', ...frame.series.map((s) => csvField(formatSelector(s), delimiter))].join(delimiter)];
  for (const t of times) {
    const cells = index.map((m) => (m.has(t) ? formatValue(m.get(t)!) : ''));
    lines.push([String(t), ...cells].join(delimiter));
  }
  return lines.join('\n') + '\n';
}

/** `timestamp,metric,value` with the metric written as a selector. */
export function toLongCsv(frame: MetricFrame): string {
  const lines = ['timestamp,metric,value'];
  for (const s of frame.series) {
    const metric = csvField(formatSelector(s));
    for (let i = 0; i < s.timestamps.length; i++)
      lines.push(`${s.timestamps[i]},${metric},${formatValue(s.values[i])}`);
  }
  return lines.join('\n') + '\n';
}

/** A query_range response body (matrix). */
export function toPromJson(frame: MetricFrame): string {
  const result = frame.series.map((s) => ({
    metric: s.name === '' ? { ...s.labels } : { __name__: s.name, ...s.labels },
    values: Array.from(s.timestamps, (t, i) => [t / 1000, formatValue(s.values[i])]),
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

function samples(s: Series, selector: string, time: (ms: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.timestamps.length; i++)
    out.push(`${selector} ${formatValue(s.values[i])} ${time(s.timestamps[i])}`);
  return out;
}

/** Prometheus text exposition with millisecond timestamps. */
export function toExposition(frame: MetricFrame): string {
  return frame.series.flatMap((s) => samples(s, formatSelector(s), String)).join('\n') + '\n';
}

/** OpenMetrics with second timestamps and the closing `# EOF` (what promtool backfills). */
export function toOpenMetrics(frame: MetricFrame): string {
  const lines = frame.series.flatMap((s) => samples(s, formatSelector(s), (ms) => String(ms / 1000)));
  return [...lines, '# EOF'].join('\n') + '\n';
}

/** `promtool tsdb dump` lines: `{__name__="up", instance="a"} 1 1700000000000`. */
export function toPromtoolDump(frame: MetricFrame): string {
  return frame.series.flatMap((s) => samples(s, formatSelector(s, true), String)).join('\n') + '\n';
}

/** InfluxDB annotated CSV, one table per series: measurement = name, field `value`, labels as tags. */
export function toInfluxCsv(frame: MetricFrame): string {
  const tables = frame.series.map((s, k) => {
    const tags = Object.keys(s.labels).sort();
    const n = 9 + tags.length;
    const lines = [
      ['#group', 'false', 'false', 'true', 'true', 'false', 'false', 'true', 'true', ...tags.map(() => 'true')],
      [
        '#datatype',
        'string',
        'long',
        'dateTime:RFC3339',
        'dateTime:RFC3339',
        'dateTime:RFC3339',
        'double',
        'string',
        'string',
        ...tags.map(() => 'string'),
      ],
      ['#default', '_result', ...new Array(n - 2).fill('')],
      ['', 'result', 'table', '_start', '_stop', '_time', '_value', '_field', '_measurement', ...tags],
    ].map((r) => r.map((c) => csvField(c)).join(','));
    const first = iso(s.timestamps[0]);
    const last = iso(s.timestamps[s.timestamps.length - 1]);
    for (let i = 0; i < s.timestamps.length; i++) {
      const row = ['', '', String(k), first, last, iso(s.timestamps[i]), formatValue(s.values[i]), 'value', s.name];
      lines.push([...row, ...tags.map((t) => s.labels[t])].map((c) => csvField(c)).join(','));
    }
    return lines.join('\n');
  });
  return tables.join('\n\n') + '\n';
}

export const writers = {
  'wide-csv': toWideCsv,
  'long-csv': toLongCsv,
  'prom-json': toPromJson,
  'prom-text': toExposition,
  openmetrics: toOpenMetrics,
  'promtool-dump': toPromtoolDump,
  'influx-csv': toInfluxCsv,
} as const;
