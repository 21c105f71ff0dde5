// `aura whatif` end to end: the real CLI, engine and model on the demo data, as a child process.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/env.ts';
import type { WhatIfResult } from '../../src/lib/whatif/compare.ts';

const H = 3600e3;

describe('aura whatif (the real CLI, engine and model)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aura-whatif-'));
  const file = join(dir, 'demo.csv');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const aura = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile('node', ['bin/aura.js', ...args], { cwd: repoRoot, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );

  it('a memory leak injected on a healthy host: the model alarms before the failure, the file is untouched', async () => {
    const synth = await aura('synth', '--preset', 'demo', '--format', 'wide-csv');
    expect(synth.code).toBe(0);
    writeFileSync(file, synth.stdout);
    const leak = ['whatif', file, '--scenario', 'memory_leak', '--instance', 'host-4', '--onset', '40%'];
    leak.push('--failure', '+4h');
    const r = await aura(...leak, '--json');
    expect(r.code, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout) as WhatIfResult;
    expect(w.label).toMatchObject({ scenario: 'memory_leak', instance: 'host-4', kind: 'failure' });
    expect(w.label.failure! - w.label.onset).toBe(4 * H);
    expect(w.failureInData).toBe(true);
    // The model on the data as it is: host-4 has no failure coming.
    expect(w.before.firstAlarm).toBeNull();
    // With the leak: an alarm after the onset and before the OOM, reading it as a memory leak.
    expect(w.after.firstAlarm).not.toBeNull();
    expect(w.after.firstAlarm!).toBeGreaterThanOrEqual(w.label.onset);
    expect(w.after.firstAlarm!).toBeLessThan(w.label.failure!);
    const alarm = w.after.trace.find((p) => p.t === w.after.firstAlarm)!;
    expect(alarm.scenario).toBe('memory_leak');
    expect(w.after.peakRisk['1h']).toBeGreaterThan(w.before.peakRisk['1h'] + 0.3);
    expect(readFileSync(file, 'utf8')).toBe(synth.stdout);

    const md = await aura(...leak);
    expect(md.stdout).toContain('# What if: memory_leak on host-4');
    expect(md.stdout).toMatch(/The failure model alarmed at .* before the failure: it read memory_leak/);
  }, 120_000);

  it('aura predict --at reads the same times (here 12 h before the end of the demo)', async () => {
    const r = await aura('predict', file, '--at', '-12h');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^as of 2026-01-05T12:00:00Z/);
    const bad = await aura('predict', file, '--at', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--at: 'soon' is not a time/);
  }, 60_000);

  it('bad requests exit 2 with what to do', async () => {
    const bad = async (args: string[], re: RegExp) => {
      const r = await aura('whatif', file, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    };
    await bad(['--scenario', 'meltdown', '--instance', 'host-1'], /--scenario must be one of disk_fill, memory_leak/);
    await bad(['--scenario', 'disk_fill'], /--instance is required: one of host-1, host-2/);
    await bad(
      ['--scenario', 'disk_fill', '--instance', 'host-9'],
      /no series for 'host-9'; entities in this frame: host-1/,
    );
    await bad(
      ['--scenario', 'disk_fill', '--instance', 'host-1', '--onset', '50%', '--failure', '10%'],
      /failure time must come after the onset/,
    );
    await bad(['--scenario', 'disk_fill', '--instance', 'host-1', '--onset', 'soon'], /--onset: 'soon' is not a time/);
    await bad(
      ['--scenario', 'disk_fill', '--instance', 'host-1', '--onset', '-30h'],
      /--onset must fall inside the data/,
    );
  }, 60_000);
});
