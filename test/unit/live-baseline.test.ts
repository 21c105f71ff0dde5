// Live mode's baseline from history (src/lib/live/baseline.ts): the history at a coarse step and the live
// samples at theirs, each on its own grid, joined in time order, and the analysis taking the history as its
// baseline and scoring the live windows after it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import { historyRange, joinAligned, LiveWithHistory, stepWords } from '../../src/lib/live/baseline.ts';
import { Analysis } from '../../src/lib/analysis/index.ts';
import { InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { createRng } from '../../src/lib/synth/rng.ts';

const T0 = Date.UTC(2026, 2, 2);

function frame(names: string[], start: number, stepMs: number, n: number, seed: number): MetricFrame {
  const rng = createRng(seed);
  const series: Series[] = names.map((name) => {
    const timestamps = Float64Array.from({ length: n }, (_, i) => start + i * stepMs);
    const values = Float64Array.from({ length: n }, () => 10 + rng.normal());
    return { name, labels: {}, timestamps, values };
  });
  return {
    series,
    meta: { origin: 'test', format: 'test', rejected: { count: 0, examples: [] }, duplicates: 0 },
  } as MetricFrame;
}

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

describe('history at a coarse step, then live samples', () => {
  it('reads the hours before the live window at a step that fits, ending a step before it', () => {
    const now = T0 + 48 * 3600e3;
    const r = historyRange(now, 24, now - 3600e3, 15_000)!;
    expect(r.start).toBe(now - 24 * 3600e3);
    expect(r.stepMs).toBeGreaterThanOrEqual(60_000);
    expect((24 * 3600e3) / r.stepMs).toBeLessThanOrEqual(1440);
    expect(r.end).toBe(now - 3600e3 - r.stepMs);
    expect(historyRange(now, 0, now - 3600e3, 15_000)).toBeNull();
    // A history shorter than the live window is none.
    expect(historyRange(now, 0.5, now - 3600e3, 15_000)).toBeNull();
    expect(stepWords(180_000)).toBe('3 min');
    expect(stepWords(15_000)).toBe('15 s');
  });

  it('joins each part on its own grid: the history rows, then the live rows, series matched by key', () => {
    const base = alignFrame(frame(['a', 'b'], T0, 60_000, 50, 1));
    const liveStart = T0 + 50 * 60_000 + 5_000;
    const live = alignFrame(frame(['b', 'a', 'c'], liveStart, 5_000, 30, 2));
    const j = joinAligned(base, live);
    expect(j.frame.stepMs).toBe(5_000);
    expect(j.frame.timestamps.length).toBe(80);
    expect(j.frame.timestamps[49]).toBe(T0 + 49 * 60_000);
    expect(j.frame.timestamps[50]).toBe(liveStart);
    expect(j.frame.series.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    // `a` keeps its history values and gets its own live values (column 1 in the live part).
    expect(j.frame.columns[0][0]).toBe(base.frame.columns[0][0]);
    expect(j.frame.columns[0][50]).toBe(live.frame.columns[1][0]);
    // `c` has no history: gaps there.
    expect(Number.isNaN(j.frame.columns[2][0])).toBe(true);
    expect(j.frame.columns[2][79]).toBe(live.frame.columns[2][29]);
  });

  it('marks hours without data between history and live samples with one row of gaps', () => {
    const base = alignFrame(frame(['a', 'b'], T0, 60_000, 50, 1));
    const liveStart = T0 + 36 * 3600e3;
    const j = joinAligned(base, alignFrame(frame(['a', 'b'], liveStart, 5_000, 30, 2)));
    expect(j.frame.timestamps.length).toBe(81);
    expect(j.frame.timestamps[50]).toBe(T0 + 50 * 60_000);
    expect(j.frame.columns.every((c) => Number.isNaN(c[50]))).toBe(true);
    expect(j.frame.timestamps[51]).toBe(liveStart);
    expect(j.frame.columns[0][51]).not.toBeNaN();
  });

  it('the analysis takes the history as its baseline and scores live windows at once, and appends', async () => {
    const names = ['cpu', 'mem', 'disk', 'net'];
    const history = frame(names, T0, 60_000, 120, 3);
    const liveStart = T0 + 121 * 60_000;
    const data = new LiveWithHistory(history, frame(names, liveStart, 1_000, 40, 4));
    const { frame: all, aligned } = data.append();
    const analysis = new Analysis(new InProcessRunner(topology), { window: 8, stride: 2 }, { baseline: data.period });
    const first = await analysis.timeline(all, { aligned });
    expect(first.analysis?.baseline?.start).toBe(T0);
    expect(first.analysis?.baseline?.end).toBe(T0 + 119 * 60_000);
    expect(first.input.stepMs).toBe(1_000);
    const liveWindows = first.timeline.filter((p) => p.t >= liveStart);
    // 40 live samples with window 8 and stride 2: windows from the first live samples on, no warm-up.
    expect(liveWindows.length).toBeGreaterThanOrEqual(15);
    const next = data.append(frame(names, liveStart + 40_000, 1_000, 10, 5));
    const second = await analysis.timeline(next.frame, { aligned: next.aligned });
    expect(second.timeline.length).toBe(first.timeline.length + 5);
    expect(second.timeline.slice(0, first.timeline.length)).toEqual(first.timeline);
  });
});
