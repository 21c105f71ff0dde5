// The Prometheus text exposition format (version 0.0.4), written by hand: HELP and TYPE once per family,
// label values escaped (backslash, double quote, newline), histograms with cumulative buckets, +Inf,
// _sum and _count. Only what the exporter needs; `promtool check metrics` checks the output in the tests.

export type MetricType = 'gauge' | 'counter' | 'histogram' | 'untyped';

export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: Exclude<MetricType, 'histogram'>;
  samples: Sample[];
}

export interface HistogramFamily {
  name: string;
  help: string;
  type: 'histogram';
  /** Upper bounds, ascending, without +Inf. */
  buckets: number[];
  /** Observations per bucket (not cumulative), one more than `buckets` (the last is above every bound). */
  counts: number[];
  sum: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value as the exposition format wants it inside double quotes. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes only backslash and newline. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's float formatting as Prometheus parses it: NaN, +Inf, -Inf, else the shortest round-trip form. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {});
  if (keys.length === 0) return '';
  for (const k of keys) if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`'${k}' is not a valid label name`);
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels![k])}"`).join(',')}}`;
}

/** Families rendered in order; a family without samples is left out (an absent metric, not a zero). */
export function renderExposition(families: (Family | HistogramFamily)[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`'${f.name}' is not a valid metric name`);
    if (seen.has(f.name)) throw new Error(`metric family ${f.name} is written twice`);
    seen.add(f.name);
    if (f.type !== 'histogram' && f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type === 'histogram') {
      let cumulative = 0;
      f.buckets.forEach((le, i) => {
        cumulative += f.counts[i] ?? 0;
        out.push(`${f.name}_bucket{le="${formatValue(le)}"} ${cumulative}`);
      });
      cumulative += f.counts[f.buckets.length] ?? 0;
      out.push(`${f.name}_bucket{le="+Inf"} ${cumulative}`, `${f.name}_sum ${formatValue(f.sum)}`);
      out.push(`${f.name}_count ${cumulative}`);
      continue;
    }
    const lines = new Set<string>();
    for (const s of f.samples) {
      const series = `${f.name}${labelText(s.labels)}`;
      if (lines.has(series)) throw new Error(`${series} is written twice`);
      lines.add(series);
      out.push(`${series} ${formatValue(s.value)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** A histogram that counts observations into fixed buckets. */
export class Histogram {
  readonly counts: number[];
  sum = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = new Array(buckets.length + 1).fill(0);
  }

  observe(v: number): void {
    let i = 0;
    while (i < this.buckets.length && v > this.buckets[i]) i++;
    this.counts[i]++;
    this.sum += v;
  }

  family(): HistogramFamily {
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      buckets: this.buckets,
      counts: [...this.counts],
      sum: this.sum,
    };
  }
}
