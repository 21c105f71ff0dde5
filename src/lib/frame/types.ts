// The one in-memory model every source produces: column-oriented, no per-sample objects.

/** One time series: a metric name, its labels, and parallel columns of samples sorted by time. */
export interface Series {
  /** Metric name, e.g. `node_memory_MemAvailable_bytes`; for plain CSV columns the header text. */
  name: string;
  /** Label set without `__name__`, e.g. `{ instance: "host-2" }`. */
  labels: Record<string, string>;
  /** Epoch milliseconds, ascending, unique. */
  timestamps: Float64Array;
  /** Sample values; NaN marks a sample that was present but not a number (NaN, or missing). */
  values: Float64Array;
  /** `counter` when the source says so (TYPE line, `_total` suffix) or it was detected; else `gauge`/`unknown`. */
  kind?: 'counter' | 'gauge' | 'unknown';
}

/** A row (or sample) that was refused, with the 1-based line number in the source and a reason the user can act on. */
export interface RejectedRow {
  line: number;
  reason: string;
}

export interface SourceMeta {
  /** Where the data came from: a file name, a Prometheus URL, `synth:<seed>`. */
  origin: string;
  /** Detected format id, e.g. `wide-csv`, `long-csv`, `influx-csv`, `prom-json`, `openmetrics`, `promtool-dump`. */
  format: string;
  /** Rows rejected, counted in full, with the first few as examples. */
  rejected: { count: number; examples: RejectedRow[] };
  /** Samples dropped because another sample of the same series had the same timestamp (the rule: last one wins). */
  duplicates: number;
  /** Warnings the source attached (Prometheus `warnings`/`infos` on a successful answer). */
  warnings?: string[];
}

export interface MetricFrame {
  series: Series[];
  meta: SourceMeta;
}

/** All series resampled onto one shared time grid: `columns[j][i]` is series j at `timestamps[i]` (NaN = gap). */
export interface AlignedFrame {
  timestamps: Float64Array;
  stepMs: number;
  columns: Float64Array[];
  series: { name: string; labels: Record<string, string> }[];
}

/** A display key for a series: `name{k="v",…}` as Prometheus writes it. */
export function seriesKey(s: { name: string; labels: Record<string, string> }): string {
  const keys = Object.keys(s.labels).sort();
  if (keys.length === 0) return s.name;
  const body = keys.map((k) => `${k}=${JSON.stringify(s.labels[k])}`).join(',');
  return `${s.name}{${body}}`;
}
