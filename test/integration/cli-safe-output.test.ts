// The real CLI never writes a control byte it read (issue 11 item 7): a garbage file's message, a file name,
// an unknown command all reach the terminal with control characters escaped.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasControls } from '../../src/lib/text/quote.ts';
import { repoRoot } from '../helpers/env.ts';

function aura(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/aura.js', ...args], { cwd: repoRoot }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aura-safe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI messages that quote input', () => {
  it('a garbage file: the reason shows \\x1c, not the byte (regression)', async () => {
    const file = join(dir, 'garbage.csv');
    writeFileSync(file, 'time,value\n2024-01-01T00:00:00Z,1\u001c\n\u001b[2J,2\n');
    const r = await aura('inspect', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("value '1\\x1c' in column 'value' is not a number");
    expect(hasControls(r.stderr.trimEnd())).toBe(false);
  }, 60_000);

  it('a file name and an unknown command with escape sequences', async () => {
    const r = await aura('inspect', join(dir, 'no\u001b[31mfile.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no\\x1b[31mfile.csv');
    expect(hasControls(r.stderr.trimEnd())).toBe(false);
    const u = await aura('x\u0007\u009b');
    expect(u.stderr).toContain("unknown command 'x\\x07\\x9b'");
  }, 60_000);
});
