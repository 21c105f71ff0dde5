import { describe, expect, it } from 'vitest';
import { demoScenario, injectScenario, generateScenario } from '../../src/lib/synth/index.ts';

const HOUR = 3600e3;
const demo = demoScenario();
const end = demo.frame.series[0].timestamps.at(-1)!;
const find = (f: typeof demo.frame, name: string, inst: string) =>
  f.series.find((s) => s.name === name && s.labels.instance === inst)!;

describe('injectScenario', () => {
  it('drains the memory of the chosen host to ~1 % at the failure and leaves every other series as it was', () => {
    const { frame, label } = injectScenario(demo.frame, {
      scenario: 'memory_leak',
      instance: 'host-1',
      onset: end - 6 * HOUR,
      failure: end,
    });
    expect(label).toEqual({
      scenario: 'memory_leak',
      kind: 'failure',
      instance: 'host-1',
      onset: end - 6 * HOUR,
      failure: end,
    });
    const before = find(demo.frame, 'node_memory_MemAvailable_bytes', 'host-1');
    const after = find(frame, 'node_memory_MemAvailable_bytes', 'host-1');
    const peak = Math.max(...before.values);
    expect(after.values.at(-2)!).toBeLessThan(0.03 * peak);
    expect(after.values[0]).toBe(before.values[0]);
    demo.frame.series.forEach((s, i) => {
      if (s.labels.instance !== 'host-1') expect(frame.series[i]).toBe(s);
    });
    // The input frame is untouched.
    expect(find(demo.frame, 'node_memory_MemAvailable_bytes', 'host-1').values).toBe(before.values);
  });

  it('keeps counters monotone when it adds traffic (network saturation) and CPU load', () => {
    for (const scenario of ['network_saturation', 'cpu_saturation', 'traffic_spike', 'cron_burst'] as const) {
      const { frame } = injectScenario(demo.frame, {
        scenario,
        instance: 'host-2',
        onset: end - 3 * HOUR,
        failure: end - HOUR,
      });
      for (const s of frame.series.filter((x) => x.kind === 'counter')) {
        let drops = 0;
        for (let i = 1; i < s.values.length; i++) if (s.values[i] < s.values[i - 1]) drops++;
        expect(drops, `${scenario}: ${s.name}`).toBe(0);
      }
    }
    const { frame } = injectScenario(demo.frame, {
      scenario: 'network_saturation',
      instance: 'host-2',
      onset: end - 3 * HOUR,
      failure: end - HOUR,
    });
    const tx = find(frame, 'node_network_transmit_bytes_total', 'host-2');
    const n = tx.values.length;
    const rate = (tx.values[n - 241] - tx.values[n - 245]) / 60; // one minute just before the failure
    expect(rate).toBeGreaterThan(0.8 * 125e6);
  });

  it('cascading overload: the victim stops reporting at the failure, its peers saturate', () => {
    const { frame } = injectScenario(demo.frame, {
      scenario: 'cascading_overload',
      instance: 'host-4',
      onset: end - 4 * HOUR,
      failure: end - 2 * HOUR,
    });
    expect(find(frame, 'node_load1', 'host-4').timestamps.at(-1)!).toBeLessThan(end - 2 * HOUR);
    const lat = find(frame, 'http_request_duration_seconds_p99', 'host-1');
    const i = lat.timestamps.findIndex((t) => t >= end - 2 * HOUR + 44 * 60e3);
    expect(lat.values[i]).toBeGreaterThan(
      3 * find(demo.frame, 'http_request_duration_seconds_p99', 'host-1').values[i],
    );
  });

  it('works on frames with other metric names (keyword mapping)', () => {
    const g = generateScenario({ hosts: 1, hours: 6, stepSeconds: 60, seed: 3, scenarios: [] });
    const renamed = {
      ...g.frame,
      series: g.frame.series.map((s) =>
        s.name === 'node_filesystem_avail_bytes' ? { ...s, name: 'disk_free_bytes' } : s,
      ),
    };
    const t1 = g.frame.series[0].timestamps.at(-1)!;
    const { frame } = injectScenario(renamed, {
      scenario: 'disk_fill',
      instance: 'host-1',
      onset: t1 - 5 * HOUR,
      failure: t1,
    });
    const disk = frame.series.find((s) => s.name === 'disk_free_bytes')!;
    expect(disk.values.at(-1)!).toBeLessThan(0.03 * Math.max(...disk.values));
  });

  it('explains bad requests', () => {
    expect(() => injectScenario(demo.frame, { scenario: 'memory_leak', instance: 'nope', onset: end })).toThrow(
      /no series for 'nope'/,
    );
    expect(() =>
      injectScenario(demo.frame, { scenario: 'disk_fill', instance: 'host-1', onset: end, failure: end - 1 }),
    ).toThrow(/after the onset/);
    expect(() => injectScenario(demo.frame, { scenario: 'disk_fill', instance: '*', onset: end })).toThrow(/one host/);
  });
});
