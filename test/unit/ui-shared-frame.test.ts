// An imported frame moved into shared memory (src/browser/shared-frame.ts): the same samples, the same
// sharing between columns (one timestamps array, an aligned column that is its series' values), the original
// buffers let go, and a plain copy for IndexedDB that keeps shared timestamps as one array.
import { describe, expect, it } from 'vitest';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { isShared, ownBuffers, shareImport, unshared } from '../../src/browser/shared-frame.ts';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** A regular wide table (two gauges, one timestamps array), plus a counter and an irregular series. */
function frame(): MetricFrame {
  const rows = 50;
  const timestamps = Float64Array.from({ length: rows }, (_, i) => T0 + i * STEP);
  const gauge = (k: number) => Float64Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? NaN : k * ((i * 7) % 11)));
  const irregular = Float64Array.from({ length: 20 }, (_, i) => T0 + i * 2.5 * STEP);
  return {
    series: [
      { name: 'a', labels: { instance: 'h1' }, timestamps, values: gauge(1) },
      { name: 'b', labels: { instance: 'h1' }, timestamps, values: gauge(-2) },
      {
        name: 'c_total',
        labels: { instance: 'h2' },
        kind: 'counter',
        timestamps,
        values: Float64Array.from({ length: rows }, (_, i) => 10 * i),
      },
      { name: 'd', labels: { instance: 'h2' }, timestamps: irregular, values: irregular.map((t) => t / STEP) },
    ],
    meta: { origin: 'x.csv', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
  };
}

describe('shareImport', () => {
  it('keeps every sample and every sharing between columns, in one SharedArrayBuffer', () => {
    const original = frame();
    const expected = structuredClone(original);
    const aligned = alignFrame(original);
    const expectedAligned = structuredClone(aligned);
    // a regular gauge's aligned column is its series' values (align.ts shares them)
    expect(aligned.frame.columns[0].buffer).toBe(original.series[0].values.buffer);

    const out = shareImport(original, aligned)!;
    expect(out).not.toBeNull();
    expect(out.frame).toEqual(expected);
    expect(out.aligned).toEqual(expectedAligned);
    const all = [
      ...out.frame.series.flatMap((s) => [s.timestamps, s.values]),
      out.aligned!.frame.timestamps,
      ...out.aligned!.frame.columns,
    ];
    expect(all.every(isShared)).toBe(true);
    expect(new Set(all.map((a) => a.buffer)).size).toBe(1);
    // shared before, shared after: the same bytes, not equal copies
    const [a, b] = out.frame.series;
    expect(a.timestamps.byteOffset).toBe(b.timestamps.byteOffset);
    expect(out.aligned!.frame.columns[0].byteOffset).toBe(a.values.byteOffset);
    expect(out.aligned!.frame.columns[2].byteOffset).not.toBe(out.frame.series[2].values.byteOffset);
    // -0 and NaN come through bit for bit
    expect(Object.is(out.frame.series[1].values[0], -0)).toBe(true);
    expect(out.frame.series[0].values[3]).toBeNaN();
  });

  it('lets the original buffers go where the engine can detach them', () => {
    const original = frame();
    const buffer = original.series[0].values.buffer as ArrayBuffer & { transfer?: unknown };
    shareImport(original, alignFrame(original));
    if (typeof buffer.transfer === 'function') expect(buffer.byteLength).toBe(0);
    else expect(buffer.byteLength).toBeGreaterThan(0); // Node 20: left to the garbage collector
  });
});

describe('unshared', () => {
  it('copies shared columns into plain ones, one copy per shared array, equal in value', () => {
    const original = frame();
    const expected = structuredClone(original);
    const shared = shareImport(original, null)!.frame;
    const plain = unshared(shared);
    expect(plain).toEqual(expected);
    expect(plain.series.some((s) => isShared(s.values) || isShared(s.timestamps))).toBe(false);
    expect(plain.series[0].timestamps).toBe(plain.series[1].timestamps);
  });

  it('copies columns from different shared buffers apart, even at the same offset and length', () => {
    const inShared = (xs: number[]) => {
      const a = new Float64Array(new SharedArrayBuffer(8 * xs.length));
      a.set(xs);
      return a;
    };
    const timestamps = inShared([T0, T0 + STEP]);
    const f: MetricFrame = {
      ...frame(),
      series: [
        { name: 'a', labels: {}, timestamps, values: inShared([1, 2]) },
        { name: 'b', labels: {}, timestamps, values: inShared([3, 4]) },
      ],
    };
    const plain = unshared(f);
    expect([...plain.series[0].values]).toEqual([1, 2]);
    expect([...plain.series[1].values]).toEqual([3, 4]);
    expect(plain.series[0].timestamps).toBe(plain.series[1].timestamps);
  });

  it('leaves a frame without shared memory as it is', () => {
    const f = frame();
    const out = unshared(f);
    out.series.forEach((s, i) => expect(s.values).toBe(f.series[i].values));
  });
});

describe('ownBuffers', () => {
  it('leaves shared memory out of a transfer list', () => {
    const plain = new ArrayBuffer(8);
    expect(ownBuffers([plain, new SharedArrayBuffer(8)])).toEqual([plain]);
  });
});
