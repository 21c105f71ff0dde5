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
    const last = old.timestamps.length ? old.timestamps[old.timestamps.length - 1] : -Infinity;
    let from = 0;
    while (from < s.timestamps.length && s.timestamps[from] <= last) from++;
    if (from === s.timestamps.length) continue;
    byKey.set(key, {
      ...old,
      timestamps: concat(old.timestamps, s.timestamps.subarray(from)),
      values: concat(old.values, s.values.subarray(from)),
    });
  }
  return {
    series: [...byKey.values()],
    meta: {
      ...base.meta,
      rejected: {
        count: base.meta.rejected.count + update.meta.rejected.count,
        examples: [...base.meta.rejected.examples, ...update.meta.rejected.examples].slice(0, 10),
      },
      duplicates: base.meta.duplicates + update.meta.duplicates,
    },
  };
}
