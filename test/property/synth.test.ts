import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALL_SCENARIOS, generateScenario, type ScenarioName } from '../../src/lib/synth/index.ts';

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
          for (const s of r.frame.series) {
            for (let i = 1; i < s.timestamps.length; i++) expect(s.timestamps[i]).toBeGreaterThan(s.timestamps[i - 1]);
            for (const v of s.values) {
              expect(Number.isFinite(v)).toBe(true);
              expect(v).toBeGreaterThanOrEqual(0);
            }
            if (s.kind === 'counter')
              for (let i = 1; i < s.values.length; i++) expect(s.values[i]).toBeGreaterThanOrEqual(s.values[i - 1]);
            if (s.name === 'http_requests_error_ratio') for (const v of s.values) expect(v).toBeLessThanOrEqual(1);
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
