// The what-if injector reads columns as the user's mapping says (`aura whatif --map`, the app's column step):
// a column named m5 is nothing to it until mapped, and `:used` / `:free` decide which way a leak drives it.
import { describe, expect, it } from 'vitest';
import { injectScenario, NothingToInjectError } from '../../src/lib/synth/inject.ts';
import type { MetricFrame } from '../../src/lib/frame/types.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const N = 480;

/** 8 h a minute apart: m0 a flat CPU share, m5 a flat memory reading at 40 % of its scale. */
function frame(): MetricFrame {
  const timestamps = Float64Array.from({ length: N }, (_, i) => T0 + i * 60e3);
  const series = (name: string, v: number) => ({
    name,
    labels: {},
    kind: 'gauge' as const,
    timestamps,
    values: new Float64Array(N).fill(v),
  });
  return {
    series: [series('m0', 0.3), series('m5', 0.4)],
    meta: { origin: 'machine.csv', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
  };
}

const leak = { scenario: 'memory_leak' as const, instance: 'all', onset: T0 + 60 * 60e3, failure: T0 + 6 * 3600e3 };
const m5 = (f: MetricFrame) => f.series.find((s) => s.name === 'm5')!.values;

describe('injectScenario with column roles', () => {
  it('acts on nothing without a mapping: the names say nothing', () => {
    expect(() => injectScenario(frame(), leak)).toThrow(NothingToInjectError);
  });

  it('fills a column mapped as memory:used towards 100 % of its scale at the failure', () => {
    const f = frame();
    const out = injectScenario(f, { ...leak, roles: { m5: { channel: 'memory', sense: 'used' } } });
    const v = m5(out.frame);
    expect(v[0]).toBe(0.4);
    expect(v[6 * 60 - 1]).toBeGreaterThan(0.95);
    expect(v[6 * 60 - 1]).toBeLessThanOrEqual(1);
    // m0 is not mapped, so untouched.
    expect(out.frame.series[0]).toBe(f.series[0]);
  });

  it('drains a column mapped as memory (what is left, the default) towards 1 % of its peak', () => {
    const out = injectScenario(frame(), { ...leak, roles: { m5: { channel: 'memory' } } });
    const v = m5(out.frame);
    expect(v[0]).toBe(0.4);
    expect(v[6 * 60 - 1]).toBeLessThan(0.02);
  });

  it('leaves out a column mapped as ignore even when its name says what it is', () => {
    const f = frame();
    f.series[1] = { ...f.series[1], name: 'node_memory_MemAvailable_bytes' };
    expect(() => injectScenario(f, { ...leak, roles: { node_memory_MemAvailable_bytes: 'ignore' } })).toThrow(
      NothingToInjectError,
    );
    expect(() => injectScenario(f, leak)).not.toThrow();
  });
});
