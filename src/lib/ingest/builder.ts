// Growable typed columns and the final assembly of a MetricFrame: sort by time, resolve duplicate
// timestamps (last one wins), count what was dropped or refused.
import type { MetricFrame, RejectedRow, Series } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';
import { IngestError } from './errors.ts';
import { escapeControls } from '../text/quote.ts';

/** A Float64Array that doubles when full. */
export class Float64Builder {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      // 1.5x growth: less slack than doubling when the final size is not known in advance.
      const next = new Float64Array(Math.ceil(this.data.length * 1.5) + 16);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** The last value pushed (NaN when empty). */
  last(): number {
    return this.length > 0 ? this.data[this.length - 1] : NaN;
  }
  setLast(x: number): void {
    this.data[this.length - 1] = x;
  }
  /**
   * The filled values; the builder is emptied. When the storage is at least 90 % full it is handed over
   * as is (no copy, at most 10 % slack), otherwise copied to its exact size.
   */
  toArray(): Float64Array {
    const out =
      this.length >= 0.9 * this.data.length ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
    this.data = new Float64Array(0);
    this.length = 0;
    return out;
  }
}

/** Samples of one series as they arrive (any order). */
export class SeriesBuilder {
  readonly timestamps = new Float64Builder();
  readonly values = new Float64Builder();
  constructor(
    readonly name: string,
    readonly labels: Record<string, string>,
  ) {}
  push(t: number, v: number): void {
    this.timestamps.push(t);
    this.values.push(v);
  }
  /** The samples as a part (hands over the builders' arrays). */
  toPart(): SeriesPart {
    return {
      name: this.name,
      labels: this.labels,
      timestamps: this.timestamps.toArray(),
      values: this.values.toArray(),
    };
  }
}

/** Rows refused so far: counted in full, the first few kept as examples. */
export class RejectLog {
  count = 0;
  readonly examples: RejectedRow[] = [];
  constructor(private readonly maxExamples = 10) {}
  add(line: number, reason: string): void {
    this.count++;
    // Reasons quote the input; a control byte must never reach a terminal or the page through one.
    if (this.examples.length < this.maxExamples) this.examples.push({ line, reason: escapeControls(reason) });
  }
}

/** A run of samples for one series, already built (columns may be unsorted or hold duplicates). */
export interface SeriesPart {
  name: string;
  labels: Record<string, string>;
  timestamps: Float64Array;
  values: Float64Array;
}

/**
 * Sorts samples by time (stable) and keeps the last sample of each timestamp.
 * Returns new arrays only when something had to change.
 */
export function sortAndDedupe(
  ts: Float64Array,
  vs: Float64Array,
): { timestamps: Float64Array; values: Float64Array; duplicates: number } {
  const n = ts.length;
  let sorted = true;
  let unique = true;
  for (let i = 1; i < n; i++) {
    if (ts[i] < ts[i - 1]) {
      sorted = false;
      break;
    }
    if (ts[i] === ts[i - 1]) unique = false;
  }
  if (sorted && unique) return { timestamps: ts, values: vs, duplicates: 0 };
  let order: Uint32Array | null = null;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Ties broken by arrival so that "last one wins" means last in the file.
    order.sort((a, b) => ts[a] - ts[b] || a - b);
  }
  const outT = new Float64Array(n);
  const outV = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    if (m > 0 && outT[m - 1] === ts[i]) outV[m - 1] = vs[i];
    else {
      outT[m] = ts[i];
      outV[m] = vs[i];
      m++;
    }
  }
  return { timestamps: outT.slice(0, m), values: outV.slice(0, m), duplicates: n - m };
}

const TOTAL_SUFFIX = /_total$/;

/** Counter when the source declared it (TYPE) or the name ends in `_total`; gauge when declared; else unknown. */
export function seriesKind(name: string, types?: Map<string, string>): Series['kind'] {
  const declared = types?.get(name);
  if (declared === 'counter') return 'counter';
  if (declared === 'gauge') return 'gauge';
  if (types) {
    // OpenMetrics declares the family (`foo`) and writes samples as `foo_total`, `foo_bucket`, …
    const family = name.replace(/_(total|created|bucket|count|sum)$/, '');
    const familyType = family !== name ? types.get(family) : undefined;
    if (familyType === 'counter' && !name.endsWith('_created')) return 'counter';
    if ((familyType === 'histogram' || familyType === 'summary') && /_(bucket|count|sum)$/.test(name)) return 'counter';
    if (familyType === 'gauge') return 'gauge';
  }
  return TOTAL_SUFFIX.test(name) ? 'counter' : 'unknown';
}

/**
 * Joins parts of the same series (by name + labels), sorts and de-duplicates each, and builds the frame.
 * Series without any sample are left out. Throws when nothing usable was read.
 */
export function assembleFrame(
  parts: SeriesPart[],
  meta: { origin: string; format: string; rejected: RejectLog; duplicates?: number },
  types?: Map<string, string>,
): MetricFrame {
  const groups = new Map<string, SeriesPart[]>();
  for (const p of parts) {
    if (p.timestamps.length === 0) continue;
    const key = seriesKey(p);
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  let duplicates = meta.duplicates ?? 0;
  const series: Series[] = [];
  for (const group of groups.values()) {
    let ts = group[0].timestamps;
    let vs = group[0].values;
    if (group.length > 1) {
      const n = group.reduce((s, p) => s + p.timestamps.length, 0);
      ts = new Float64Array(n);
      vs = new Float64Array(n);
      let o = 0;
      for (const p of group) {
        ts.set(p.timestamps, o);
        vs.set(p.values, o);
        o += p.timestamps.length;
      }
    }
    const r = sortAndDedupe(ts, vs);
    duplicates += r.duplicates;
    const { name, labels } = group[0];
    series.push({ name, labels, timestamps: r.timestamps, values: r.values, kind: seriesKind(name, types) });
  }
  const rejected = { count: meta.rejected.count, examples: meta.rejected.examples };
  if (series.length === 0) {
    const first = rejected.examples[0];
    const why = first
      ? `${rejected.count} row(s) rejected; the first, line ${first.line}: ${first.reason}`
      : 'it holds no samples';
    throw new IngestError(`nothing usable in this ${meta.format} data: ${why}`);
  }
  return { series, meta: { origin: meta.origin, format: meta.format, rejected, duplicates } };
}
