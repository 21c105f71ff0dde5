// `aura analyze` end to end: the real CLI launcher, the real engine, on generated files and a NAB series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriesKey, type AlignedFrame } from '../../src/lib/frame/types.ts';
import type { Report } from '../../src/lib/report/types.ts';
import { fleet } from '../fixtures/timeline/generate.ts';
import { hasShared, repoRoot, sharedDir } from '../helpers/env.ts';

function aura(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/aura.js', 'analyze', ...args],
      { cwd: repoRoot, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function wideCsv(frame: AlignedFrame): string {
  const lines = ['timestamp,' + frame.series.map(seriesKey).join(',')];
  frame.timestamps.forEach((t, i) =>
    lines.push([new Date(t).toISOString(), ...frame.columns.map((c) => c[i].toPrecision(8))].join(',')),
  );
  return lines.join('\n') + '\n';
}

let dir: string;
let breakFile: string;
let quietFile: string;
const broken = fleet({ seed: 7, decouple: [3400, 3880] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aura-analyze-'));
  breakFile = join(dir, 'fleet-break.csv');
  quietFile = join(dir, 'fleet-quiet.csv');
  writeFileSync(breakFile, wideCsv(broken));
  writeFileSync(quietFile, wideCsv(fleet({ seed: 2, extra: 4 })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each spawn starts Node, tsx and the engine; on a loaded two-core machine that takes seconds.
const SLOW = 180_000;

describe('aura analyze', () => {
  it(
    'prints the report as JSON: timeline, attributed anomalies, predictions',
    async () => {
      const { code, stdout, stderr } = await aura(breakFile, '--json');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const r = JSON.parse(stdout) as Report;
      expect(r.input).toMatchObject({
        origin: 'fleet-break.csv',
        format: 'wide-csv',
        series: 4,
        samples: 4 * 5760,
        stepMs: 15_000,
      });
      expect(r.settings).toMatchObject({ window: 60, stride: 10, cloud: 'state', maxDim: 1 });
      expect(r.timeline.length).toBe(571);
      for (const p of r.timeline.slice(0, 5)) {
        expect(Object.keys(p.betti)).toEqual(['0', '1']);
        expect(p.distance.w2).toBeGreaterThanOrEqual(0);
        expect(p.distance.bottleneck).toBeGreaterThanOrEqual(0);
      }
      const from = broken.timestamps[3400];
      const to = broken.timestamps[3880];
      const hit = r.anomalies.find((a) => a.end >= from && a.start <= to);
      expect(hit).toBeDefined();
      expect(hit!.series[0]).toMatch(/^cpu_percent\{instance="host-[12]"\}$/);
      expect(Array.isArray(r.predictions)).toBe(true);
      // Either the model read the file, or the report says why it did not: never silently empty.
      if (r.predictions.length === 0) expect(r.analysis!.notes.join(' ')).toMatch(/no failure predictions/);
    },
    SLOW,
  );

  it(
    'prints a Markdown summary by default and --fail-on-anomaly exits 1 when something is flagged',
    async () => {
      const { code, stdout } = await aura(breakFile, '--no-predict', '--fail-on-anomaly');
      expect(code).toBe(1);
      expect(stdout).toMatch(/^# AURA analysis: fleet-break\.csv/);
      expect(stdout).toMatch(/\| entity \| from \| detected \| to \| peak score \| series that moved it most \|/);
      expect(stdout).toContain('cpu_percent{instance="host-');
    },
    SLOW,
  );

  it(
    'exits 0 with --fail-on-anomaly on noise and daily cycles, and writes the timeline as CSV',
    async () => {
      const { code, stdout } = await aura(quietFile, '--no-predict', '--fail-on-anomaly', '--csv');
      expect(code).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe(
        'time,time_ms,score,anomalous,betti_0,betti_1,w2,bottleneck,w2_h0,w2_h1,bottleneck_h0,bottleneck_h1',
      );
      expect(lines.length).toBe(572);
      expect(lines.slice(1).every((l) => l.split(',')[3] === '0')).toBe(true);
    },
    SLOW,
  );

  it(
    'refuses bad input with a message and exit code 2',
    async () => {
      const missing = await aura(join(dir, 'nope.csv'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
      const badCloud = await aura(breakFile, '--cloud', 'torus');
      expect(badCloud.code).toBe(2);
      expect(badCloud.stderr).toMatch(/--cloud must be one of auto, state, takens, got 'torus'/);
      const typo = await aura(breakFile, '--jsn');
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/unknown option --jsn/);
      const noValue = await aura(breakFile, '--window', '--json');
      expect(noValue.stderr).toMatch(/option --window needs a value/);
      const one = join(dir, 'one-row.csv');
      writeFileSync(one, 'time,cpu,mem\n2026-01-05T00:00:00Z,1,2\n');
      const noStep = await aura(one, '--no-predict');
      expect(noStep.code).toBe(2);
      expect(noStep.stderr).toMatch(/cannot detect a sampling step/);
      const withStep = await aura(one, '--no-predict', '--step', '1m');
      expect(withStep.code, withStep.stderr).toBe(0);
      expect(withStep.stdout).toMatch(/not enough data yet: 1 samples, at least \d+ are needed/);
      const small = await aura(breakFile, '--window', '3');
      expect(small.stderr).toMatch(/--window must be from 8 to 5000, got 3/);
      const garbage = join(dir, 'garbage.csv');
      writeFileSync(garbage, 'hello\nworld\n');
      const g = await aura(garbage);
      expect(g.code).toBe(2);
      expect(g.stderr).toMatch(/garbage\.csv/);
    },
    SLOW,
  );
});

describe.skipIf(!hasShared())('aura analyze on NAB', () => {
  it(
    'finds the labelled anomaly in an EC2 CPU series through the delay-embedding path',
    async () => {
      const file = 'ec2_cpu_utilization_ac20cd.csv';
      const { code, stdout } = await aura(join(sharedDir, 'data/nab', file), '--json', '--no-predict');
      expect(code).toBe(0);
      const r = JSON.parse(stdout) as Report;
      expect(r.settings.cloud).toBe('takens');
      expect(r.analysis!.embedding!.delay[0]).toBeGreaterThanOrEqual(1);
      expect(r.timeline.length).toBeGreaterThan(300);
      const labels = JSON.parse(readFileSync(join(sharedDir, 'data/nab/labels.json'), 'utf8')).anomalyWindows[file] as [
        string,
        string,
      ][];
      const [a, b] = labels[0].map((s) => Date.parse(s.replace(' ', 'T').replace(/\.\d+$/, '') + 'Z'));
      expect(r.anomalies.some((x) => x.end >= a && x.start <= b)).toBe(true);
    },
    SLOW,
  );
});
