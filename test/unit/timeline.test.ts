import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyTimeline, InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import type { TimelinePoint } from '../../src/lib/report/types.ts';
import { NodePool } from '../../src/node/pool.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { fleet } from '../fixtures/timeline/generate.ts';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

describe('the anomaly timeline with default settings', () => {
  it('flags host-2 CPU losing its phase lock while every series stays in its usual range', async () => {
    const frame = fleet({ seed: 7, decouple: [3400, 3880] }); // 2 hours in the afternoon
    const timeline = new AnomalyTimeline(new InProcessRunner(topology));
    const out = await timeline.update(frame);
    // The break is invisible to a range check: each CPU series stays within its baseline min..max ± 10 %.
    for (const j of [0, 1]) {
      const base = frame.columns[j].subarray(0, 860);
      const lo = Math.min(...base);
      const hi = Math.max(...base);
      const brk = frame.columns[j].subarray(3400, 3880);
      expect(Math.min(...brk)).toBeGreaterThan(lo - 0.1 * (hi - lo));
      expect(Math.max(...brk)).toBeLessThan(hi + 0.1 * (hi - lo));
    }
    const t = (row: number) => frame.timestamps[row];
    const hits = out.anomalies.filter((a) => a.end >= t(3400) && a.start <= t(3880));
    expect(hits.length).toBeGreaterThanOrEqual(1);
    // Nothing flagged far from the break.
    const elsewhere = out.anomalies.filter((a) => a.end < t(3400) - 3600e3 || a.start > t(3880) + 3600e3);
    expect(elsewhere).toEqual([]);
    expect(hits[0].series.slice(0, 2).sort()).toEqual([
      'cpu_percent{instance="host-1"}',
      'cpu_percent{instance="host-2"}',
    ]);
    expect(out.points.length).toBe(Math.floor((5760 - 60) / 10) + 1);
  });

  it('stays quiet on noise and daily cycles', async () => {
    for (const seed of [1, 2]) {
      const out = await new AnomalyTimeline(new InProcessRunner(topology)).update(fleet({ seed, extra: 4 }));
      expect(out.anomalies).toEqual([]);
      expect(out.points.every((p) => !p.anomalous)).toBe(true);
    }
  });
});

function head(frame: AlignedFrame, rows: number): AlignedFrame {
  return { ...frame, timestamps: frame.timestamps.slice(0, rows), columns: frame.columns.map((c) => c.slice(0, rows)) };
}

describe('the driver', () => {
  const frame = fleet({ seed: 7, rows: 2400, decouple: [1500, 1800] });
  const settings = { baselineRows: 600 };
  let oneShot: TimelinePoint[];
  let pool: NodePool;

  beforeAll(async () => {
    oneShot = (await new AnomalyTimeline(new InProcessRunner(topology), settings).update(frame)).points;
    pool = new NodePool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it('gives the same timeline from a worker_threads pool, streamed in order', async () => {
    const streamed: number[] = [];
    const out = await new AnomalyTimeline(pool, settings).update(frame, { onPoint: (p) => streamed.push(p.t) });
    expect(out.points).toEqual(oneShot);
    expect(streamed).toEqual(oneShot.map((p) => p.t));
    expect(out.anomalies.length).toBeGreaterThan(0);
  });

  it('computes only the new windows when rows are appended (live mode)', async () => {
    const timeline = new AnomalyTimeline(pool, settings);
    await timeline.update(head(frame, 1000));
    const totals: number[] = [];
    const out = await timeline.update(frame, { onProgress: (p) => p.phase === 'windows' && totals.push(p.total) });
    expect(out.points).toEqual(oneShot);
    const before = Math.floor((1000 - 60) / 10) + 1;
    expect(totals.at(-1)).toBe(oneShot.length - before);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const timeline = new AnomalyTimeline(pool, settings);
    const run = timeline.update(frame, {
      signal: controller.signal,
      onProgress: (p) => p.phase === 'windows' && controller.abort(new Error('cancelled by the test')),
    });
    await expect(run).rejects.toThrow('cancelled by the test');
  });

  it('runs the delay-embedding path on several series and landmarks clouds above the size limit', async () => {
    const small = head(frame, 1200);
    const out = await new AnomalyTimeline(new InProcessRunner(topology), {
      ...settings,
      cloud: 'takens',
      maxPoints: 30,
    }).update(small);
    expect(out.settings.cloud).toBe('takens');
    expect(out.embedding!.delay.length).toBe(4);
    for (let j = 0; j < 4; j++) {
      expect(out.embedding!.delay[j]).toBeGreaterThanOrEqual(1);
      expect(out.embedding!.dim[j]).toBeGreaterThanOrEqual(2);
    }
    expect(out.landmarked).toBe(out.points.length + out.skipped.length);
    expect(out.points.length).toBeGreaterThan(50);
    expect(out.points.every((p) => Number.isFinite(p.score) && p.distance.w2 >= 0)).toBe(true);
  });

  it('says why there is no timeline yet when there is too little data, with the numbers', async () => {
    const out = await new AnomalyTimeline(new InProcessRunner(topology)).update(head(frame, 30));
    expect(out.points).toEqual([]);
    // 4 series: a state cloud; the narrowest window is 16 samples, stride 3: 16 + 3·3 baseline + 3·3 to score.
    expect(out.pending).toBe(
      'not enough data yet: 30 samples, at least 34 are needed (window 16, stride 3: a baseline of 4 windows ' +
        'and more to score); 4 more samples (1 min at this step)',
    );
  });

  it('reports windows skipped for gaps instead of computing them from partial data', async () => {
    const gappy = head(frame, 1200);
    gappy.columns = gappy.columns.map((c) => c.slice());
    // Each series misses a different 15 % of the rows: none is absent, but few complete points are left.
    for (let j = 0; j < 4; j++)
      for (let r = 900; r < 1000; r++) if (r % 20 >= 3 * j && r % 20 < 3 * j + 3) gappy.columns[j][r] = NaN;
    const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(gappy);
    expect(out.skipped.length).toBeGreaterThan(0);
    for (const s of out.skipped) expect(s.reason).toMatch(/gap/);
    expect(out.points.some((p) => out.skipped.some((s) => s.t === p.t))).toBe(false);
  });

  it('scores the windows where one series has no data on the others, and names it', async () => {
    const gappy = head(frame, 1200);
    gappy.columns = gappy.columns.map((c) => c.slice());
    gappy.columns[2].fill(NaN, 900, 1000);
    const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(gappy);
    expect(out.skipped).toEqual([]);
    expect(out.points.length).toBe(Math.floor((1200 - 60) / 10) + 1);
    expect(out.points.every((p) => Number.isFinite(p.score))).toBe(true);
    expect(out.notes.join('\n')).toMatch(/^mem_used_bytes\{instance="host-1"\} has too little data in \d+ windows/m);
  });
});
