// `aura ph` end to end: spawns the real CLI on CSV files.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagramMismatch, type Pair } from '../reference/diagrams.ts';
import { repoRoot } from '../helpers/env.ts';

function aura(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin/aura.js'), ...args], { encoding: 'utf8', cwd: repoRoot });
}

describe('aura ph', () => {
  it('prints the diagrams of a CSV with a header as JSON, null for infinite deaths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aura-ph-'));
    try {
      const file = join(dir, 'circle.csv');
      writeFileSync(file, 'x,y\n' + readFileSync(join(repoRoot, 'test/fixtures/clouds/circle_100.csv'), 'utf8'));
      const out = aura('ph', file, '--max-dim', '1');
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const json = JSON.parse(out.stdout) as { diagrams: Record<string, [number, number | null][]> };
      expect(Object.keys(json.diagrams)).toEqual(['0', '1']);
      const golden = JSON.parse(
        readFileSync(join(repoRoot, 'test/fixtures/clouds/circle_100.golden.json'), 'utf8'),
      ) as typeof json;
      for (const dim of ['0', '1']) {
        const pairs = (d: [number, number | null][]) => d.map(([b, e]): Pair => [b, e ?? Infinity]);
        expect(diagramMismatch(pairs(json.diagrams[dim]), pairs(golden.diagrams[dim]))).toBeNull();
      }
      expect(json.diagrams['0'].filter(([, death]) => death === null)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a one-line message naming the bad line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aura-ph-'));
    try {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, '1,2,3\n4,5,6\n\n7,8,9\n1,2,3\n0,0,0\n1,2\n');
      const out = aura('ph', file);
      expect(out.status).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(out.stderr).toContain('line 7: expected 3 numbers, found 2');
      const dimOut = aura('ph', file, '--max-dim', '5');
      expect(dimOut.status).toBe(2);
      expect(dimOut.stderr).toMatch(/--max-dim must be at most 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
