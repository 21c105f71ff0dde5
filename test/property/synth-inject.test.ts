import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ALL_SCENARIOS, generateScenario, injectScenario, isFailureScenario } from '../../src/lib/synth/index.ts';

const base = generateScenario({ hosts: 3, hours: 6, stepSeconds: 120, seed: 5, scenarios: [] });
const t0 = base.frame.series[0].timestamps[0];
const t1 = base.frame.series[0].timestamps.at(-1)!;

describe('injectScenario properties', () => {
  it('keeps every series finite, non-negative, time-sorted and counters monotone; touches only the chosen host', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_SCENARIOS),
        fc.constantFrom('host-1', 'host-2', 'host-3'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        (scenario, instance, a, b, strength) => {
          const onset = t0 + a * (t1 - t0);
          const failure = onset + b * (t1 - t0);
          const { frame, label } = injectScenario(base.frame, { scenario, instance, onset, failure, strength });
          expect(frame.series.length).toBe(base.frame.series.length);
          expect(label.kind).toBe(isFailureScenario(scenario) ? 'failure' : 'benign');
          frame.series.forEach((s, i) => {
            const before = base.frame.series[i];
            if (scenario !== 'cascading_overload' && before.labels.instance !== instance) expect(s).toBe(before);
            expect(s.values.length).toBe(s.timestamps.length);
            // Counted in plain loops, one expect per series: an expect per sample made this take seconds.
            let bad = 0;
            for (let k = 1; k < s.timestamps.length; k++) if (!(s.timestamps[k] > s.timestamps[k - 1])) bad++;
            for (let k = 0; k < s.values.length; k++) {
              if (!Number.isFinite(s.values[k]) || s.values[k] < 0) bad++;
              if (s.kind === 'counter' && k > 0 && s.values[k] < s.values[k - 1]) bad++;
            }
            expect(bad, s.name).toBe(0);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
