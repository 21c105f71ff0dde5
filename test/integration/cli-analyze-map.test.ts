// `--map` on `aura analyze` and `aura whatif`: a file whose column names say nothing (SMD-style m0, m5) gets
// no predictions, and the report's note says which mapping would enable them; mapped, the real model reads
// the columns; the what-if injects into the mapped columns (refused without a mapping, with a hint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasShared, repoRoot, sharedDir } from '../helpers/env.ts';
import type { Report } from '../../src/lib/report/types.ts';

function aura(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/aura.js', ...args], { cwd: repoRoot, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aura-map-'));
  file = join(dir, 'machine.csv');
  // 8 h a minute apart: m0 a steady CPU share, m5 a used-memory share climbing towards full.
  const rows = ['timestamp,m0,m5'];
  const t0 = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < 480; i++) {
    const f = i / 480;
    const cpu = 0.3 + 0.05 * Math.sin(i / 17);
    rows.push(`${new Date(t0 + i * 60e3).toISOString()},${cpu.toFixed(4)},${(0.35 + 0.57 * f ** 1.5).toFixed(4)}`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAP = 'm0=cpu,m5=memory:used';

describe('aura analyze --map', () => {
  it('without a mapping: no predictions, and a note naming the mapping that would enable them', async () => {
    const r = await aura('analyze', file, '--json', '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.predictions).toEqual([]);
    const note = report.analysis!.notes.find((n) => n.includes('--map'));
    expect(note).toMatch(/none of the columns \(m0, m5\) is named like a metric the model knows/);
    expect(note).toContain(`--map ${MAP}`);
    // The Markdown report says the same.
    const md = await aura('analyze', file, '--workers', '1');
    expect(md.stdout).toContain(`--map ${MAP}`);
  });

  it('with the mapping: the model reads the columns and names the leak; no note about a mapping', async () => {
    const r = await aura('analyze', file, '--json', '--workers', '1', '--map', MAP);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.predictions).toHaveLength(1);
    expect(report.predictions[0].scenario).toBe('memory_leak');
    expect(report.predictions[0].ttfMinutes).not.toBeNull();
    expect(report.analysis!.notes.some((n) => n.includes('--map'))).toBe(false);
    // Memory alone is read as what is left (the default sense), so a rising series is no leak.
    const free = JSON.parse((await aura('analyze', file, '--json', '--workers', '1', '--map', 'm5=memory')).stdout);
    expect((free as Report).predictions[0].scenario).not.toBe('memory_leak');
  });

  it('refuses a mapping to a column the file lacks with the columns it has', async () => {
    const r = await aura('analyze', file, '--map', 'm9=disk');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--map: no column named "m9" in this data; its columns are m0, m5');
  });

  it('lists --map in its help', async () => {
    const r = await aura('analyze', '--help');
    expect(r.stdout).toMatch(/--map COL=CHANNEL,…\s+what columns the names do not explain measure/);
  });
});

// SMD's columns are m0…m37; models/README.md documents the mapping chosen on their behaviour.
const SMD_MAP = 'm0=cpu,m1=load,m5=memory:used,m12=io,m18=network,m19=network,m32=retrans';

describe.skipIf(!hasShared())('aura analyze --map on a real SMD machine', () => {
  const smd = () => join(sharedDir, 'data', 'smd', 'machine-2-2.train.csv.gz');
  const analyze = async (...extra: string[]) => {
    const r = await aura('analyze', smd(), '--json', '--stride', '60', '--workers', '2', ...extra);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Report;
  };

  it('predicts only with the documented mapping; without it the note names one', async () => {
    const plain = await analyze();
    expect(plain.predictions).toEqual([]);
    expect(plain.analysis!.notes.join(' ')).toMatch(/none of the columns \(m0, m1, m2, m3, m4, m5, … \(38 columns\)\)/);
    const mapped = await analyze('--map', SMD_MAP);
    expect(mapped.predictions).toHaveLength(1);
    const risk = Object.values(mapped.predictions[0].risk);
    expect(risk).toHaveLength(3);
    for (const p of risk) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of risk) expect(p).toBeLessThanOrEqual(1);
    expect(mapped.analysis!.notes.some((n) => n.includes('--map'))).toBe(false);
  }, 120_000);
});

describe('aura whatif --map', () => {
  const leak = ['--scenario', 'memory_leak', '--instance', 'all', '--onset', '10%', '--failure', '+5h'];

  it('without a mapping the injector finds nothing to act on and says --map would help', async () => {
    const r = await aura('whatif', file, ...leak);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('memory_leak touches no series');
    expect(r.stderr).toContain('say what the columns measure with --map');
  });

  it('with the mapping the leak is injected into m5 and the model alarms before the failure', async () => {
    const r = await aura('whatif', file, ...leak, '--map', MAP, '--json', '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      label: { failure: number };
      after: { firstAlarm: number | null; spans: { series: string[] }[] };
    };
    expect(out.after.firstAlarm).not.toBeNull();
    expect(out.after.firstAlarm!).toBeLessThan(out.label.failure);
    // The detector's spans on the injected copy are driven by the mapped column.
    expect(out.after.spans.flatMap((s) => s.series)).toContain('m5');
  });
});
