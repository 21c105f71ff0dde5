// Entities, peer outliers and the fleet report (issue: per-host topology instead of one fleet cloud).
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlignedFrame, MetricFrame } from '../../src/lib/frame/types.ts';
import { entityLabel, groupEntities, UNLABELLED } from '../../src/lib/analysis/entities.ts';
import { peerOutliers } from '../../src/lib/analysis/peers.ts';
import { joinHeights } from '../../src/lib/cloud/linkage.ts';
import { combineEntities } from '../../src/lib/analysis/fleet.ts';
import { analyse } from '../../src/lib/analysis/index.ts';
import { InProcessRunner, type Topology } from '../../src/lib/timeline/index.ts';
import type { AnomalySpan } from '../../src/lib/report/types.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { createRng } from '../../src/lib/synth/rng.ts';

let topology: Topology;
beforeAll(async () => {
  topology = await createNodeTopology();
});

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** `hosts` hosts × `metrics` gauges of seeded noise; `shift(h, m, i)` adds to host h's metric m at row i. */
function fleetFrame(
  hosts: number,
  metrics: number,
  rows: number,
  shift: (h: number, m: number, i: number) => number = () => 0,
  label = 'instance',
): MetricFrame {
  const rng = createRng(7);
  const timestamps = Float64Array.from({ length: rows }, (_, i) => T0 + i * STEP);
  const series = [];
  for (let h = 0; h < hosts; h++) {
    for (let m = 0; m < metrics; m++) {
      const values = Float64Array.from(
        { length: rows },
        (_, i) => 50 + 10 * m + (rng.next() - 0.5) * 2 + shift(h, m, i),
      );
      series.push({
        name: `metric_${m}`,
        labels: { [label]: `host-${h}` },
        timestamps,
        values,
        kind: 'gauge' as const,
      });
    }
  }
  return { series, meta: { origin: 'test', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 } };
}

function aligned(frame: MetricFrame): AlignedFrame {
  return {
    timestamps: frame.series[0].timestamps,
    stepMs: STEP,
    columns: frame.series.map((s) => s.values),
    series: frame.series.map((s) => ({ name: s.name, labels: s.labels })),
  };
}

describe('entities', () => {
  it('uses instance, then host, pod, node, job; an override wins; no label means one entity', () => {
    expect(entityLabel([{ labels: { instance: 'a', job: 'node' } }])).toBe('instance');
    expect(entityLabel([{ labels: { pod: 'p-1', job: 'api' } }])).toBe('pod');
    expect(entityLabel([{ labels: { job: 'api' } }])).toBe('job');
    expect(entityLabel([{ labels: { job: 'api' } }], 'zone')).toBe('zone');
    expect(entityLabel([{ labels: {} }])).toBeNull();
  });
  it('groups columns by entity, series without the label together', () => {
    const a = aligned(fleetFrame(2, 2, 10));
    a.series.push({ name: 'orphan', labels: {} });
    a.columns.push(new Float64Array(10));
    const groups = groupEntities(a, 'instance');
    expect(groups).toEqual([
      { entity: 'host-0', columns: [0, 1] },
      { entity: 'host-1', columns: [2, 3] },
      { entity: UNLABELLED, columns: [4] },
    ]);
    expect(groupEntities(a, null)).toEqual([{ entity: 'all', columns: [0, 1, 2, 3, 4] }]);
  });
});

describe('peer outliers (H0 of the fleet cloud)', () => {
  it('scores a point far from the pack by its single-linkage height, the pack near one unit', () => {
    // Six points spaced 1 apart on a line, and one 10 units beyond the last.
    const pts = Float64Array.from([0, 1, 2, 3, 4, 5, 15]);
    const h = joinHeights(pts, 7, 1);
    expect(h[6]).toBeCloseTo(10, 6);
    for (let i = 0; i < 6; i++) expect(h[i]).toBeLessThanOrEqual(1);
  });

  it('flags the host that splits off, since when it did; a fleet-wide change flags no one', () => {
    const rows = 300;
    const one = fleetFrame(8, 3, rows, (h, m, i) => (h === 5 && i >= 200 ? 40 : 0));
    const a = aligned(one);
    const times = Array.from({ length: 25 }, (_, w) => T0 + (59 + w * 10) * STEP);
    const r = peerOutliers(a, groupEntities(a, 'instance'), 'instance', times, {
      baselineRows: 60,
      threshold: 4,
      minWindows: 2,
    })!;
    const flagged = r.spans.map((s, e) => (s.length ? e : -1)).filter((e) => e >= 0);
    expect(flagged).toEqual([5]);
    expect(r.spans[5][0].start).toBeGreaterThanOrEqual(T0 + 200 * STEP);
    expect(r.spans[5][0].start).toBeLessThanOrEqual(T0 + 220 * STEP);

    const all = aligned(fleetFrame(8, 3, rows, (_h, _m, i) => (i >= 200 ? 40 : 0)));
    const r2 = peerOutliers(all, groupEntities(all, 'instance'), 'instance', times, {
      baselineRows: 60,
      threshold: 4,
      minWindows: 2,
    })!;
    expect(r2.spans.every((s) => s.length === 0)).toBe(true);
  });

  it('compares hosts across a label each carries on all its series (job): only the one that split off is flagged', () => {
    const frame = fleetFrame(9, 3, 300, (h, _m, i) => (h === 4 && i >= 200 ? 40 : 0));
    for (const s of frame.series)
      s.labels = { ...s.labels, job: Number(s.labels.instance.slice(5)) % 3 ? 'web' : 'db' };
    const a = aligned(frame);
    const times = Array.from({ length: 25 }, (_, w) => T0 + (59 + w * 10) * STEP);
    const r = peerOutliers(a, groupEntities(a, 'instance'), 'instance', times, {
      baselineRows: 60,
      threshold: 4,
      minWindows: 2,
    })!;
    // The db hosts' series count as the same features as the web hosts' (not 3 features only web hosts have).
    expect(r.features).toEqual(['metric_0', 'metric_1', 'metric_2']);
    expect(r.spans.map((s, e) => (s.length ? e : -1)).filter((e) => e >= 0)).toEqual([4]);
  });

  it('needs at least three entities', () => {
    const a = aligned(fleetFrame(2, 2, 100));
    expect(
      peerOutliers(a, groupEntities(a, 'instance'), 'instance', [T0], {
        baselineRows: 20,
        threshold: 4,
        minWindows: 2,
      }),
    ).toBeNull();
  });
});

describe('fleet report', () => {
  const out = (flags: boolean[], spans: AnomalySpan[]) =>
    timelineOutput(
      flags.map((f) => (f ? 6 : 1)),
      { flags, spans },
    );
  const span = (start: number, end: number): AnomalySpan => ({ start, detectedAt: start, end, peak: 6, series: ['x'] });

  it('many entities flagged at once make one fleet span, and their host spans are not repeated', () => {
    const wide = [false, true, true, true, false, false, false, false];
    const own = [false, false, false, false, false, true, true, false];
    const outputs = [
      { entity: 'a', out: out(wide, [span(1, 3)]) },
      { entity: 'b', out: out(wide, [span(1, 3)]) },
      { entity: 'c', out: out(wide, [span(1, 3)]) },
      { entity: 'd', out: out(own, [span(5, 6)]) },
    ];
    const c = combineEntities(outputs, {
      label: 'instance',
      threshold: 4,
      peers: null,
      peerThreshold: 4,
      entities: ['a', 'b', 'c', 'd'],
      strideMs: 1,
    });
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0]).toMatchObject({ start: 1, end: 3, entities: ['a', 'b', 'c'] });
    expect(c.timeline.anomalies.map((s) => s.entity)).toEqual(['d']);
    expect(c.timeline.points[2]).toMatchObject({ flagged: 3, anomalous: true, score: 6 });
    expect(c.entities[0]).toMatchObject({ entity: 'd', rank: 1 });
    // Own peak 6 / threshold 4 = 1.5: 1 plus a quarter of the excess (fleet.ts ownConcern).
    expect(c.entities[0].score).toBeCloseTo(1.125, 5);
  });
});

describe('analyse on a fleet', () => {
  it('ranks the host that broke first and names it on its span; a one-entity file keeps one timeline', async () => {
    const rows = 360;
    const frame = fleetFrame(6, 4, rows, (h, m, i) => (h === 2 && m < 2 && i >= 250 ? 25 * Math.sin(i / 3) : 0));
    const report = await analyse(frame, { runner: new InProcessRunner(topology), predictor: null });
    expect(report.fleet).toMatchObject({ label: 'instance', entities: 6 });
    expect(report.entities![0].entity).toBe('host-2');
    expect(report.entities!.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.anomalies.length).toBeGreaterThan(0);
    expect(report.anomalies.every((s) => s.entity === 'host-2')).toBe(true);
    for (const p of report.timeline) expect(Number.isFinite(p.score)).toBe(true);

    const solo = fleetFrame(1, 4, rows, () => 0, 'other');
    const r1 = await analyse(solo, { runner: new InProcessRunner(topology), predictor: null });
    expect(r1.fleet).toMatchObject({ label: null, entities: 1, spans: [] });
    expect(r1.entities).toHaveLength(1);
    expect(r1.anomalies.every((s) => s.entity === undefined)).toBe(true);
  });
});

describe('reference-period baseline', () => {
  it('takes the given period as normal operation and starts the analysis there', async () => {
    const frame = fleetFrame(1, 3, 400);
    const from = T0 + 100 * STEP;
    const to = T0 + 250 * STEP;
    const r = await analyse(frame, {
      runner: new InProcessRunner(topology),
      predictor: null,
      baseline: { from, to },
    });
    expect(r.input.start).toBe(from);
    expect(r.analysis!.baseline!.start).toBe(from);
    expect(r.analysis!.baseline!.end).toBe(to);
    await expect(
      analyse(frame, { runner: new InProcessRunner(topology), predictor: null, baseline: { to: T0 - 1 } }),
    ).rejects.toThrow(/baseline period .* holds 0 samples .* choose a period inside it/);
  });
});

describe('concern is about now', () => {
  it('a span that ended hours ago counts for less than one that is on now', () => {
    const H = 3_600_000;
    const base = (spans: AnomalySpan[]) => timelineOutput(new Array(9).fill(1), { step: H, spans });
    const old = { start: 0, detectedAt: H, end: 2 * H, peak: 12, series: ['x'] };
    const now = { start: 7 * H, detectedAt: 8 * H, end: 8 * H, peak: 6, series: ['y'] };
    const c = combineEntities(
      [
        { entity: 'recovered', out: base([old]) },
        { entity: 'failing', out: base([now]) },
        { entity: 'quiet', out: base([]) },
      ],
      {
        label: 'instance',
        threshold: 4,
        peers: null,
        peerThreshold: 4,
        entities: ['recovered', 'failing', 'quiet'],
        strideMs: H,
      },
    );
    expect(c.entities.map((e) => e.entity)).toEqual(['failing', 'recovered', 'quiet']);
    expect(c.entities[0].score).toBeCloseTo(1.125, 6);
    expect(c.entities[1].score).toBeCloseTo((12 / 4) * 0.5 ** 6, 6);
    expect(c.entities[1].anomalies).toHaveLength(1); // still listed
  });
});
