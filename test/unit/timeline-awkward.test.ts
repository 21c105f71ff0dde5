// Issue 11 regressions on the real timeline (real WASM topology): the demo's baseline spike, one-dimensional
// demo clouds, spans' detectedAt, wide noise, an all-NaN column and short inputs.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AnomalyTimeline,
  InProcessRunner,
  buildCloud,
  type RunnerRequest,
  type Topology,
  type WindowConfig,
  type WindowTask,
} from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { demoScenario } from '../../src/lib/synth/index.ts';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import { noiseFrame } from '../fixtures/timeline/awkward.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

/** Keeps the config and the tasks of every window request, to rebuild the clouds the app would show. */
class Recording extends InProcessRunner {
  config: WindowConfig | null = null;
  tasks: WindowTask[] = [];
  override async run<R extends RunnerRequest>(request: R, signal?: AbortSignal) {
    if (request.kind === 'windows' && request.baseline) {
      this.config = request.config;
      this.tasks.push(...request.tasks.map((t) => ({ ...t, block: t.block.slice() })));
    }
    return super.run(request, signal);
  }
}

/** Share of the variance along the first principal axis (power iteration on the covariance). */
function pc1Share(points: Float64Array, n: number, d: number): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += points[i * d + c] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) cov[a * d + b] += (points[i * d + a] - mean[a]) * (points[i * d + b] - mean[b]);
  let trace = 0;
  for (let a = 0; a < d; a++) trace += cov[a * d + a];
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  let lambda = 0;
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a] += cov[a * d + b] * v[b];
    lambda = Math.hypot(...w);
    if (lambda === 0) return 0;
    v = w.map((x) => x / lambda);
  }
  return trace > 0 ? lambda / trace : 0;
}

describe('the demo', () => {
  let runner: Recording;
  let out: Awaited<ReturnType<AnomalyTimeline['update']>>;
  beforeAll(async () => {
    runner = new Recording(topology);
    out = await new AnomalyTimeline(runner).update(alignFrame(demoScenario().frame).frame);
  }, 60_000);

  it('flags the cron burst at 02:00 although it lies in the baseline span', () => {
    const base = out.baseline!;
    const twoAm = Date.UTC(2026, 0, 5, 2);
    expect(twoAm).toBeLessThan(base.end);
    const burst = out.anomalies.find((a) => a.start <= twoAm + 30 * 60e3 && a.end >= twoAm);
    expect(burst).toBeDefined();
  });

  it('dates each span: detectedAt is the end of its first flagged window, start no later', () => {
    expect(out.anomalies.length).toBeGreaterThan(0);
    for (const a of out.anomalies) {
      const first = out.points.find((p) => p.anomalous && p.t >= a.start && p.t <= a.end)!;
      expect(a.detectedAt).toBe(first.t);
      expect(a.start).toBeLessThanOrEqual(a.detectedAt!);
    }
  });

  it('builds window clouds that are not one-dimensional (no single trending series dominates)', () => {
    const shares = (config: WindowConfig) =>
      runner.tasks.map((t) => {
        const { cloud } = buildCloud(config, t);
        return pc1Share(cloud.points, cloud.n, cloud.d);
      });
    const withLimits = shares(runner.config!);
    const without = shares({ ...runner.config!, limits: undefined });
    const lineLike = (xs: number[]) => xs.filter((x) => x > 0.95).length / xs.length;
    // Without the saturation most windows after the disk fill starts are lines along it.
    expect(lineLike(without)).toBeGreaterThan(0.2);
    expect(lineLike(withLimits)).toBeLessThan(0.02);
  });
});

describe('awkward files', () => {
  it('keeps wide stationary noise (2,000 series × 500 rows) finite and unflagged, projected to 32 dims', async () => {
    const frame = noiseFrame({ kind: 'noisy', seed: 3, m: 2000, rows: 500 });
    const out = await new AnomalyTimeline(new InProcessRunner(topology)).update(frame);
    expect(out.settings.projectedTo).toBe(32);
    expect(out.points.length).toBe(45);
    expect(Math.max(...out.points.map((p) => p.score))).toBeLessThan(4);
    expect(out.anomalies).toEqual([]);
  }, 30_000);

  it('scores a good series beside an all-NaN one, and names the empty one', async () => {
    const frame = noiseFrame({ kind: 'nan-column', seed: 5, m: 2, rows: 500 });
    const out = await new AnomalyTimeline(new InProcessRunner(topology)).update(frame);
    expect(out.points.length).toBeGreaterThan(30);
    expect(out.notes).toContain('no data at all, left out of the timeline: s1');
  });

  it('adapts window and stride to a 120-sample single series and says so', async () => {
    const out = await new AnomalyTimeline(new InProcessRunner(topology)).update(
      noiseFrame({ kind: 'noisy', seed: 9, m: 1, rows: 120 }),
    );
    expect(out.pending).toBeNull();
    expect(out.settings.window).toBeLessThan(60);
    expect(out.points.length).toBeGreaterThanOrEqual(4 + 3);
    expect(out.notes.join('\n')).toMatch(/^short input \(120 samples\): window 60 → \d+ samples, stride 10 → \d+/m);
  });
});
