// What broke the fleet pipeline at 1,000 hosts (scripts/eval-fleet.ts, tuning seed 13): the whole fleet's
// daily swing saturating the peer points, and fleet spans whose onset reached back hours and swallowed a
// failing host's own span.
import { describe, expect, it } from 'vitest';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';
import { groupEntities } from '../../src/lib/analysis/entities.ts';
import { peerOutliers } from '../../src/lib/analysis/peers.ts';
import { combineEntities, partOf } from '../../src/lib/analysis/fleet.ts';
import type { AnomalySpan } from '../../src/lib/report/types.ts';
import { createRng } from '../../src/lib/synth/rng.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);

/** The fleet combination as analyse.ts calls it: threshold 4, peer threshold 4, one-unit strides. */
function combine(
  outputs: Parameters<typeof combineEntities>[0],
  peers: Parameters<typeof combineEntities>[1]['peers'],
  entities = outputs.map((o) => o.entity),
) {
  return combineEntities(outputs, { label: 'instance', threshold: 4, peers, peerThreshold: 4, entities, strideMs: 1 });
}

describe('peer outliers when the whole fleet moves', () => {
  it('a host far beyond a fleet that moved by 5–30 own-baseline z (busy hours against a night baseline) stands apart', () => {
    // 300 hosts, 2 gauges of unit noise around 50. After row 120 each host's load rises by its own share of
    // the day's traffic (5 to 30 noise units), as every host does at 9 am; host 7 rises by 400.
    const hosts = 300;
    const rows = 240;
    const rng = createRng(3);
    const timestamps = Float64Array.from({ length: rows }, (_, i) => T0 + i * STEP);
    const columns: Float64Array[] = [];
    const series = [];
    for (let h = 0; h < hosts; h++) {
      const busy = h === 7 ? 400 : 5 + (25 * h) / hosts;
      for (let m = 0; m < 2; m++) {
        columns.push(Float64Array.from({ length: rows }, (_, i) => 50 + rng.normal() + (i >= 120 ? busy : 0)));
        series.push({ name: `metric_${m}`, labels: { instance: `host-${h}` } });
      }
    }
    const a: AlignedFrame = { timestamps, stepMs: STEP, columns, series };
    const times = Array.from({ length: 18 }, (_, w) => T0 + (59 + w * 10) * STEP);
    const r = peerOutliers(a, groupEntities(a, 'instance'), 'instance', times, {
      baselineRows: 60,
      threshold: 4,
      minWindows: 2,
    })!;
    const last = times.length - 1;
    expect(r.scores[7][last]).toBeGreaterThan(4);
    const others = r.scores.filter((_, e) => e !== 7).map((s) => s[last]);
    expect(Math.max(...others)).toBeLessThan(4);
    expect(r.spans.map((s, e) => (s.length ? e : -1)).filter((e) => e >= 0)).toEqual([7]);
  });
});

describe('fleet spans at scale', () => {
  // Window i ends at t = i (stride 1); a host span is raised one window's width (6) after its onset.
  const span = (detectedAt: number, end: number): AnomalySpan => ({
    start: detectedAt - 6,
    detectedAt,
    end,
    peak: 6,
    series: ['x'],
  });
  const flags = (spans: AnomalySpan[]) =>
    Array.from({ length: 70 }, (_, i) => spans.some((s) => i >= s.detectedAt! && i <= s.end));
  const output = (entity: string, spans: AnomalySpan[]) => ({
    entity,
    out: timelineOutput(
      flags(spans).map((f) => (f ? 6 : 1)),
      { flags: flags(spans), spans },
    ),
  });

  it("a failing host's span raised during a fleet-wide event is its own; the event's onset is its hosts' usual onset", () => {
    // Five hosts flagged together at windows 20–22 (the event); host x has been flagged since window 8 for
    // hours (a slow drift); host f starts failing during the event and stays flagged to window 30.
    const event = ['a', 'b', 'c', 'd', 'e'].map((e) => output(e, [span(20, 22)]));
    const outputs = [
      ...event,
      output('x', [span(8, 60)]),
      output('f', [span(20, 30)]),
      ...['g', 'h', 'i'].map((e) => output(e, [])),
    ];
    const c = combine(outputs, null);
    expect(c.fleet.spans).toHaveLength(1);
    // Not x's onset (2): x was raised long before the event.
    expect(c.fleet.spans[0]).toMatchObject({ start: 14, detectedAt: 20, end: 22 });
    expect(c.timeline.anomalies.map((s) => s.entity).sort()).toEqual(['f', 'x']);
    expect(c.entities.find((e) => e.entity === 'f')!.anomalies).toHaveLength(1);
  });

  it('a host far from its peers outranks one whose own timeline flags a slow drift at 2.5× its threshold', () => {
    const times = Array.from({ length: 70 }, (_, i) => i);
    const peers = {
      times,
      // 'apart' stands 8 peer units from the fleet (twice the peer threshold) over the last windows; 'drift'
      // stands 3 apart (enough for its own span to count, under the peer threshold).
      scores: ['drift', 'apart', 'q1', 'q2'].map((e) =>
        Float64Array.from(times, (t) => (e === 'apart' && t >= 60 ? 8 : e === 'drift' && t >= 30 ? 3 : 1)),
      ),
      spans: [[], [{ start: 61, end: 69, peak: 8 }], [], []],
      features: ['m'],
    };
    const outputs = [
      {
        entity: 'drift',
        out: timelineOutput(
          times.map((t) => (t >= 30 ? 10 : 1)),
          { flagAbove: 4, spans: [{ start: 24, detectedAt: 30, end: 69, peak: 10, series: ['fs'] }] },
        ),
      },
      {
        entity: 'apart',
        out: timelineOutput(
          times.map(() => 2),
          { flagAbove: 4 },
        ),
      },
      {
        entity: 'q1',
        out: timelineOutput(
          times.map(() => 1),
          { flagAbove: 4 },
        ),
      },
      {
        entity: 'q2',
        out: timelineOutput(
          times.map(() => 1),
          { flagAbove: 4 },
        ),
      },
    ];
    const c = combine(outputs, peers);
    expect(c.entities.map((e) => e.entity).slice(0, 2)).toEqual(['apart', 'drift']);
    // The drift still counts as flagged (above 1) and above every quiet host.
    expect(c.entities[1].score).toBeCloseTo(1 + 0.25 * 1.5, 6);
  });

  it('a burst stays one fleet span while its windows still hold it on a tenth of the fleet, not hundreds of host alarms', () => {
    // 20 hosts: all flagged at windows 1–3 (the burst), 5 of them (25 %, under the 30 % that starts a fleet
    // span) until window 7 while their 60-min windows still hold it; host q is flagged alone later.
    const burst = Array.from({ length: 20 }, (_, h) => output(`h${h}`, [span(1, h < 5 ? 7 : 3)]));
    const outputs = [...burst, output('q', [span(40, 45)])];
    const c = combine(outputs, null);
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0]).toMatchObject({ detectedAt: 1, end: 7 });
    expect(c.timeline.anomalies.map((s) => s.entity)).toEqual(['q']);
  });

  it('an own span counts once the host also stands apart from its peers, and is raised then; one shared with them is left out', () => {
    const times = Array.from({ length: 70 }, (_, i) => i);
    const entities = ['shared', 'late', 'q1', 'q2'];
    const peers = {
      times,
      // 'late' moves away from its peers 10 windows after its own span was raised; 'shared' never does.
      scores: entities.map((e) => Float64Array.from(times, (t) => (e === 'late' && t >= 40 ? 5 : 1.5))),
      spans: entities.map(() => []),
      features: ['m'],
    };
    const own = (spans: AnomalySpan[]) =>
      timelineOutput(
        times.map(() => 1),
        { flagAbove: 4, spans },
      );
    const outputs = [
      { entity: 'shared', out: own([span(30, 50)]) },
      { entity: 'late', out: own([span(30, 50)]) },
      { entity: 'q1', out: own([]) },
      { entity: 'q2', out: own([]) },
    ];
    const c = combine(outputs, peers, entities);
    expect(c.timeline.anomalies.map((s) => [s.entity, s.detectedAt])).toEqual([['late', 40]]);
    expect(c.timeline.notes[0]).toMatch(/^1 entity spans left out: the entity changed with its peers/);
  });

  it('partOf compares the times spans were raised, each window counting one stride', () => {
    const fleet = { start: 0, detectedAt: 20, end: 22, peak: 6, entities: [], series: [] };
    expect(partOf(span(20, 22), fleet, 1)).toBe(true);
    expect(partOf(span(19, 22), fleet, 1)).toBe(true);
    expect(partOf(span(22, 22), fleet, 1)).toBe(true);
    expect(partOf(span(20, 30), fleet, 1)).toBe(false);
    expect(partOf(span(23, 24), fleet, 1)).toBe(false);
  });
});
