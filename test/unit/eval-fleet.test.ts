// The fleet evaluation's metrics and peer baselines (scripts/eval/fleet*.ts), on cases small enough to check by hand.
import { describe, expect, it } from 'vitest';
import {
  concernAt,
  detectionDelay,
  fleetPlan,
  influence,
  pessimisticRank,
  spansPerEvent,
  unexplained,
} from '../../scripts/eval/fleet.ts';
import {
  crossZScores,
  dbscanScores,
  joinHeights1d,
  madScores,
  metricGroups,
  ownZ,
} from '../../scripts/eval/fleet-baselines.ts';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';

const MIN = 60_000;

describe('ranking and spans', () => {
  it('pessimistic rank: ties count against the host; unflagged hosts rank behind every tie', () => {
    const concern = new Map([
      ['a', 3],
      ['b', 1.5],
      ['c', 1.5],
      ['d', 0],
      ['e', 0],
    ]);
    expect(pessimisticRank(concern, 'a')).toBe(1);
    expect(pessimisticRank(concern, 'b')).toBe(3);
    expect(pessimisticRank(concern, 'd')).toBe(5);
  });

  it('concern at t: only spans raised by then count', () => {
    const spans = new Map([['a', [{ detectedAt: 10 * MIN, end: 20 * MIN, concern: 2 }]]]);
    expect(concernAt(spans, ['a', 'b'], 9 * MIN).get('a')).toBe(0);
    expect(concernAt(spans, ['a', 'b'], 10 * MIN).get('a')).toBe(2);
    expect(concernAt(spans, ['a', 'b'], 10 * MIN).get('b')).toBe(0);
  });

  it('unexplained: a span raised inside an explained interval is not false, one outside is', () => {
    const spans = [
      { detectedAt: 5 * MIN, end: 8 * MIN, concern: 1 },
      { detectedAt: 30 * MIN, end: 31 * MIN, concern: 1 },
    ];
    expect(unexplained(spans, [{ start: 0, end: 6 * MIN }])).toEqual([spans[1]]);
    // Raised long before an event and still on during it: not explained by it.
    const drift = { detectedAt: 10 * MIN, end: 300 * MIN, concern: 1 };
    expect(unexplained([drift], [{ start: 100 * MIN, end: 160 * MIN }])).toEqual([drift]);
  });

  it('influence: a failure explains alarms until an hour after it plus one window; a benign event until its end plus one window', () => {
    const failure = { scenario: 'disk_fill', kind: 'failure', instance: 'h', onset: 0, failure: 100 * MIN } as const;
    expect(influence(failure, 59 * MIN)).toEqual({ start: 0, end: 219 * MIN });
    const spike = { scenario: 'traffic_spike', kind: 'benign', instance: '*', onset: 10 * MIN, end: 40 * MIN } as const;
    expect(influence(spike, 59 * MIN)).toEqual({ start: 10 * MIN, end: 99 * MIN });
  });

  it('detection delay: the first span raised between onset and failure; earlier or later ones do not count', () => {
    const spans = [
      { detectedAt: 5 * MIN, end: 9 * MIN, concern: 1 },
      { detectedAt: 40 * MIN, end: 50 * MIN, concern: 1 },
      { detectedAt: 25 * MIN, end: 30 * MIN, concern: 1 },
    ];
    expect(detectionDelay(spans, 10 * MIN, 60 * MIN)).toBe(15 * MIN);
    expect(detectionDelay(spans, 10 * MIN, 20 * MIN)).toBeNull();
  });

  it('spans per event: overlaps counted per event', () => {
    const events = [
      { start: 0, end: 10 },
      { start: 100, end: 110 },
    ];
    expect(
      spansPerEvent(events, [
        { start: 5, end: 7 },
        { start: 9, end: 20 },
        { start: 50, end: 60 },
      ]),
    ).toEqual([2, 0]);
  });

  it('fleet plan: 3–10 failures on distinct hosts after the baseline, before the end, and the fleet-wide events', () => {
    const start = Date.UTC(2026, 0, 5);
    for (const seed of [1, 2, 3, 4]) {
      const plan = fleetPlan(100, 24, seed, start, 4 * 3_600_000);
      const failures = plan.scenarios.filter((s) => s.failure !== undefined);
      expect(failures.length).toBe(plan.failing);
      expect(plan.failing).toBeGreaterThanOrEqual(3);
      expect(plan.failing).toBeLessThanOrEqual(10);
      expect(new Set(failures.map((s) => s.host)).size).toBe(failures.length);
      for (const s of failures) {
        expect(s.onset!).toBeGreaterThanOrEqual(start + 4 * 3_600_000);
        expect(s.failure!).toBeLessThanOrEqual(start + 23.5 * 3_600_000);
        expect(s.failure!).toBeGreaterThan(s.onset!);
      }
      expect(plan.scenarios.filter((s) => s.scenario === 'traffic_spike' && s.host === undefined)).toHaveLength(1);
      expect(plan.scenarios.filter((s) => s.scenario === 'cron_burst' && s.host === undefined)).toHaveLength(1);
    }
  });
});

describe('peer baselines', () => {
  it('1-D join heights: the majority joins at its own largest gap, outliers at their gap to it', () => {
    // 0, 1, 2 form the majority of 5 at gap 1; 10 joins at 8; 30 at 20.
    const h = joinHeights1d(Float64Array.from([0, 1, 2, 10, 30]));
    expect([...h]).toEqual([1, 1, 1, 8, 20]);
    // Two or fewer values: nothing to compare.
    expect([...joinHeights1d(Float64Array.from([0, 100]))]).toEqual([0, 0]);
  });

  it('1-D join heights on both sides: a low and a high outlier', () => {
    const h = joinHeights1d(Float64Array.from([-50, 0, 0.5, 1, 1.5, 40]));
    expect([...h]).toEqual([50, 0.5, 0.5, 0.5, 0.5, 38.5]);
  });

  // Five hosts, one metric, 4 rows; host-5 jumps at row 3. Baseline rows: the first 2.
  const frame: AlignedFrame = {
    timestamps: Float64Array.from([0, 1, 2, 3], (i) => i * MIN),
    stepMs: MIN,
    columns: [
      [10, 11, 10, 11],
      [11, 10, 11, 10],
      [10, 10, 11, 11],
      [11, 11, 10, 10],
      [10, 11, 10, 40],
    ].map((v) => Float64Array.from(v)),
    series: [1, 2, 3, 4, 5].map((i) => ({ name: 'm', labels: { instance: `host-${i}` } })),
  };
  const hosts = [1, 2, 3, 4, 5].map((i) => `host-${i}`);
  const groups = metricGroups(frame, 'instance', hosts, 'raw', 2);

  it('DBSCAN score: the jumping host splits off only at its jump, in units of 1.1 × the baseline span', () => {
    const s = dbscanScores(groups, 4, 5, 2);
    // Baseline span 11 − 10 = 1 → unit 1.1; at row 3 host-5 joins at gap 40 − 11 = 29.
    expect(s[4][3]).toBeCloseTo(29 / 1.1);
    expect(s[4][2]).toBeLessThan(1);
    expect(s[0][3]).toBeLessThan(1);
  });

  it('cross-host robust z: the jump is far out, the others near 0', () => {
    const s = crossZScores(groups, 4, 5);
    expect(s[4][3]).toBeGreaterThan(10);
    for (let h = 0; h < 4; h++) expect(s[h][3]).toBeLessThan(2);
  });

  it('MAD: one band from the baseline rows of all hosts', () => {
    const s = madScores(groups, 4, 5, 2);
    // Baseline values: five 10s and five 11s → median 10.5, lower and upper MAD 0.5.
    expect(s[4][3]).toBeCloseTo((40 - 10.5) / (1.4826 * 0.5));
    expect(s[0][0]).toBeCloseTo(0.5 / (1.4826 * 0.5));
  });

  it("own-baseline z: a series in units of its own baseline's robust spread", () => {
    const z = ownZ(Float64Array.from([10, 12, 11, 20]), 3);
    // median 11, MAD 1 → scale 1.4826.
    expect(z[3]).toBeCloseTo(9 / 1.4826);
  });
});
