import { describe, expect, it } from 'vitest';
import { seriesKey } from '../../src/lib/frame/types.ts';
import {
  demoScenario,
  generateScenario,
  toLongCsv,
  toOpenMetrics,
  toWideCsv,
  LATENCY_SLO_SECONDS,
  type SynthResult,
} from '../../src/lib/synth/index.ts';

const HOUR = 3600e3;

function find(r: SynthResult, name: string, instance: string) {
  const s = r.frame.series.find((x) => x.name === name && x.labels.instance === instance);
  if (!s) throw new Error(`no ${name} for ${instance}`);
  return s;
}

/** Value of a series at the sample nearest to time t. */
function at(s: { timestamps: Float64Array; values: Float64Array }, t: number): number {
  let best = 0;
  for (let i = 0; i < s.timestamps.length; i++)
    if (Math.abs(s.timestamps[i] - t) < Math.abs(s.timestamps[best] - t)) best = i;
  return s.values[best];
}

describe('demoScenario', () => {
  const demo = demoScenario();
  it('is 24 h of 15 s samples for 5 hosts × 10 metrics with node_exporter names', () => {
    expect(demo.frame.series).toHaveLength(50);
    for (const s of demo.frame.series) {
      expect(s.timestamps.length).toBe(24 * 240 + 1);
      expect(s.timestamps[1] - s.timestamps[0]).toBe(15_000);
    }
    const keys = demo.frame.series.map(seriesKey);
    expect(keys).toContain('node_memory_MemAvailable_bytes{instance="host-2"}');
    expect(keys).toContain(
      'node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",instance="host-1",mountpoint="/"}',
    );
  });
  it('has a failure heading for its failure time near the end and benign look-alikes', () => {
    const end = demo.frame.series[0].timestamps.at(-1)!;
    const pending = demo.labels.filter((l) => l.kind === 'failure' && l.failure! > end && l.failure! - end < 2 * HOUR);
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(demo.labels.some((l) => l.kind === 'benign')).toBe(true);
    // The leaking host really is running out of memory at the end.
    const mem = find(demo, 'node_memory_MemAvailable_bytes', pending[0].instance);
    expect(mem.values.at(-1)!).toBeLessThan(0.3 * mem.values[0]);
  });
  it('is deterministic', () => {
    const again = demoScenario();
    expect(again.labels).toEqual(demo.labels);
    expect(again.frame.series[17].values).toEqual(demo.frame.series[17].values);
  });
});

describe('generateScenario', () => {
  it('gives different data for different seeds and the same for the same seed', () => {
    const a = generateScenario({ hosts: 2, hours: 2, stepSeconds: 60, seed: 1 });
    const b = generateScenario({ hosts: 2, hours: 2, stepSeconds: 60, seed: 2 });
    const a2 = generateScenario({ hosts: 2, hours: 2, stepSeconds: 60, seed: 1 });
    expect(a.frame.series[2].values).not.toEqual(b.frame.series[2].values);
    expect(a2.frame.series[2].values).toEqual(a.frame.series[2].values);
  });

  it('memory leak: MemAvailable falls towards zero, swap fills, then the OOM kill frees memory', () => {
    const start = Date.UTC(2026, 0, 5);
    const r = generateScenario({
      hosts: 2,
      hours: 12,
      stepSeconds: 60,
      seed: 3,
      start,
      scenarios: [{ scenario: 'memory_leak', host: 'host-1', onset: start + 2 * HOUR, failure: start + 8 * HOUR }],
    });
    const mem = find(r, 'node_memory_MemAvailable_bytes', 'host-1');
    const swap = find(r, 'node_memory_SwapFree_bytes', 'host-1');
    expect(at(mem, start + 7.98 * HOUR)).toBeLessThan(0.05 * at(mem, start + HOUR));
    expect(at(swap, start + 7.98 * HOUR)).toBeLessThan(at(swap, start + HOUR));
    expect(at(mem, start + 8.2 * HOUR)).toBeGreaterThan(0.4 * at(mem, start + HOUR));
    expect(r.labels).toEqual([
      {
        scenario: 'memory_leak',
        kind: 'failure',
        instance: 'host-1',
        onset: start + 2 * HOUR,
        failure: start + 8 * HOUR,
      },
    ]);
  });

  it('disk fill: free space saws down (rotations free space) and reaches zero at the failure', () => {
    const start = Date.UTC(2026, 0, 5);
    const r = generateScenario({
      hosts: 1,
      hours: 12,
      stepSeconds: 60,
      seed: 4,
      start,
      scenarios: [{ scenario: 'disk_fill', onset: start + HOUR, failure: start + 10 * HOUR }],
    });
    const fs = find(r, 'node_filesystem_avail_bytes', 'host-1');
    expect(at(fs, start + 10 * HOUR - 60e3)).toBeLessThan(0.03 * at(fs, start));
    // Rotations: some minute-to-minute increases much larger than the noise.
    let jumps = 0;
    for (let i = 1; i < fs.values.length; i++) if (fs.values[i] - fs.values[i - 1] > 0.02 * fs.values[0]) jumps++;
    expect(jumps).toBeGreaterThanOrEqual(2);
  });

  it('cpu saturation breaches the latency SLO at its failure time', () => {
    const start = Date.UTC(2026, 0, 5);
    const r = generateScenario({
      hosts: 1,
      hours: 6,
      stepSeconds: 15,
      seed: 5,
      start,
      scenarios: [{ scenario: 'cpu_saturation', onset: start + 2 * HOUR, failure: start + 4 * HOUR }],
    });
    const lat = find(r, 'http_request_duration_seconds_p99', 'host-1');
    expect(at(lat, start + HOUR)).toBeLessThan(LATENCY_SLO_SECONDS / 2);
    expect(at(lat, start + 4 * HOUR + 60e3)).toBeGreaterThan(LATENCY_SLO_SECONDS);
  });

  it('cascading overload: the victim stops reporting and every survivor gets its own failure label', () => {
    const start = Date.UTC(2026, 0, 5);
    const r = generateScenario({
      hosts: 4,
      hours: 8,
      stepSeconds: 60,
      seed: 6,
      start,
      scenarios: [
        { scenario: 'cascading_overload', host: 'host-2', onset: start + 2 * HOUR, failure: start + 3 * HOUR },
      ],
    });
    const victim = find(r, 'node_load1', 'host-2');
    expect(victim.timestamps.at(-1)!).toBeLessThan(start + 3 * HOUR);
    const failures = r.labels.filter((l) => l.kind === 'failure');
    expect(failures.map((l) => l.instance).sort()).toEqual(['host-1', 'host-2', 'host-3', 'host-4']);
    for (const l of failures.filter((x) => x.instance !== 'host-2')) {
      expect(l.onset).toBe(start + 3 * HOUR);
      const lat = find(r, 'http_request_duration_seconds_p99', l.instance);
      expect(at(lat, l.failure! + 60e3)).toBeGreaterThan(LATENCY_SLO_SECONDS);
    }
  });

  it('rejects bad options with a message', () => {
    expect(() => generateScenario({ hosts: 0 })).toThrow(/hosts/);
    expect(() => generateScenario({ stepSeconds: 0.1 })).toThrow(/step/);
    expect(() => generateScenario({ scenarios: ['nope' as never] })).toThrow(/unknown scenario/);
    expect(() => generateScenario({ hosts: 2, scenarios: [{ scenario: 'disk_fill', host: 'host-9' }] })).toThrow(
      /host-9/,
    );
  });
});

describe('formats', () => {
  const r = generateScenario({ hosts: 2, hours: 1, stepSeconds: 60, seed: 9, dropRate: 0.1 });
  const total = r.frame.series.reduce((n, s) => n + s.values.length, 0);

  it('wide CSV has one column per series and keeps every sample', () => {
    const lines = toWideCsv(r.frame).trim().split('\n');
    const cells = lines.slice(1).flatMap((l) => l.split(',').slice(1));
    expect(cells.filter((c) => c !== '').length).toBe(total);
    expect(lines[0].startsWith('timestamp,"node_cpu_seconds_total{instance=""host-1"",mode=""idle""}"')).toBe(true);
  });

  it('long CSV has one row per sample', () => {
    const lines = toLongCsv(r.frame).trim().split('\n');
    expect(lines[0]).toBe('timestamp,series,value');
    expect(lines.length - 1).toBe(total);
  });

  it('OpenMetrics ends with # EOF, uses seconds and declares counters without _total', () => {
    const text = toOpenMetrics(r.frame);
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE node_cpu_seconds counter');
    expect(text).toContain('# TYPE node_memory_MemAvailable_bytes gauge');
    const sample = text.split('\n').find((l) => l.startsWith('node_load1{'))!;
    const ts = Number(sample.split(' ').at(-1));
    expect(ts).toBeGreaterThan(1.7e9);
    expect(ts).toBeLessThan(2e9);
  });
});
