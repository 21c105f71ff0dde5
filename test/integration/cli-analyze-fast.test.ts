// `--fast` / `--no-fast` on `aura analyze`: the fast scale on, off, or left to the rule (on when the baseline
// spans a day or more); the Report's settings and its Markdown say which, and a short rise in two series is
// flagged within minutes only with the scale on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/env.ts';
import type { Report } from '../../src/lib/report/types.ts';

function aura(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/aura.js', ...args], { cwd: repoRoot, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ROWS = 2 * 1440; // two days a minute apart
const ONSET = 2405; // a 3-minute rise of two of the four series, 40 h in, between window ends
let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aura-fast-'));
  file = join(dir, 'machine.csv');
  // Seeded noise (a linear congruential generator), so the file is the same on every run.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.02;
  const rows = ['timestamp,m0,m1,m2,m3'];
  for (let i = 0; i < ROWS; i++) {
    const rise = i >= ONSET && i < ONSET + 3 ? 0.15 : 0;
    const v = [0.3 + rand() + rise, 0.5 + rand(), 0.2 + rand() + rise, 0.6 + rand()];
    rows.push(`${new Date(T0 + i * 60e3).toISOString()},${v.map((x) => x.toFixed(4)).join(',')}`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(...flags: string[]): Promise<Report> {
  const r = await aura('analyze', file, '--json', '--workers', '1', '--no-predict', ...flags);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** Spans known within 10 minutes of the rise. */
const early = (r: Report) =>
  r.anomalies.filter((a) => {
    const after = (a.detectedAt ?? a.end) - (T0 + ONSET * 60e3);
    return after >= 0 && after < 10 * 60e3;
  });

describe('aura analyze --fast / --no-fast', () => {
  it('--fast flags the 3-minute rise within minutes and names its two series; --no-fast does not', async () => {
    const on = await report('--fast');
    expect(on.settings.fast).toBe(true);
    expect(early(on)).toHaveLength(1);
    expect(early(on)[0].series.slice(0, 2).sort()).toEqual(['m0', 'm2']);
    const off = await report('--no-fast');
    expect(off.settings.fast).toBe(false);
    expect(early(off)).toEqual([]);
  });

  it('left out, the scale is on when the baseline spans a day or more, and the Markdown says so', async () => {
    expect((await report()).settings.fast).toBe(false); // the default baseline: 15 % of two days, 7 h
    const day = ['--baseline-to', new Date(T0 + 26 * 3600e3).toISOString()];
    expect((await report(...day)).settings.fast).toBe(true);
    const md = await aura('analyze', file, '--workers', '1', '--no-predict', ...day);
    expect(md.stdout).toMatch(/- method: .*, fast scale on/);
  });

  it('refuses both at once, and --help lists the pair with its default', async () => {
    const both = await aura('analyze', file, '--fast', '--no-fast');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give either --fast or --no-fast, not both/);
    const help = await aura('analyze', '--help');
    expect(help.stdout).toMatch(/--fast \| --no-fast .*\(default auto\)/);
  });
});
