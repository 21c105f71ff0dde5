// A fleet's progress only goes forward: entities run a few at a time, so the total must count those not yet
// started (before, each host's windows joined the total when it started and the bar fell, 82 % -> 78 %).
import { beforeAll, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { analyse } from '../../src/lib/analysis/index.ts';
import { InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { createRng } from '../../src/lib/synth/rng.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

function fleet(hosts: number, metrics: number, rows: number): MetricFrame {
  const rng = createRng(3);
  const timestamps = Float64Array.from({ length: rows }, (_, i) => Date.UTC(2026, 0, 5) + i * 60_000);
  const series = [];
  for (let h = 0; h < hosts; h++)
    for (let m = 0; m < metrics; m++)
      series.push({
        name: `metric_${m}`,
        labels: { instance: `host-${h}` },
        timestamps,
        values: Float64Array.from({ length: rows }, () => 50 + 10 * m + rng.next()),
        kind: 'gauge' as const,
      });
  return { series, meta: { origin: 'test', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 } };
}

it('a fleet of 24 hosts: the share done never falls and ends at 1', async () => {
  const shares: number[] = [];
  await analyse(fleet(24, 3, 300), {
    runner: new InProcessRunner(topology),
    predictor: null,
    onProgress: (p) => shares.push(p.total > 0 ? p.done / p.total : 0),
  });
  expect(shares.length).toBeGreaterThan(24);
  const falls = shares.slice(1).map((s, i) => shares[i] - s);
  expect(Math.max(...falls)).toBeLessThanOrEqual(1e-9);
  expect(shares.at(-1)).toBeCloseTo(1, 9);
});
