// `aura predict --map`: a file whose column names say nothing (SMD-style m0, m1, …) gets no predictions and
// a message saying which mapping would enable them; mapped, the real model reads it; a bad mapping is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/env.ts';

function aura(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/aura.js', 'predict', ...args],
      { cwd: repoRoot, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aura-map-'));
  file = join(dir, 'machine.csv');
  // 8 h a minute apart: m0 a steady CPU share, m1 a used-memory share climbing towards full.
  const rows = ['timestamp,m0,m1,m2'];
  const t0 = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < 480; i++) {
    const f = i / 480;
    rows.push(
      `${new Date(t0 + i * 60e3).toISOString()},${(0.3 + 0.05 * Math.sin(i / 17)).toFixed(4)},${(0.35 + 0.57 * f ** 1.5).toFixed(4)},${(i % 7) / 7}`,
    );
  }
  writeFileSync(file, rows.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('aura predict --map', () => {
  it('without a mapping says which mapping would enable predictions', async () => {
    const r = await aura(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none of the columns \(m0, m1, m2\) is named like a metric the model knows/);
    expect(r.stderr).toContain('--map m0=cpu,m1=memory:used');
  });

  it('with a mapping, the model reads the columns and names the leak', async () => {
    const r = await aura(file, '--map', 'm0=cpu,m1=memory:used', '--json');
    expect(r.code, r.stderr).toBe(0);
    const [p] = JSON.parse(r.stdout) as { entity: string; scenario: string; ttfMinutes: number | null }[];
    expect(p.entity).toBe('all');
    expect(p.scenario).toBe('memory_leak');
    expect(p.ttfMinutes).not.toBeNull();
  });

  it('refuses a mapping to a column the file lacks, or to an unknown channel, with what to write', async () => {
    const missing = await aura(file, '--map', 'm9=disk');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--map: no column named "m9" in this data; its columns are m0, m1, m2');
    const unknown = await aura(file, '--map', 'm1=ram');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--map: unknown channel "ram" for column "m1"');
  });
});
