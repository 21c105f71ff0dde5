// The analysis worker's recording runner on a fleet: each entity's timeline records its own windows, and the window
// drawn for a fleet time is the one of the entity whose score the fleet timeline shows there.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { Analysis } from '../../src/lib/analysis/index.ts';
import { InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import { computeWindow } from '../../src/lib/timeline/window.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { createRng } from '../../src/lib/synth/rng.ts';
import { RecordingRunner } from '../../src/workers/analysis/recording-runner.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** 4 hosts × 3 gauges of seeded noise; host-2 (and, later, host-0) swing widely so they lead the fleet score. */
function fleet(rows: number): MetricFrame {
  const rng = createRng(11);
  const timestamps = Float64Array.from({ length: rows }, (_, i) => T0 + i * STEP);
  const series = [];
  for (let h = 0; h < 4; h++) {
    for (let m = 0; m < 3; m++) {
      const from = h === 2 ? 0.5 * rows : h === 0 ? 0.75 * rows : Infinity;
      const values = Float64Array.from({ length: rows }, (_, i) => {
        const wild = i >= from ? 40 * Math.sin(i / 3 + m) : 0;
        return 50 + 10 * m + (rng.next() - 0.5) * 2 + wild;
      });
      series.push({
        name: `metric_${m}`,
        labels: { instance: `host-${h}` },
        timestamps,
        values,
        kind: 'gauge' as const,
      });
    }
  }
  return { series, meta: { origin: 'test', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 } };
}

describe('RecordingRunner per entity', () => {
  it('draws, for each fleet time, the window of the entity whose score is shown', async () => {
    const recorder = new RecordingRunner(new InProcessRunner(topology));
    const analysis = new Analysis(recorder, { window: 40, stride: 5 }, { runnerFor: (e) => recorder.forEntity(e) });
    const report = await analysis.timeline(fleet(480));
    const named = report.timeline.filter((p) => p.entity !== undefined);
    expect(named.length).toBeGreaterThan(50);
    // Several hosts lead somewhere (the loud ones once they swing), so one shared recording could not be right.
    const leaders = new Set(named.map((p) => p.entity));
    expect(leaders.size).toBeGreaterThan(1);
    expect(leaders).toContain('host-2');
    const strideMs = 5 * STEP;
    for (const p of named) {
      const w = recorder.window(p.t, p.entity)!;
      expect(w.entity).toBe(p.entity);
      expect(Math.abs(w.task.key - p.t)).toBeLessThan(strideMs);
      // Recomputing the recorded window gives the Betti numbers the timeline reported for that point.
      const again = computeWindow(topology, w.config, w.task, null);
      const betti = Object.fromEntries(again.features.betti.map((b, k) => [String(k), b]));
      expect(betti).toEqual(p.betti);
    }
  });

  it('keeps each row of an entity about once, not once per window, and gives back the blocks sent', async () => {
    // Blocks sent per window end (the hosts share window ends).
    const sent = new Map<number, string[]>();
    const inner = new InProcessRunner(topology);
    const spy: typeof inner = Object.assign(Object.create(inner) as typeof inner, {
      run: (request: Parameters<typeof inner.run>[0], signal?: AbortSignal) => {
        if (request.kind === 'windows')
          for (const t of request.tasks) sent.set(t.key, [...(sent.get(t.key) ?? []), t.block.join()]);
        return inner.run(request, signal);
      },
    });
    const recorder = new RecordingRunner(spy);
    const analysis = new Analysis(recorder, { window: 40, stride: 5 }, { runnerFor: (e) => recorder.forEntity(e) });
    const report = await analysis.timeline(fleet(480));
    // 4 hosts × 480 rows × 3 series, each row once (plus a few restarts: the reference window, the baseline's end).
    expect(recorder.keptValues).toBeLessThan(1.3 * 4 * 480 * 3);
    // A copy per window would hold each row 40 / 5 = 8 times.
    expect(report.timeline.length).toBeGreaterThan(50);
    for (const p of report.timeline.slice(-20)) {
      const w = recorder.window(p.t, p.entity)!;
      expect(sent.get(w.task.key)).toContain(w.task.block.join());
    }
    // compact() gives back the strips' room to grow, and every window still comes back as sent.
    expect(recorder.heldValues).toBeGreaterThan(recorder.keptValues);
    recorder.compact();
    expect(recorder.heldValues).toBe(recorder.keptValues);
    for (const p of report.timeline) {
      const w = recorder.window(p.t, p.entity)!;
      expect(sent.get(w.task.key)).toContain(w.task.block.join());
    }
  });

  it('falls back to the nearest window of any entity, and forgets everything on clear()', async () => {
    const recorder = new RecordingRunner(new InProcessRunner(topology));
    const analysis = new Analysis(recorder, { window: 40, stride: 5 }, { runnerFor: (e) => recorder.forEntity(e) });
    let first = 0;
    recorder.onFirstWindow = () => first++;
    const report = await analysis.timeline(fleet(200));
    expect(first).toBe(1);
    const last = report.timeline[report.timeline.length - 1];
    expect(recorder.window(last.t)?.task.key).toBeDefined();
    expect(recorder.window(last.t, 'no-such-host')).toBeDefined();
    recorder.clear();
    expect(recorder.window(last.t)).toBeUndefined();
  });
});
