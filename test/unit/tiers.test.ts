// The unit tier stays in-process, so it stays fast: a test that starts a process (the CLI, promtool, a
// server, a training run) belongs in test/integration. See CONTRIBUTING.md.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/env.ts';

/** What starting a child process looks like in a test file. */
const STARTS_A_PROCESS = /from ['"](node:)?child_process['"]|import\(['"](node:)?child_process['"]\)|bin\/aura\.js/;

function testFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('test tiers', () => {
  it('the pattern recognises a test that starts a process', () => {
    expect(STARTS_A_PROCESS.test("import { execFile } from 'node:child_process';")).toBe(true);
    expect(STARTS_A_PROCESS.test("spawnSync(process.execPath, ['bin/aura.js', 'ph'])")).toBe(true);
    expect(STARTS_A_PROCESS.test("import { readFileSync } from 'node:fs';")).toBe(false);
  });

  it('no unit or property test starts a process', () => {
    // This file names the patterns in its own examples.
    const files = [...testFiles('test/unit'), ...testFiles('test/property')].filter(
      (f) => !f.endsWith('tiers.test.ts'),
    );
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => STARTS_A_PROCESS.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(offenders, 'move these to test/integration').toEqual([]);
  });
});
