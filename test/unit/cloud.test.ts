import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import {
  alignFrame,
  chooseEmbedding,
  detectStep,
  isCounter,
  limitCloud,
  normaliseColumn,
  planWindows,
  sliceRows,
  stateCloud,
  takensCloud,
} from '../../src/lib/cloud/index.ts';
import { hasShared, sharedDir } from '../helpers/env.ts';

function series(name: string, ts: number[], vs: number[], kind?: Series['kind']): Series {
  return { name, labels: {}, timestamps: Float64Array.from(ts), values: Float64Array.from(vs), kind };
}

function frameOf(...s: Series[]): MetricFrame {
  return { series: s, meta: { origin: 'test', format: 'test', rejected: { count: 0, examples: [] }, duplicates: 0 } };
}

describe('alignment', () => {
  it('detects the step, keeps gaps as gaps, and fills only when asked and only up to the limit', () => {
    const ts = [0, 15e3, 30e3, 45e3, 105e3, 120e3, 135e3]; // 3 missing samples (60, 75, 90 s)
    const a = series('a', ts, [1, 2, 3, 4, 8, 9, 10]);
    const b = series('b', [0, 15e3, 30e3, 45e3, 60e3, 75e3, 90e3, 105e3, 120e3, 135e3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const plain = alignFrame(frameOf(a, b), { rates: false });
    expect(plain.frame.stepMs).toBe(15e3);
    expect(plain.frame.timestamps.length).toBe(10);
    expect(Array.from(plain.frame.columns[0].slice(3, 8))).toEqual([4, NaN, NaN, NaN, 8]);
    expect(plain.gaps).toBe(3);
    expect(alignFrame(frameOf(a, b), { fillMax: 2, rates: false }).gaps).toBe(3); // a run of 3 is too long
    const filled = alignFrame(frameOf(a, b), { fillMax: 3, rates: false });
    expect(Array.from(filled.frame.columns[0].slice(3, 8))).toEqual([4, 4, 4, 4, 8]);
    expect(filled.filled).toBe(3);
  });

  it('takes the nearest sample to each grid point when clocks jitter', () => {
    const a = series('a', [0, 14e3, 31e3, 44e3, 61e3], [1, 2, 3, 4, 5]);
    expect(detectStep([a.timestamps])).toBe(15.5e3); // median of 14, 17, 13, 17 s
    const r = alignFrame(frameOf(a), { stepMs: 15e3 });
    expect(Array.from(r.frame.columns[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it('turns counters into per-second rates, through a reset, and leaves gauges alone', () => {
    const ts = Array.from({ length: 12 }, (_, i) => i * 10e3);
    const total = series('http_requests_total', ts, [0, 10, 20, 30, 40, 50, 5, 15, 25, 35, 45, 55]);
    const unnamed = series('bytes_out', ts, [100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650]);
    const gauge = series('temperature', ts, [5, 6, 7, 6, 5, 6, 7, 6, 5, 6, 7, 6]);
    const fill = series('disk_used', ts, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'gauge');
    expect([total, unnamed, gauge, fill].map(isCounter)).toEqual([true, true, false, false]);
    const r = alignFrame(frameOf(total, unnamed, gauge, fill));
    expect(r.rateColumns).toEqual([0, 1]);
    const rate = Array.from(r.frame.columns[0]);
    expect(rate[0]).toBeNaN();
    expect(rate.slice(1)).toEqual([1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1]);
    expect(r.frame.columns[2][3]).toBe(6);
  });

  it('refuses an empty frame with a message that says why', () => {
    expect(() => alignFrame(frameOf())).toThrow(/no samples/);
    expect(() => alignFrame(frameOf(series('x', [5], [1])))).toThrow(/step/);
  });
});

describe('normalisation on a reference span', () => {
  it('a constant series gives zeros, and one that starts moving later is scaled by its whole range', () => {
    const flat = normaliseColumn(new Float64Array(20).fill(7), 'robust');
    expect(Array.from(flat.values).every((v) => v === 0)).toBe(true);
    const late = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? 3 : 3 + (i % 3)));
    const n = normaliseColumn(late, 'zscore', 0, 10);
    expect(Array.from(n.values).every(Number.isFinite)).toBe(true);
    expect(n.values[0]).toBe(0);
    expect(Math.max(...n.values)).toBeGreaterThan(0);
  });
});

describe('delay embedding choice', () => {
  it('finds a quarter period for a sine and a low dimension', () => {
    const x = Float64Array.from({ length: 400 }, (_, i) => Math.sin((2 * Math.PI * i) / 40));
    const e = chooseEmbedding(x, { maxDelay: 30 });
    expect(e.delay).toBeGreaterThanOrEqual(8);
    expect(e.delay).toBeLessThanOrEqual(12);
    expect(e.dim).toBeLessThanOrEqual(3);
  });
});

function readNab(file: string): Series {
  const lines = readFileSync(join(sharedDir, 'data/nab', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const ts = lines.map((l) => Date.parse(l.split(',')[0].replace(' ', 'T') + 'Z'));
  const vs = lines.map((l) => Number(l.split(',')[1]));
  return series(file, ts, vs);
}

describe.skipIf(!hasShared())('on real NAB data', () => {
  it('aligns a CloudWatch CPU series on its 5-minute grid and builds clouds for every window', () => {
    const s = readNab('ec2_cpu_utilization_24ae8d.csv');
    const r = alignFrame(frameOf(s));
    expect(r.frame.stepMs).toBe(300_000);
    expect(r.rateColumns).toEqual([]); // CPU percent is not a counter
    expect(r.frame.timestamps.length).toBeGreaterThanOrEqual(s.timestamps.length);
    const col = normaliseColumn(r.frame.columns[0], 'robust', 0, 600).values;
    const e = chooseEmbedding(col.subarray(0, 600));
    expect(e.delay).toBeGreaterThanOrEqual(1);
    expect(e.dim).toBeGreaterThanOrEqual(2);
    const lookback = (e.dim - 1) * e.delay;
    const windows = planWindows(col.length, { width: 60, stride: 10, lookback });
    expect(windows.length).toBeGreaterThan(300);
    for (const w of windows) {
      const rows = w.end - w.start + 1;
      const cloud = takensCloud(sliceRows([col], w.start, w.end), rows, 1, { delay: [e.delay], dim: [e.dim] });
      expect(cloud.n + cloud.dropped).toBe(60);
      expect(cloud.d).toBe(e.dim);
      expect(Array.from(cloud.points).every(Number.isFinite)).toBe(true);
    }
  });

  it('the state cloud of two real series, landmarked below a size limit', () => {
    const a = readNab('ec2_cpu_utilization_24ae8d.csv');
    const b = readNab('ec2_cpu_utilization_53ea38.csv');
    // Shift b onto a's time range so the two overlap (they come from different weeks).
    const shift = a.timestamps[0] - b.timestamps[0];
    const bb = { ...b, timestamps: b.timestamps.map((t) => t + shift) };
    const r = alignFrame(frameOf(a, bb));
    const cols = r.frame.columns.map((c) => normaliseColumn(c, 'zscore').values);
    const block = sliceRows(cols, 0, 499);
    const cloud = stateCloud(block, 500, 2);
    expect(cloud.n).toBeGreaterThan(450);
    const limited = limitCloud(cloud, 100);
    expect(limited.cloud.n).toBe(100);
    expect(limited.landmarks?.radius).toBeGreaterThan(0);
  });
});
