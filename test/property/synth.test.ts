import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { ALL_SCENARIOS, generateScenario, type ScenarioName } from '../../src/lib/synth/index.ts';

/** The first index where `bad` holds, or -1. */
function firstIndex(n: number, bad: (i: number) => boolean): number {
  for (let i = 0; i < n; i++) if (bad(i)) return i;
  return -1;
}

describe('generateScenario properties', () => {
  it('any seed, fleet and scenario mix gives sorted timestamps, finite values, monotone counters and sane labels', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.constantFrom(15, 30, 60, 300),
        fc.subarray([...ALL_SCENARIOS] as ScenarioName[], { maxLength: 4 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (seed, hosts, hours, step, scenarios, dropRate) => {
          const usable = hosts >= 2 ? scenarios : scenarios.filter((s) => s !== 'cascading_overload');
          const r = generateScenario({
            seed,
            hosts,
            hours,
            stepSeconds: step,
            scenarios: usable,
            dropRate,
            jitterSeconds: step / 3,
          });
          // Plain loops with one expect per series: an expect per sample made this test take most of a minute.
          for (const s of r.frame.series) {
            const key = seriesKey(s);
            const t = s.timestamps;
            const v = s.values;
            expect(
              firstIndex(t.length, (i) => i > 0 && !(t[i] > t[i - 1])),
              `${key}: timestamps not increasing`,
            ).toBe(-1);
            expect(
              firstIndex(v.length, (i) => !Number.isFinite(v[i]) || !(v[i] >= 0)),
              `${key}: bad value`,
            ).toBe(-1);
            if (s.kind === 'counter')
              expect(
                firstIndex(v.length, (i) => i > 0 && v[i] < v[i - 1]),
                `${key}: counter decreases`,
              ).toBe(-1);
            if (s.name === 'http_requests_error_ratio')
              expect(
                firstIndex(v.length, (i) => v[i] > 1),
                `${key}: ratio above 1`,
              ).toBe(-1);
          }
          for (const l of r.labels) {
            expect(l.instance === '*' || /^host-\d+$/.test(l.instance)).toBe(true);
            if (l.kind === 'failure') expect(l.failure!).toBeGreaterThan(l.onset);
            else expect(l.end!).toBeGreaterThan(l.onset);
          }
          expect(r.labels.filter((l) => l.kind === 'failure').length).toBeGreaterThanOrEqual(
            usable.filter((s) => !['traffic_spike', 'deploy_restart', 'cron_burst', 'cache_warmup'].includes(s)).length,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
