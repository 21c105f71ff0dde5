// The worker_threads pool holds up to two requests per worker: answers must still reach the request they
// belong to, whatever the mix and the order they finish in.
import { afterAll, describe, expect, it } from 'vitest';
import { NodePool } from '../../src/node/pool.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { handleRequest, type RunnerRequest } from '../../src/lib/timeline/runner.ts';
import type { WindowConfig } from '../../src/lib/timeline/window.ts';

const pool = new NodePool(2);
afterAll(() => pool.close());

function windows(seed: number, count: number): RunnerRequest {
  const m = 3;
  const rows = 30 + seed * 7;
  const config: WindowConfig = { cloud: 'state', m, maxDim: 1, maxPoints: 200, minPoints: 10, tail: 5 };
  const tasks = Array.from({ length: count }, (_, k) => ({
    key: seed * 100 + k,
    rows,
    block: Float64Array.from({ length: rows * m }, (_, i) => Math.sin(i * (0.1 + 0.05 * seed) + k) * (1 + (i % 5))),
  }));
  return { kind: 'windows', config, tasks, baseline: null };
}

describe('NodePool', () => {
  it('answers many concurrent requests of different sizes, each with its own result', async () => {
    const topology = await createNodeTopology();
    // Copies for the in-process answers: the pool transfers the blocks away.
    const requests = Array.from({ length: 12 }, (_, i) => windows(i % 5, 1 + ((i * 7) % 6)));
    const want = requests.map((r) =>
      handleRequest(topology, {
        ...r,
        tasks: (r as Extract<RunnerRequest, { kind: 'windows' }>).tasks.map((t) => ({ ...t, block: t.block.slice() })),
      } as RunnerRequest),
    );
    const got = await Promise.all(requests.map((r) => pool.run(r)));
    const keys = (rs: unknown) =>
      (rs as { key: number; diagrams: { deaths: Float64Array }[] }[]).map((x) => [x.key, [...x.diagrams[0].deaths]]);
    got.forEach((g, i) => expect(keys(g)).toEqual(keys(want[i])));
    // Whole results too: window requests queued together travel in one message and come back encoded.
    got.forEach((g, i) => expect(g).toEqual(want[i]));
  });

  it('drops a request aborted while queued and keeps serving the others', async () => {
    const controller = new AbortController();
    const runs = Array.from({ length: 8 }, (_, i) =>
      pool.run(windows(i % 3, 4), i === 7 ? controller.signal : undefined),
    );
    controller.abort(new Error('stopped'));
    const settled = await Promise.allSettled(runs);
    expect(settled[7].status).toBe('rejected');
    expect(settled.slice(0, 7).every((s) => s.status === 'fulfilled')).toBe(true);
  });
});
