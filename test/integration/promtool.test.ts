// What AURA writes for Prometheus, checked by Prometheus's own tool: alert rules and OpenMetrics backfill.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertRule } from '../../src/lib/lnn/alert-rule.ts';
import type { Finding } from '../../src/lib/lnn/recommend.ts';
import { generateScenario, toOpenMetrics } from '../../src/lib/synth/index.ts';
import { hasPrometheus } from '../helpers/env.ts';

function inTempDir(prefix: string, body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scenarios = [
  'memory_leak',
  'disk_fill',
  'cpu_saturation',
  'fd_exhaustion',
  'network_saturation',
  'cascading_overload',
] as const;

const finding: Finding = {
  entity: 'host-3',
  scenario: 'memory_leak',
  risk: { '15m': 0.4, '1h': 0.8, '6h': 0.97 },
  ttfMinutes: 30,
  ttfInterval: [20, 45],
  now: Date.UTC(2026, 0, 5, 11, 0),
  channels: { memory: { level: 0.25, trend: -0.021 } },
  series: {
    memory: ['node_memory_MemAvailable_bytes{instance="host-3"}'],
    disk: ['node_filesystem_avail_bytes{instance="host-3",mountpoint="/"}'],
    cpu: ['node_cpu_seconds_total{instance="host-3",mode="idle"}'],
    fd: ['node_filefd_allocated{instance="host-3"}'],
    network: ['node_network_transmit_bytes_total{device="eth0",instance="host-3"}'],
  },
};

describe.skipIf(!hasPrometheus())('promtool', () => {
  it('accepts the alert rule for every scenario', () => {
    inTempDir('aura-rules-', (dir) => {
      for (const scenario of scenarios) {
        const file = join(dir, `${scenario}.yml`);
        const yaml = alertRule({ ...finding, scenario });
        expect(yaml).not.toBe('');
        writeFileSync(file, yaml);
        const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
        expect(out).toMatch(/SUCCESS: 1 rules found/);
      }
    });
  });

  it('backfills the synthetic OpenMetrics output into a TSDB block, every sample', () => {
    const r = generateScenario({ hosts: 2, hours: 1, stepSeconds: 60, seed: 9, dropRate: 0.1 });
    const total = r.frame.series.reduce((n, s) => n + s.values.length, 0);
    inTempDir('aura-synth-', (dir) => {
      const file = join(dir, 'data.om');
      writeFileSync(file, toOpenMetrics(r.frame));
      const out = execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'tsdb')], {
        encoding: 'utf8',
      });
      const samples = out
        .split('\n')
        .filter((l) => /^[0-9A-Z]{26}\s/.test(l))
        .reduce((n, l) => n + Number(l.trim().split(/\s+/)[4]), 0);
      expect(samples).toBe(total);
    });
  });
});
