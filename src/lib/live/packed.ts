// Live samples as a few flat typed arrays instead of a MetricFrame of 10,000 small objects: a 1,000-host poll
// as a frame cost the page ~100 ms of structured cloning (to the analysis worker and to other tabs) and
// series keys. Series are named once, by an index into a table that every holder of the live data keeps in
// the same order (the sender announces new series in `added`); a message then carries only indices and
// samples, which cross threads as a plain copy of a few buffers.
import { seriesKey, type MetricFrame, type Series, type SourceMeta } from '../frame/types.ts';

/** What a table entry says of a series: everything but its samples. */
export type SeriesId = Pick<Series, 'name' | 'labels' | 'kind'>;

/** New samples of some series, by table index. */
export interface PackedSamples {
  /** Series first seen here, in order: they take the table's indices from `base` on. */
  added: SeriesId[];
  base: number;
  /** The table index of each run of samples; run r is samples offsets[r] up to offsets[r + 1]. */
  index: Int32Array;
  offsets: Int32Array;
  timestamps: Float64Array;
  values: Float64Array;
  meta: SourceMeta;
}

/** The series named so far, by index: the sender adds to it, each receiver takes in what is announced. */
export class SeriesTable {
  readonly ids: SeriesId[] = [];
  readonly keys: string[] = [];
  readonly #byKey = new Map<string, number>();

  /** A receiver's copy of a table sent whole (a new tab, a new analysis in the worker). */
  static from(ids: readonly SeriesId[]): SeriesTable {
    const t = new SeriesTable();
    for (const id of ids) t.#push(id);
    return t;
  }

  /** The index of `s`, added when new (the sender's side). */
  indexOf(s: SeriesId): number {
    const key = seriesKey(s);
    return this.#byKey.get(key) ?? this.#push(s, key);
  }

  /**
   * Takes in the series a message announces. A message may come after its series were already copied in
   * (a table sent whole while it was on its way); one that skips indices cannot be read and is refused.
   */
  absorb(p: PackedSamples): void {
    if (p.base > this.ids.length) {
      throw new Error(`live samples name series from #${p.base} on, but only ${this.ids.length} are known`);
    }
    for (let i = this.ids.length - p.base; i < p.added.length; i++) this.#push(p.added[i]);
  }

  #push(s: SeriesId, key = seriesKey(s)): number {
    const id: SeriesId = { name: s.name, labels: s.labels };
    if (s.kind) id.kind = s.kind;
    this.ids.push(id);
    this.keys.push(key);
    this.#byKey.set(key, this.ids.length - 1);
    return this.ids.length - 1;
  }
}

/** `frame`'s samples packed by `table`'s indices (series without samples are left out, as in a frame). */
export function pack(frame: MetricFrame, table: SeriesTable): PackedSamples {
  const base = table.ids.length;
  const runs = frame.series.filter((s) => s.timestamps.length > 0);
  const index = new Int32Array(runs.length);
  const offsets = new Int32Array(runs.length + 1);
  runs.forEach((s, r) => {
    index[r] = table.indexOf(s);
    offsets[r + 1] = offsets[r] + s.timestamps.length;
  });
  const n = offsets[runs.length];
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  runs.forEach((s, r) => {
    timestamps.set(s.timestamps, offsets[r]);
    values.set(s.values, offsets[r]);
  });
  return { added: table.ids.slice(base), base, index, offsets, timestamps, values, meta: frame.meta };
}

/** The buffers of a packed message, to transfer it. */
export function packedBuffers(p: PackedSamples): ArrayBuffer[] {
  return [p.index, p.offsets, p.timestamps, p.values].map((a) => a.buffer as ArrayBuffer);
}

/** A packed message as a frame whose series are views of its buffers (`table` has taken it in). */
export function unpack(p: PackedSamples, table: SeriesTable): MetricFrame {
  const series: Series[] = [];
  for (let r = 0; r < p.index.length; r++) {
    const id = table.ids[p.index[r]];
    if (!id) throw new Error(`live samples name series #${p.index[r]}, which no message announced`);
    const from = p.offsets[r];
    const to = p.offsets[r + 1];
    series.push({ ...id, timestamps: p.timestamps.subarray(from, to), values: p.values.subarray(from, to) });
  }
  return { series, meta: p.meta };
}

/** Samples in a packed message. */
export function packedSamples(p: PackedSamples): number {
  return p.timestamps.length;
}

/** Distinct timestamps in a packed message: the time steps a poll added. */
export function packedSteps(p: PackedSamples): number {
  return new Set(p.timestamps).size;
}
