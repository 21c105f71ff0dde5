// Live mode on the page: the data shown grows by a few samples per poll, and copying a 1,000-host frame
// on every poll (appendSamples, a fresh aligned frame) was a freeze of hundreds of milliseconds on the page's
// thread. Here each series (and each aligned column) keeps spare room, so an append writes only the new
// samples, and the frame handed out is views of those buffers. A typed array already handed out keeps its
// values: an append writes beyond its length, and a buffer that must grow is replaced, not changed.
import { seriesKey, type AlignedFrame, type MetricFrame, type Series } from '../frame/types.ts';
import { appendedMeta, firstAfter } from '../frame/append.ts';
import type { PackedSamples, SeriesTable } from './packed.ts';

/** Room for half as much again, and at least 64 more. */
function capacityFor(n: number): number {
  return Math.ceil(n * 1.5) + 64;
}

/** Series whose first room differs (by 2 samples each), see GrowingFrame's #add. */
const STAGGER = 64;

function grown(buf: Float64Array, used: number, need: number): Float64Array {
  if (need <= buf.length) return buf;
  const out = new Float64Array(capacityFor(need));
  out.set(buf.subarray(0, used));
  return out;
}

interface Growing {
  series: Series;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

/** Appends the samples after `g`'s last one, in place: its series keeps its identity (see GrowingFrame.frame). */
function grow(g: Growing, timestamps: Float64Array, values: Float64Array): void {
  const from = firstAfter(timestamps, g.ts.subarray(0, g.n));
  const k = timestamps.length - from;
  if (k === 0) return;
  g.ts = grown(g.ts, g.n, g.n + k);
  g.vs = grown(g.vs, g.n, g.n + k);
  g.ts.set(timestamps.subarray(from), g.n);
  g.vs.set(values.subarray(from), g.n);
  g.n += k;
  g.series.timestamps = g.ts.subarray(0, g.n);
  g.series.values = g.vs.subarray(0, g.n);
}

/** A MetricFrame that new samples are appended to (the rule of appendSamples), in time proportional to them. */
export class GrowingFrame {
  readonly #byKey = new Map<string, Growing>();
  #meta: MetricFrame['meta'];
  #frame: MetricFrame | null = null;

  constructor(frame: MetricFrame) {
    this.#meta = frame.meta;
    for (const s of frame.series) this.#add(seriesKey(s), s);
  }

  /** Appends `update`'s samples after each series' last one (earlier ones are ignored); new series are added. */
  append(update: MetricFrame): void {
    for (const s of update.series) {
      const key = seriesKey(s);
      const g = this.#byKey.get(key);
      if (!g) {
        this.#add(key, s);
        continue;
      }
      grow(g, s.timestamps, s.values);
    }
    this.#addMeta(update.meta);
  }

  /**
   * The same for packed samples, whose series `table` names (it has taken `update` in): no series key is
   * worked out for a series already held, so a 1,000-host poll costs a few copies per series.
   */
  appendPacked(update: PackedSamples, table: SeriesTable): void {
    const { index, offsets, timestamps, values } = update;
    for (let r = 0; r < index.length; r++) {
      const key = table.keys[index[r]];
      const ts = timestamps.subarray(offsets[r], offsets[r + 1]);
      const vs = values.subarray(offsets[r], offsets[r + 1]);
      const g = this.#byKey.get(key);
      if (g) grow(g, ts, vs);
      else this.#add(key, { ...table.ids[index[r]], timestamps: ts, values: vs });
    }
    this.#addMeta(update.meta);
  }

  #addMeta(meta: MetricFrame['meta']): void {
    if (meta.rejected.count > 0 || meta.duplicates > 0) {
      this.#meta = appendedMeta(this.#meta, meta);
      this.#frame = null;
    }
  }

  /**
   * The frame so far, views of the buffers. It stays the same object, its series updated in place, while
   * appends only add samples: what the page derives from the series list (entities, column roles, labels)
   * is not worked out again on every poll. New series or rejected rows give a new object.
   */
  get frame(): MetricFrame {
    this.#frame ??= { series: [...this.#byKey.values()].map((g) => g.series), meta: this.#meta };
    return this.#frame;
  }

  #add(key: string, s: Series): void {
    this.#frame = null;
    const n = s.timestamps.length;
    // Series of a fleet grow in step: with the same room they would all be copied on the same poll (20,000
    // buffers at 1,000 hosts, a long task on the page). Room differing by series spreads those copies out.
    const cap = capacityFor(n) + 2 * (this.#byKey.size % STAGGER);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    ts.set(s.timestamps);
    vs.set(s.values);
    this.#byKey.set(key, { series: { ...s, timestamps: ts.subarray(0, n), values: vs.subarray(0, n) }, ts, vs, n });
  }
}

/**
 * The rows of an aligned frame from row `from` on, for a page that holds the rows before (the same series
 * on the same grid): `values` holds `timestamps.length` rows of every column, column after column.
 */
export interface AlignedTail {
  from: number;
  timestamps: Float64Array;
  values: Float64Array;
}

/** The rows of `aligned` from `from` on, packed in one buffer (cheap to send to the page). */
export function alignedTail(aligned: AlignedFrame, from: number): AlignedTail {
  const rows = Math.max(0, aligned.timestamps.length - from);
  const values = new Float64Array(rows * aligned.columns.length);
  aligned.columns.forEach((c, j) => values.set(c.subarray(from, from + rows), j * rows));
  return { from, timestamps: aligned.timestamps.slice(from), values };
}

/** An aligned frame kept on the page and extended by tails (rows rewritten from `from`, and new ones). */
export class GrowingAligned {
  readonly #series: AlignedFrame['series'];
  readonly #stepMs: number;
  #ts: Float64Array;
  #cols: Float64Array[];
  #n: number;
  #frame: AlignedFrame;

  constructor(aligned: AlignedFrame) {
    this.#series = aligned.series;
    this.#stepMs = aligned.stepMs;
    this.#n = aligned.timestamps.length;
    const cap = capacityFor(this.#n);
    this.#ts = new Float64Array(cap);
    this.#ts.set(aligned.timestamps);
    this.#cols = aligned.columns.map((c) => {
      const out = new Float64Array(cap);
      out.set(c);
      return out;
    });
    this.#frame = this.#view();
  }

  get frame(): AlignedFrame {
    return this.#frame;
  }

  /** Rows from `tail.from` replaced by the tail's; a tail that does not fit this frame is refused (false). */
  apply(tail: AlignedTail): boolean {
    const k = tail.timestamps.length;
    const m = this.#cols.length;
    if (tail.from > this.#n || tail.values.length !== k * m) return false;
    const n = tail.from + k;
    if (n > this.#ts.length) {
      const cap = capacityFor(n);
      this.#ts = grown(this.#ts, this.#n, cap);
      this.#cols = this.#cols.map((c) => grown(c, this.#n, cap));
    }
    this.#ts.set(tail.timestamps, tail.from);
    this.#cols.forEach((c, j) => c.set(tail.values.subarray(j * k, (j + 1) * k), tail.from));
    this.#n = n;
    this.#frame = this.#view();
    return true;
  }

  #view(): AlignedFrame {
    const n = this.#n;
    return {
      timestamps: this.#ts.subarray(0, n),
      stepMs: this.#stepMs,
      series: this.#series,
      columns: this.#cols.map((c) => c.subarray(0, n)),
    };
  }
}
