// Live mode's warm-up arithmetic against the real timeline: the sample count it promises is exactly the one
// at which the timeline's first window appears (one fewer and the timeline says it is waiting).
import { beforeAll, describe, expect, it } from 'vitest';
import { AnomalyTimeline, InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';
import {
  baselineWarmup,
  countdownWords,
  initialLookbackMs,
  samplesForWindow,
  samplesNeeded,
  type WarmupWindowing,
} from '../../src/lib/live/warmup.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

function frame(rows: number, series: number, stepMs = 5000): AlignedFrame {
  const timestamps = Float64Array.from({ length: rows }, (_, i) => 1_767_225_600_000 + i * stepMs);
  const columns = Array.from({ length: series }, (_, j) =>
    Float64Array.from({ length: rows }, (_, i) => Math.sin(i / (5 + j)) + 0.1 * Math.cos(i * 1.7 + j)),
  );
  return {
    timestamps,
    columns,
    stepMs,
    series: columns.map((_, j) => ({ name: `m${j}`, labels: {} })),
  };
}

async function windowsAt(rows: number, series: number, w: WarmupWindowing) {
  const timeline = new AnomalyTimeline(new InProcessRunner(topology), {
    window: w.window,
    stride: w.stride,
    cloud: w.cloud === 'auto' ? undefined : w.cloud,
  });
  const out = await timeline.update(frame(rows, series));
  return { windows: out.points.length, pending: out.pending };
}

describe('live warm-up', () => {
  for (const [series, w] of [
    [1, { window: 60, stride: 10, cloud: 'auto' }],
    [3, { window: 60, stride: 10, cloud: 'auto' }],
    [2, { window: 20, stride: 4, cloud: 'takens' }],
  ] as [number, WarmupWindowing][]) {
    it(`${series} series, window ${w.window}, stride ${w.stride}, ${w.cloud}: the first window comes at samplesNeeded`, async () => {
      const need = samplesNeeded(w, series);
      expect(need).toBeLessThanOrEqual(samplesForWindow(w, series));
      const before = await windowsAt(need - 1, series, w);
      expect(before.windows).toBe(0);
      expect(before.pending).toMatch(/not enough data yet/);
      const at = await windowsAt(need, series, w);
      expect(at.windows).toBeGreaterThan(0);
      expect(at.pending).toBeNull();
    });
  }

  it('one series at a 5 s step with the default windows: 160 samples at full width, the first window at 50', () => {
    const w: WarmupWindowing = { window: 60, stride: 10, cloud: 'auto' };
    expect(samplesForWindow(w, 1)).toBe(160);
    expect(samplesNeeded(w, 1)).toBe(50);
    const t = 1_000_000;
    const wait = baselineWarmup(w, 1, 20, t, 5000)!;
    expect(wait.missing).toBe(30);
    expect(wait.readyAt - t).toBe(150_000);
    expect(wait.what).toBe('Learning the baseline: 20 of 50 samples');
    expect(baselineWarmup(w, 1, 50, t, 5000)).toBeNull();
    expect(baselineWarmup(w, 0, 0, t, 5000)).toBeNull();
  });

  it('the first read covers the baseline where the user asked for less', () => {
    const w: WarmupWindowing = { window: 60, stride: 10, cloud: 'auto' };
    expect(initialLookbackMs(60_000, 5000, w)).toBe(165 * 5000);
    expect(initialLookbackMs(6 * 3600_000, 5000, w)).toBe(6 * 3600_000);
  });

  it('countdown words', () => {
    expect(countdownWords(40_200)).toBe('41 s');
    expect(countdownWords(245_000)).toBe('4 min 05 s');
    expect(countdownWords(3_720_000)).toBe('1 h 02 min');
    expect(countdownWords(-5)).toBe('0 s');
  });
});
