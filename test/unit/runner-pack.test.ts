// A batch of windows comes back from a worker with its diagrams in one buffer (one transfer instead of
// four per window), with the same values the window computation gave.
import { describe, expect, it } from 'vitest';
import { createNodeTopology } from '../../src/node/topology.ts';
import { handleRequest, transferablesOf } from '../../src/lib/timeline/runner.ts';
import { computeWindow, type WindowConfig, type WindowResult, type WindowTask } from '../../src/lib/timeline/window.ts';

describe('windows responses', () => {
  it('share one buffer per batch and hold the diagrams computeWindow gives', async () => {
    const topology = await createNodeTopology();
    const m = 3;
    const rows = 40;
    const config: WindowConfig = { cloud: 'state', m, maxDim: 1, maxPoints: 200, minPoints: 10, tail: 5 };
    const tasks: WindowTask[] = [0, 1, 2, 3].map((k) => ({
      key: k,
      rows,
      block: Float64Array.from(
        { length: rows * m },
        (_, i) => Math.sin(i * (0.37 + k * 0.11)) + ((i * 7919) % 13) / 13,
      ),
    }));
    // A window with too many gaps is skipped and has empty diagrams.
    tasks.push({ key: 9, rows, block: new Float64Array(rows * m).fill(NaN) });
    const want = tasks.map((t) => computeWindow(topology, config, { ...t, block: t.block.slice() }, null));
    const got = handleRequest(topology, { kind: 'windows', config, tasks, baseline: null }) as WindowResult[];
    expect(transferablesOf(got)).toHaveLength(1);
    expect(got[4].skipped).not.toBeNull();
    got.forEach((r, i) => {
      expect(r.diagrams.map((d) => [d.dim, [...d.births], [...d.deaths]])).toEqual(
        want[i].diagrams.map((d) => [d.dim, [...d.births], [...d.deaths]]),
      );
      expect(r.features).toEqual(want[i].features);
    });
    expect(got[0].diagrams[0].deaths.length).toBeGreaterThan(10);
  });
});
