// `aura inspect FILE [--json] [--time-zone ZONE]`: what a metrics file holds, as AURA reads it.
import { parseCommand, type CommandSpec } from '../args.ts';
import { loadMetricFile } from '../load.ts';
import { formatSelector } from '../../lib/ingest/index.ts';
import type { MetricFrame } from '../../lib/frame/types.ts';
import { summarizeSeries } from '../../lib/frame/stats.ts';

export const spec: CommandSpec = {
  summary: 'show the series, time range, step, gaps and rejected rows of a metrics file',
  usage: 'aura inspect FILE [--json] [--time-zone ZONE]',
  file: true,
  options: {
    json: { type: 'boolean', help: 'print the inventory as JSON' },
    'time-zone': { type: 'string', arg: 'ZONE', help: 'IANA zone for timestamps written without one (default UTC)' },
  },
  details: ['Shows the detected format, each series with its points, time span, step and gaps, and rejected rows.'],
  examples: ['aura inspect metrics.csv', 'aura inspect export.csv --time-zone Europe/Berlin --json'],
};

export interface InspectReport {
  format: string;
  series: {
    name: string;
    labels: Record<string, string>;
    points: number;
    start: number;
    end: number;
    step: number | null;
    gaps: number;
  }[];
  rejected: { count: number; examples: { line: number; reason: string }[] };
}

export function inspectReport(frame: MetricFrame): InspectReport {
  return {
    format: frame.meta.format,
    series: frame.series.map((s) => {
      const sum = summarizeSeries(s);
      return {
        name: s.name,
        labels: s.labels,
        points: sum.points,
        start: sum.start!,
        end: sum.end!,
        step: sum.step,
        gaps: sum.gaps,
      };
    }),
    rejected: { count: frame.meta.rejected.count, examples: frame.meta.rejected.examples },
  };
}

export async function run(args: string[]): Promise<number> {
  const { file, parsed } = parseCommand(spec, args);
  const tz = parsed.flags.get('time-zone');
  const frame = await loadMetricFile(file, { timeZone: typeof tz === 'string' ? tz : undefined });
  const report = inspectReport(frame);
  if (parsed.flags.has('json')) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }
  process.stdout.write(renderTable(report, frame.meta.duplicates) + '\n');
  return 0;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function duration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Control characters from the file are shown escaped, never sent to the terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function renderTable(r: InspectReport, duplicates: number): string {
  const head = ['series', 'points', 'start', 'end', 'step', 'gaps'];
  const rows = r.series.map((s) => {
    return [printable(formatSelector(s)), String(s.points), iso(s.start), iso(s.end), duration(s.step), String(s.gaps)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => Math.min(row[j].length, 80))));
  const fmt = (row: string[]) =>
    row
      .map((c, j) => (c.length > 80 ? c.slice(0, 79) + '…' : c)[j === 0 ? 'padEnd' : 'padStart'](widths[j]))
      .join('  ');
  const lines = [`format: ${r.format}   series: ${r.series.length}   duplicates dropped: ${duplicates}`, '', fmt(head)];
  for (const row of rows) lines.push(fmt(row));
  lines.push('', `rejected rows: ${r.rejected.count}`);
  for (const e of r.rejected.examples) lines.push(`  line ${e.line}: ${printable(e.reason)}`);
  return lines.join('\n');
}
