// `aura inspect` as an operator runs it: a child process on real files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, repoRoot, sharedDir } from '../helpers/env.ts';

const run = promisify(execFile);
const aura = resolve(repoRoot, 'bin/aura.js');

async function inspect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [aura, 'inspect', ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'aura-inspect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('aura inspect', () => {
  it('prints the exact JSON shape', async () => {
    const r = await inspect(resolve(repoRoot, 'test/fixtures/ingest/wide.csv'), '--json');
    expect(r.code).toBe(0);
    const T0 = Date.UTC(2024, 0, 1);
    expect(JSON.parse(r.stdout)).toEqual({
      format: 'wide-csv',
      series: [
        { name: 'cpu', labels: {}, points: 4, start: T0, end: T0 + 180_000, step: 60_000, gaps: 0 },
        { name: 'mem', labels: {}, points: 3, start: T0, end: T0 + 180_000, step: 60_000, gaps: 1 },
      ],
      rejected: {
        count: 3,
        examples: [
          { line: 7, reason: "value 'oops' in column 'cpu' is not a number" },
          { line: 8, reason: 'expected 3 fields as in the header on line 1, found 2' },
          { line: 9, reason: "timestamp 'not-a-time' is neither an epoch number nor a date like 2024-01-31 12:00:00" },
        ],
      },
    });
  });

  it('prints a readable table', async () => {
    const r = await inspect(resolve(repoRoot, 'test/fixtures/ingest/long.csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format: long-csv');
    expect(r.stdout).toMatch(/node_load1\{instance="a"\}\s+3\s+2024-01-01T00:00:00Z\s+2024-01-01T00:02:00Z\s+1m\s+0/);
    expect(r.stdout).toContain("line 7: value 'bad' in column 'value' is not a number");
  });

  it('exits 2 with a one-line reason for missing, empty and unusable files', async () => {
    const missing = await inspect(join(tmp, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read .*: no such file$/m);
    writeFileSync(join(tmp, 'empty.csv'), '');
    const empty = await inspect(join(tmp, 'empty.csv'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty/);
    writeFileSync(join(tmp, 'junk.bin'), Buffer.from([0, 1, 2, 255, 254, 10, 200, 44, 9]));
    const junk = await inspect(join(tmp, 'junk.bin'));
    expect(junk.code).toBe(2);
    expect(junk.stderr.trim().split('\n')).toHaveLength(1);
    const dir = await inspect(tmp);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/not a file/);
  });
});

describe.skipIf(!hasShared())('aura inspect on every NAB file', () => {
  const dir = resolve(sharedDir, 'data/nab');
  const files = hasShared() ? readdirSync(dir).filter((f) => f.endsWith('.csv')) : [];
  it.each(files)('%s', async (file) => {
    const r = await inspect(join(dir, file), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('wide-csv');
    expect(report.series).toHaveLength(1);
    const s = report.series[0];
    expect(s.name).toBe('value');
    expect(s.start).toBeLessThan(s.end);
    expect(s.step).toBeGreaterThan(0);
    expect(report.rejected.count).toBe(0);
    // Every data line is a sample (or a dropped duplicate timestamp).
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n').length - 1;
    expect(s.points).toBeLessThanOrEqual(lines);
    expect(s.points).toBeGreaterThan(lines * 0.99);
  });
});

describe('aura inspect output safety', () => {
  it('escapes control characters from the file instead of sending them to the terminal', async () => {
    const file = join(tmp, 'ctl.csv');
    writeFileSync(file, 'time,"a\u001b[31mred"\n1704067200,1\n1704067260,x\u0007\n');
    const r = await inspect(file);
    expect(r.code).toBe(0);
    expect(r.stdout.includes('\u001b') || r.stdout.includes('\u0007')).toBe(false);
    expect(r.stdout).toContain('a\\u001b[31mred');
  });
});
