// Appending samples to the series they continue: live mode's new samples, or a file after its baseline file.
import { seriesKey, type MetricFrame, type Series } from './types.ts';

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `base` with `update`'s samples appended: samples at or before a series' last timestamp are ignored. */
export function appendSamples(base: MetricFrame, update: MetricFrame): MetricFrame {
  const byKey = new Map<string, Series>();
  for (const s of base.series) byKey.set(seriesKey(s), s);
  for (const s of update.series) {
    const key = seriesKey(s);
    const old = byKey.get(key);
    if (!old) {
      byKey.set(key, s);
      continue;
    }
    const from = firstAfter(s.timestamps, old.timestamps);
    if (from === s.timestamps.length) continue;
    byKey.set(key, {
      ...old,
      timestamps: concat(old.timestamps, s.timestamps.subarray(from)),
      values: concat(old.values, s.values.subarray(from)),
    });
  }
  return { series: [...byKey.values()], meta: appendedMeta(base.meta, update.meta) };
}

/** The index of `update`'s first timestamp after the last of `held` (the samples an append keeps). */
export function firstAfter(update: Float64Array, held: Float64Array): number {
  const last = held.length ? held[held.length - 1] : -Infinity;
  let from = 0;
  while (from < update.length && update[from] <= last) from++;
  return from;
}

/** `base`'s meta with `update`'s rejected rows and duplicates added. */
export function appendedMeta(base: MetricFrame['meta'], update: MetricFrame['meta']): MetricFrame['meta'] {
  return {
    ...base,
    rejected: {
      count: base.rejected.count + update.rejected.count,
      examples: [...base.rejected.examples, ...update.rejected.examples].slice(0, 10),
    },
    duplicates: base.duplicates + update.duplicates,
  };
}
