// SMD's share columns are min-max scaled per machine, so training re-levels them (scripts/train/real.ts,
// relevel): the dynamics stay, the level is drawn per copy and never full, and a failure injected afterwards
// climbs from that level. NAB's real percentages are left alone. Built on hand-made frames: no ../shared needed.
import { describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { createRng } from '../../src/lib/synth/rng.ts';
import { injectedCases, relevel } from '../../scripts/train/real.ts';

const MIN = 60e3;
const HOUR = 60 * MIN;
const T0 = Date.parse('2024-03-01T00:00:00Z');

/** Three days a minute apart: memory near full as SMD's m5 reads (0.85–1.0), a CPU share, a traffic gauge. */
function smdLike(origin: string): MetricFrame {
  const n = 3 * 24 * 60;
  const timestamps = Float64Array.from({ length: n }, (_, i) => T0 + i * MIN);
  const series = (name: string, f: (i: number) => number): Series => ({
    name,
    labels: { instance: 'machine-9-9' },
    kind: 'gauge',
    timestamps,
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
  });
  return {
    series: [
      series('mem_used_ratio', (i) => 0.925 + 0.075 * Math.sin(i / 300)),
      series('cpu_utilization', (i) => 0.5 + 0.5 * Math.sin(i / 47)),
      series('net_rx', (i) => 0.3 + 0.1 * Math.cos(i / 90)),
    ],
    meta: { origin, format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
  };
}

const valueAt = (s: Series, t: number) => s.values[s.timestamps.findIndex((x) => x >= t)];

describe('relevel (sim-to-real augmentation)', () => {
  it('keeps each share column’s dynamics, moves it below full, and leaves other columns alone', () => {
    const frame = smdLike('machine-9-9.train.csv');
    const out = relevel(frame, createRng(1));
    const [mem, cpu, net] = out.series;
    const [mem0, cpu0] = frame.series;
    // An affine map with a positive slope: the same shape, the same order of values.
    const slope = (mem.values[100] - mem.values[0]) / (mem0.values[100] - mem0.values[0]);
    expect(slope).toBeGreaterThan(0.04);
    expect(slope).toBeLessThan(0.31);
    for (const i of [7, 500, 2000, 4000])
      expect(mem.values[i] - mem.values[0]).toBeCloseTo(slope * (mem0.values[i] - mem0.values[0]), 9);
    expect(Math.max(...mem.values)).toBeLessThanOrEqual(0.9);
    expect(Math.max(...cpu.values)).toBeLessThanOrEqual(1);
    expect(Math.min(...cpu.values)).toBeGreaterThanOrEqual(0);
    expect(cpu.values).not.toEqual(cpu0.values);
    expect(net).toBe(frame.series[2]);
    // Drawn per copy from the seed: the same seed gives the same copy, another a different level.
    expect(relevel(frame, createRng(1)).series[0].values).toEqual(mem.values);
    expect(relevel(frame, createRng(2)).series[0].values[0]).not.toBe(mem.values[0]);
  });

  it('leaves NAB files (real percentages) as they are', () => {
    const frame = smdLike('ec2_cpu_utilization_24ae8d.csv');
    expect(relevel(frame, createRng(1))).toBe(frame);
  });

  it('gives an injected memory leak room to climb: from the drawn level to near full before the failure', () => {
    const cases = injectedCases(smdLike('machine-9-9.train.csv'), 12, createRng(3));
    const leaks = cases.filter((c) => c.label.scenario === 'memory_leak');
    expect(leaks.length).toBeGreaterThan(0);
    for (const { frame, label } of leaks) {
      const mem = frame.series.find((s) => s.name === 'mem_used_ratio')!;
      const atOnset = valueAt(mem, label.onset);
      expect(atOnset).toBeLessThanOrEqual(0.9);
      // Half an hour before the failure the leak has used most of the room that was left.
      expect(valueAt(mem, label.failure! - HOUR / 2) - atOnset).toBeGreaterThan(0.5 * (1 - atOnset));
    }
  });
});
