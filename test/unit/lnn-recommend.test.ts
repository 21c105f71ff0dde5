import { describe, expect, it } from 'vitest';
import { recommend, formatMinutes, type Finding } from '../../src/lib/lnn/recommend.ts';
import { alertRule } from '../../src/lib/lnn/alert-rule.ts';

const now = Date.UTC(2026, 0, 5, 11, 0);
const base: Finding = {
  entity: 'host-3',
  scenario: 'memory_leak',
  risk: { '15m': 0.05, '1h': 0.3, '6h': 0.97 },
  ttfMinutes: 200,
  ttfInterval: [170, 240],
  now,
  channels: { memory: { level: 0.25, trend: -0.021 }, cpu: { level: 0.3, trend: 0.01 } },
  series: {
    memory: ['node_memory_MemAvailable_bytes{instance="host-3"}'],
    disk: ['node_filesystem_avail_bytes{instance="host-3",mountpoint="/"}'],
    cpu: ['node_cpu_seconds_total{instance="host-3",mode="idle"}'],
    fd: ['node_filefd_allocated{instance="host-3"}'],
    network: ['node_network_transmit_bytes_total{device="eth0",instance="host-3"}'],
  },
};

describe('recommend', () => {
  it('says what moves, how fast, when it fails and what to do by when', () => {
    expect(recommend(base)).toEqual([
      'memory on host-3 falls 2.1 %/h (25 % of its peak left); exhaustion (OOM kill) in ~3 h 20 m (2 h 50 m – 4 h); ' +
        'restart it or take a heap profile before 13:50 UTC',
    ]);
  });
  it('picks the urgent action under an hour, and says nothing for none', () => {
    const [text] = recommend({
      ...base,
      scenario: 'disk_fill',
      ttfMinutes: 40,
      ttfInterval: [25, 60],
      channels: { disk: { level: 0.03, trend: -0.05 } },
    });
    expect(text).toMatch(/^free disk space on host-3 falls 5\.0 %\/h/);
    expect(text).toMatch(/free space now/);
    expect(recommend({ ...base, scenario: 'none' })).toEqual([]);
  });
  it('formats durations', () => {
    expect(formatMinutes(45)).toBe('45 m');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(200)).toBe('3 h 20 m');
  });
});

const scenarios = [
  'memory_leak',
  'disk_fill',
  'cpu_saturation',
  'fd_exhaustion',
  'network_saturation',
  'cascading_overload',
] as const;

describe('alertRule', () => {
  it('writes a rule against the host’s own series', () => {
    const yaml = alertRule(base);
    expect(yaml).toContain('alert: HostMemoryExhaustionPredicted');
    expect(yaml).toContain(`expr: 'predict_linear(node_memory_MemAvailable_bytes{instance="host-3"}[1h], 14400) < 0'`);
    expect(yaml).toContain('scenario: memory_leak');
    expect(alertRule({ ...base, scenario: 'none' })).toBe('');
  });

  it('writes one differently named rule for every failure scenario (promtool checks them in test/integration)', () => {
    const names = scenarios.map((scenario) => alertRule({ ...base, scenario }).match(/alert: (\w+)/)?.[1]);
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(scenarios.length);
  });
});
