// Fleet-wide events too mild to flag a fixed share of the fleet: a traffic spike that lifts every host but
// raises spans on 8 of 100 (scripts/eval-fleet.ts tuning seed 12) is one fleet span, found by how many hosts
// raised spans together against the fleet's background rate; failing hosts hours apart are not.
import { describe, expect, it } from 'vitest';
import { combineEntities, FLEET_MIN_RAISED, poissonTail } from '../../src/lib/analysis/fleet.ts';
import type { AnomalySpan } from '../../src/lib/report/types.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';

const WINDOWS = 144; // a day of 10-min windows; window i ends at t = i (stride 1)
const HOSTS = 100;

/** A host span raised at `detectedAt`, flagged through `end`, with its onset a window's width (6) before. */
const span = (detectedAt: number, end: number): AnomalySpan => ({
  start: detectedAt - 6,
  detectedAt,
  end,
  peak: 6,
  series: ['node_load1{instance="x"}'],
});

function output(entity: string, spans: AnomalySpan[]) {
  const flags = Array.from({ length: WINDOWS }, (_, i) => spans.some((s) => i >= s.detectedAt! && i <= s.end));
  return {
    entity,
    out: timelineOutput(
      flags.map((f) => (f ? 6 : 1)),
      { flags, spans },
    ),
  };
}

/** 100 hosts: `spans` for those named, none for the rest. */
function fleet(spans: Record<string, AnomalySpan[]>, peers: Parameters<typeof combineEntities>[1]['peers'] = null) {
  const entities = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
  const outputs = entities.map((e) => output(e, spans[e] ?? []));
  return combineEntities(outputs, { label: 'instance', threshold: 4, peers, peerThreshold: 4, entities, strideMs: 1 });
}

/** Background: single-host spans on 12 hosts, one every 10 windows away from windows 75–94, each flagged for 4. */
const background = Object.fromEntries(
  [5, 15, 25, 35, 45, 55, 65, 95, 105, 115, 125, 135].map((at, k) => [`host-${50 + k}`, [span(at, at + 3)]]),
);

describe('poissonTail', () => {
  it('is the chance of k or more events, exact in the far tail', () => {
    expect(poissonTail(2, 0)).toBe(1);
    expect(poissonTail(0, 3)).toBe(0);
    expect(poissonTail(0.5, 1)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    expect(poissonTail(2, 3)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12);
    // Far tail: the leading term e^-λ λ^k / k! times 1 / (1 − λ / (k + 1)) bounds the sum within 1e-3.
    let lead = Math.exp(-2);
    for (let j = 1; j <= 200; j++) lead *= 2 / j;
    const tail = poissonTail(2, 200);
    expect(tail).toBeGreaterThan(0);
    expect(tail / lead).toBeGreaterThan(1);
    expect(tail / lead).toBeLessThan(1 / (1 - 2 / 201));
  });
});

describe('fleet-wide events by coincidence', () => {
  it('8 of 100 hosts raising spans within 30 min make one fleet span that says how many and why', () => {
    // A mild spike: 8 hosts raise spans at windows 80–83 (hosts cross their thresholds as their averages
    // ramp), each flagged to window 86 or 87; 92 hosts stay under their thresholds. 8 % is under the 30 %
    // that flags a fleet at once, and under the 10 % that holds one.
    const event = Object.fromEntries(
      [80, 80, 81, 81, 82, 82, 82, 83].map((at, k) => [`host-${k}`, [span(at, 86 + (k % 2))]]),
    );
    const c = fleet({ ...background, ...event });
    expect(c.fleet.spans).toHaveLength(1);
    const f = c.fleet.spans[0];
    // Raised by window 81 (4 hosts) it could still be chance; by 82, 7 hosts within 3 windows are not.
    expect(f.detectedAt).toBe(82);
    // It lasts while half the hosts raised with it (4 of 8) are still flagged: the last 4 are to window 87.
    expect(f.end).toBe(87);
    expect([...f.entities].sort()).toEqual(Object.keys(event).sort());
    // Its onset is the median onset of the spans raised with it.
    expect(f.start).toBe(75.5);
    // The hosts' spans are the event's, not 8 host alarms; the background's single-host spans stay.
    expect(c.timeline.anomalies.map((s) => s.entity).sort()).toEqual(Object.keys(background).sort());
    expect(c.timeline.notes[0]).toMatch(
      /^fleet-wide event .*, 8 entities flagged in it: 7 entities raised spans within 3 windows .*background rate of 0\.\d+ spans per window predicts 0\.\d+: a chance of \de-\d+, under 0\.000001$/,
    );
  });

  it('failing hosts hours apart, some overlapping, make no fleet span', () => {
    // 10 failing hosts, one raised every 2 h (12 windows), each flagged for 4 h: up to 3 are flagged at once.
    const failing = Object.fromEntries(
      Array.from({ length: 10 }, (_, k) => [`host-${k}`, [span(20 + 12 * k, 44 + 12 * k)]]),
    );
    const c = fleet({ ...background, ...failing });
    expect(c.fleet.spans).toEqual([]);
    expect(c.timeline.anomalies).toHaveLength(10 + 12);
  });

  it(`fewer than ${FLEET_MIN_RAISED} hosts raised together are not a fleet event, however quiet the fleet`, () => {
    const four = Object.fromEntries([0, 1, 2, 3].map((k) => [`host-${k}`, [span(60, 66)]]));
    expect(fleet(four).fleet.spans).toEqual([]);
    const five = Object.fromEntries([0, 1, 2, 3, 4].map((k) => [`host-${k}`, [span(60, 66)]]));
    expect(fleet(five).fleet.spans).toHaveLength(1);
  });

  it("a busy fleet's background raises the bar: 6 hosts raised together among 3 spans per window are chance", () => {
    // 3 spans raised every window all day (a fleet of drifting hosts), each on its own host for 2 windows.
    const busy: Record<string, AnomalySpan[]> = {};
    for (let i = 6; i < WINDOWS; i++)
      for (let k = 0; k < 3; k++) (busy[`host-${20 + ((3 * i + k) % 80)}`] ??= []).push(span(i, i + 1));
    const six = Object.fromEntries([0, 1, 2, 3, 4, 5].map((k) => [`host-${k}`, [span(100, 106)]]));
    expect(fleet({ ...busy, ...six }).fleet.spans).toEqual([]);
    // 20 at once among them are not.
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`host-${k}`, [span(100, 106)]]));
    expect(fleet({ ...busy, ...twenty }).fleet.spans).toHaveLength(1);
  });

  it("an event ends with its own hosts, not while the day's slow drift keeps a tenth of the fleet flagged", () => {
    // 15 hosts drift over their thresholds one window apart from window 30 and stay flagged all afternoon;
    // a spike raises 40 hosts at window 50, flagged to 53.
    const drift = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`host-${60 + k}`, [span(30 + k, 130)]]));
    const spike = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`host-${k}`, [span(50, 53)]]));
    const c = fleet({ ...drift, ...spike });
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0]).toMatchObject({ detectedAt: 50, end: 53 });
    expect([...c.fleet.spans[0].entities].sort()).toEqual(Object.keys(spike).sort());
    expect(c.timeline.notes[0]).toMatch(
      /, 40 entities flagged in it: 55 of 100 entities flagged at once .*, at least 30 %$/,
    );
    // The drifting hosts' spans were raised before the event and are their own.
    expect(c.timeline.anomalies.map((s) => s.entity).sort()).toEqual(Object.keys(drift).sort());
  });

  it("a failing host's own span through the event is still its own, and reported once it stands apart from its peers", () => {
    const event = Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].map((k) => [`host-${k}`, [span(80, 86)]]));
    // Raised with the event and flagged for hours after it: host-90 drifts away from its peers from window
    // 95 (peer score 5), host-91 stays with them (peer score 1.5).
    const own = { 'host-90': [span(81, 130)], 'host-91': [span(81, 130)] };
    const times = Array.from({ length: WINDOWS }, (_, i) => i);
    const entities = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
    const peers = {
      times,
      scores: entities.map((e) => Float64Array.from(times, (t) => (e === 'host-90' && t >= 95 ? 5 : 1.5))),
      spans: entities.map(() => []),
      features: ['m'],
    };
    const c = fleet({ ...event, ...own }, peers);
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.timeline.anomalies.map((s) => [s.entity, s.detectedAt])).toEqual([['host-90', 95]]);
    expect(c.timeline.notes[1]).toMatch(/^1 entity spans left out: the entity changed with its peers/);
  });
});

describe('fleet-wide events by a jump of the median score', () => {
  /** 100 hosts whose scores wander by ±0.1 around 1 (under the threshold 4), plus `lift(window)` on every host. */
  function lifted(lift: (i: number) => number, hosts = HOSTS) {
    const entities = Array.from({ length: hosts }, (_, h) => `host-${h}`);
    const outputs = entities.map((entity, h) => ({
      entity,
      out: timelineOutput(
        Array.from({ length: WINDOWS }, (_, i) => 1 + 0.1 * Math.sin(1.7 * i + h) + lift(i)),
        { flagAbove: 4 },
      ),
    }));
    return combineEntities(outputs, {
      label: 'instance',
      threshold: 4,
      peers: null,
      peerThreshold: 4,
      entities,
      strideMs: 1,
    });
  }

  it('a spike that lifts every host but flags none is one fleet span, and says so', () => {
    const c = lifted((i) => (i >= 60 && i < 63 ? 1.2 : 0));
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0]).toMatchObject({ detectedAt: 60, end: 62, entities: [] });
    expect(c.timeline.notes[0]).toMatch(
      /, 0 entities flagged in it: the median entity score rose from 1\.\d\d to 2\.\d\d within one stride at .*, \d+\.\d times the fleet's usual change \(at least 6\)$/,
    );
  });

  it('the same rise as a slow ramp (the day starting), or in a fleet of 9, is not an event', () => {
    expect(lifted((i) => (i >= 60 ? Math.min(1.2, (i - 60) * 0.04) : 0)).fleet.spans).toEqual([]);
    expect(lifted((i) => (i >= 60 && i < 63 ? 1.2 : 0), 9).fleet.spans).toEqual([]);
  });
});
