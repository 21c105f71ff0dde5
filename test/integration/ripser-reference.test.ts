// The PH bench's reference: Ripser 1.2.1 compiled from ../shared, run as a process and its printed
// diagrams parsed. Checked against our engine on real clouds, so the bench compares the same work.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRipser, parseRipserOutput, ripserArgv, timeProcess } from '../../bench/processes.ts';
import { parsePointsCsv } from '../../src/lib/cloud/points-csv.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { diagramMismatch, diagramPairs } from '../reference/diagrams.ts';
import { hasShared, isCI, sharedDir } from '../helpers/env.ts';

/** The compiled binary, or null after a SKIPPED line (a failure under CI=true). */
function ripser(): string | null {
  if (!hasShared()) return null;
  const built = buildRipser();
  if ('binary' in built) return built.binary;
  if (isCI) throw new Error(`${built.skipped}; it is mandatory when CI=true`);
  console.warn(built.skipped);
  return null;
}

describe('Ripser reference for the PH bench', () => {
  it('prints the same diagrams as our engine, pair for pair, on clouds with holes, duplicates and a threshold', async () => {
    const binary = ripser();
    if (!binary) return;
    const engine = await createNodeEngine();
    const cases = [
      { name: 'circle_100', maxDim: 1, threshold: null },
      { name: 'dups_70_2', maxDim: 1, threshold: null },
      { name: 'o3_1024', maxDim: 2, threshold: 1.4 },
    ];
    for (const { name, maxDim, threshold } of cases) {
      const file = join(sharedDir, 'bench/clouds', `${name}.csv`);
      const run = timeProcess(ripserArgv(binary, file, maxDim, threshold));
      expect(run.wall).toBeGreaterThan(0);
      expect(run.cpu).toBeGreaterThanOrEqual(0);
      const printed = parseRipserOutput(run.stdout);
      expect(printed).toHaveLength(maxDim + 1);
      const cloud = parsePointsCsv(readFileSync(file, 'utf8'));
      const ours = diagramPairs(
        engine.computePoints(cloud.points, cloud.n, cloud.d, { maxDim, threshold: threshold ?? undefined }),
      );
      for (let dim = 0; dim <= maxDim; dim++) {
        expect(diagramMismatch(ours[dim], printed[dim]), `${name} H${dim}`).toBeNull();
      }
      // Essential classes are printed with an empty death: one in H0 up to the enclosing radius (the
      // complex is connected), several under o3_1024's lower threshold.
      const essential = printed[0].filter(([, death]) => death === Infinity).length;
      if (threshold === null) expect(essential).toBe(1);
      else expect(essential).toBeGreaterThan(1);
    }
  }, 300_000);

  it("times a command with bash's time and reports a failing one by its own message", () => {
    const ok = timeProcess(['sh', '-c', 'echo out; echo note >&2']);
    expect(ok.stdout).toBe('out\n');
    expect(() => timeProcess(['sh', '-c', 'echo "cannot read the cloud" >&2; exit 3'])).toThrow(
      /^cannot read the cloud$/,
    );
  });
});
