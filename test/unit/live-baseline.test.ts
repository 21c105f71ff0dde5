// Live mode's baseline from history (src/lib/live/baseline.ts): the history at a coarse step and the live
// samples at theirs, each on its own grid, joined in time order, and the analysis taking the history as its
// baseline and scoring the live windows after it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import { historyRange, LiveData, LiveWithHistory, stepWords } from '../../src/lib/live/baseline.ts';
import { joinAligned } from '../../src/lib/live/join.ts';
import { Analysis } from '../../src/lib/analysis/index.ts';
import { InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import { groupSpans, type FlaggedWindow } from '../../src/lib/timeline/score.ts';
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

  it('puts rows of gaps between history and live rows when asked, even where no time passes between them', () => {
    const base = alignFrame(frame(['a', 'b'], T0, 60_000, 50, 1));
    const liveStart = T0 + 50 * 60_000;
    const j = joinAligned(base, alignFrame(frame(['a', 'b'], liveStart, 5_000, 30, 2)), 12);
    expect(j.frame.timestamps.length).toBe(50 + 12 + 30);
    for (let r = 50; r < 62; r++) {
      expect(j.frame.columns.every((c) => Number.isNaN(c[r]))).toBe(true);
      expect(j.frame.timestamps[r]).toBeGreaterThan(j.frame.timestamps[r - 1]);
    }
    expect(j.frame.timestamps[62]).toBe(liveStart);
    expect(j.gaps).toBe(base.gaps + 12 * 2);
  });

  it('a span of the history (the baseline) does not run on into the live data', async () => {
    // The history's last 40 minutes change shape (two series swing together) and the live data goes on so:
    // both sides are flagged, and they are two spans, not one reaching back into the baseline.
    const names = ['cpu', 'mem', 'disk', 'net'];
    const history = frame(names, T0, 60_000, 200, 6);
    const swing = (s: Series, from: number, phase: number) =>
      s.values.forEach((_, i) => {
        if (i >= from) s.values[i] += 8 * Math.sin((i + phase) / 2);
      });
    history.series.slice(0, 2).forEach((s) => swing(s, 160, 0));
    const liveStart = T0 + 200 * 60_000;
    const live = frame(names, liveStart, 1_000, 80, 7);
    live.series.slice(0, 2).forEach((s) => swing(s, 0, 3));
    const data = new LiveData(history, live, 2 * 8 + 4 * 2);
    const { frame: all, aligned } = data.append();
    const analysis = new Analysis(new InProcessRunner(topology), { window: 8, stride: 2 }, { baseline: data.period });
    const report = await analysis.timeline(all, { aligned: aligned! });
    const historyEnd = T0 + 199 * 60_000;
    const before = report.anomalies.filter((a) => (a.detectedAt ?? a.end) <= historyEnd + 24 * 60_000);
    const after = report.anomalies.filter((a) => a.end >= liveStart);
    // Both sides are flagged (else the test shows nothing)…
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // …and no span holds both.
    for (const a of report.anomalies) expect(a.start >= liveStart || a.end < liveStart).toBe(true);
  });

  it('flags with more skipped windows between them than the merge gap are two spans', () => {
    // Windows 0-1 and 10-11 on the grid of window ends flagged, the 8 between skipped (no data): as points
    // they are neighbours, but a silence of 8 windows splits them. Windows 6 minutes long, 1 minute apart.
    const at = (seq: number): FlaggedWindow => ({
      t: seq * 60_000,
      start: seq * 60_000 - 360_000,
      score: 9,
      anomalous: true,
      seq,
    });
    const spans = groupSpans([at(0), at(1), at(10), at(11)], 2, 2);
    expect(spans.map((s) => s.members)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    // Without the grid numbers (the index stands in), the four are one span.
    const plain = [at(0), at(1), at(10), at(11)].map(({ seq: _, ...w }) => w);
    expect(groupSpans(plain, 2, 2).map((s) => s.members)).toEqual([[0, 1, 2, 3]]);
  });
});
