// Milder fleet-wide events than test/unit/fleet-coincidence.test.ts covers (scripts/eval/fleet-mild.ts, tuning
// fleets 51–58 with the traffic spike at half strength): hosts that raise spans over four windows rather than
// three, and a lift of every host's score that is smaller than the jump rule's 6 usual changes but comes
// after a calm stride. A ramp of the same size, and a jump inside the baseline, stay no event.
import { describe, expect, it } from 'vitest';
import { combineEntities, FLEET_CALM_JUMP, FLEET_JUMP } from '../../src/lib/analysis/fleet.ts';
import { MAD_TO_SD, mad, median } from '../../src/lib/cloud/stats.ts';
import type { AnomalySpan } from '../../src/lib/report/types.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';

const WINDOWS = 144;
const HOSTS = 100;
const entities = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
const combine = (outputs: { entity: string; out: ReturnType<typeof timelineOutput> }[]) =>
  combineEntities(outputs, { label: 'instance', threshold: 4, peers: null, peerThreshold: 4, entities, strideMs: 1 });

describe('coincidence over four windows', () => {
  const span = (detectedAt: number): AnomalySpan => ({
    start: detectedAt - 6,
    detectedAt,
    end: detectedAt + 4,
    peak: 6,
    series: ['node_load1{instance="x"}'],
  });
  /** Hosts 50–61 raise one span each, 10 windows apart away from 70–99; hosts 0… raise at `at`. */
  function fleet(at: number[]) {
    const spans: Record<string, AnomalySpan[]> = {};
    [5, 15, 25, 35, 45, 55, 65, 105, 115, 125, 135, 140].forEach((t, k) => (spans[`host-${50 + k}`] = [span(t)]));
    at.forEach((t, k) => (spans[`host-${k}`] = [span(t)]));
    return combine(
      entities.map((entity) => {
        const own = spans[entity] ?? [];
        const flags = Array.from({ length: WINDOWS }, (_, i) => own.some((s) => i >= s.detectedAt! && i <= s.end));
        return {
          entity,
          out: timelineOutput(
            flags.map((f) => (f ? 6 : 1)),
            { flags, spans: own },
          ),
        };
      }),
    );
  }

  it('7 hosts raised over 4 windows (at most 5 in any 3) are one fleet span; over 6 windows they are not', () => {
    const c = fleet([80, 80, 81, 82, 82, 83, 83]);
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0].detectedAt).toBe(83);
    expect(c.timeline.notes[0]).toMatch(/7 entities raised spans within 4 windows/);
    // The same hosts spread over 6 windows: at most 5 in any 4, which chance explains.
    expect(fleet([80, 81, 82, 83, 84, 85, 85]).fleet.spans).toEqual([]);
  });
});

describe('a jump of the median score after a calm stride', () => {
  // A common wobble on every host (the fleet's shared traffic noise), and a little of each host's own.
  const frac = (x: number) => x - Math.floor(x);
  const wobble = Array.from({ length: WINDOWS }, (_, i) => 0.3 * (frac(Math.sin(i * 12.9898) * 43758.5453) - 0.5));
  const steps = wobble.slice(1).map((w, i) => w - wobble[i]);
  const usual = MAD_TO_SD * mad(steps);

  function lifted(lift: (i: number) => number, baselineEnd?: number) {
    return combine(
      entities.map((entity, h) => {
        const scores = wobble.map((w, i) => 1 + w + 0.02 * Math.sin(1.7 * i + h) + lift(i));
        const out = timelineOutput(scores, { flagAbove: 4 });
        if (baselineEnd !== undefined)
          out.baseline = { start: 0, end: baselineEnd, windows: baselineEnd, reference: 0 };
        return { entity, out };
      }),
    );
  }
  // A window whose own wobble is calm before it and after: the lift is the only change there.
  const at = Array.from({ length: 100 }, (_, k) => 40 + k).find(
    (i) => Math.abs(steps[i - 2]) < usual && Math.abs(steps[i - 1]) < usual && Math.abs(steps[i]) < usual,
  )!;
  const size = 5.2 * usual;

  it('the setting is what it claims: a lift between the calm rule and the plain one, of an eighth of the threshold', () => {
    expect(median(steps.map(Math.abs))).toBeGreaterThan(0);
    expect(size / usual).toBeGreaterThan(FLEET_CALM_JUMP);
    expect(size / usual).toBeLessThan(FLEET_JUMP - 0.5);
    expect(size).toBeGreaterThanOrEqual(0.5);
  });

  it('every host lifted under its threshold by 5 usual changes from a calm level is one fleet span', () => {
    const c = lifted((i) => (i >= at && i < at + 3 ? size : 0));
    expect(c.fleet.spans).toHaveLength(1);
    expect(c.fleet.spans[0]).toMatchObject({ detectedAt: at, entities: [] });
    expect(c.timeline.notes[0]).toMatch(/times the fleet's usual change \(at least 4\.5 after a calm stride\)$/);
  });

  it('the same lift at the end of a ramp, or inside the baseline, is not an event', () => {
    // A ramp: the stride before rose 3 usual changes too.
    const ramp = (i: number) => (i >= at && i < at + 3 ? size + 3 * usual : i === at - 1 ? 3 * usual : 0);
    expect(lifted(ramp).fleet.spans).toEqual([]);
    expect(lifted((i) => (i >= at && i < at + 3 ? size : 0), at + 10).fleet.spans).toEqual([]);
    // Past the baseline's end it counts.
    expect(lifted((i) => (i >= at && i < at + 3 ? size : 0), at - 1).fleet.spans).toHaveLength(1);
  });
});
