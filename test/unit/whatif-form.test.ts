// The app's "What if" form arithmetic: UTC times in datetime-local inputs, the default spec, the checks
// that say what to fix, and the longest horizon of a trace.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkTimes,
  defaultTimes,
  entitiesOf,
  fromInputValue,
  horizonMinutes,
  intervalEndWords,
  leadWords,
  longestHorizon,
  toInputValue,
} from '../../src/ui/views/whatif.ts';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import type { RiskPoint } from '../../src/lib/lnn/trace.ts';

const MIN = 60e3;
const START = Date.UTC(2026, 0, 5);
const END = START + 24 * 3600e3;
/** Minute-aligned times between 1990 and 2100. */
const minute = fc.integer({ min: 10_519_200, max: 68_374_080 }).map((m) => m * MIN);

describe('datetime-local values are UTC', () => {
  it('round-trips every minute', () => {
    fc.assert(fc.property(minute, (t) => fromInputValue(toInputValue(t)) === t));
  });
  it('reads seconds, and refuses what is not a time', () => {
    expect(fromInputValue('2026-01-05T14:24:30')).toBe(START + 14 * 3600e3 + 24 * MIN + 30e3);
    // Typed into a text field: a space for the T is read too.
    expect(fromInputValue('2026-01-05 14:24')).toBe(START + 14 * 3600e3 + 24 * MIN);
    for (const bad of ['', '2026-01-05', '14:24', '2026-01-05 14', 'yesterday', '2026-01-05T14:24Z']) {
      expect(fromInputValue(bad)).toBeNaN();
    }
  });
});

describe('defaults', () => {
  it('put the onset at 60 % of the data, to the minute, and the failure 3 h later', () => {
    expect(defaultTimes(START, END)).toEqual({ onset: START + 14 * 3600e3 + 24 * MIN, failure: START + 17.4 * 3600e3 });
    fc.assert(
      fc.property(minute, fc.integer({ min: 1, max: 60 * 24 * 30 }), (start, minutes) => {
        const end = start + minutes * MIN;
        const { onset, failure } = defaultTimes(start, end);
        return onset >= start && onset < end && onset % MIN === 0 && failure - onset === 3 * 3600e3;
      }),
    );
  });
  it('are always accepted by the checks', () => {
    fc.assert(
      fc.property(minute, fc.integer({ min: 1, max: 60 * 24 * 30 }), (start, minutes) => {
        const end = start + minutes * MIN;
        const { onset, failure } = defaultTimes(start, end);
        const c = checkTimes('memory_leak', toInputValue(onset), toInputValue(failure), start, end);
        return c.error === null && c.onset === onset && c.failure === failure;
      }),
    );
  });
});

describe('checks', () => {
  const check = (onset: string, failure: string, scenario: 'memory_leak' | 'traffic_spike' = 'memory_leak') =>
    checkTimes(scenario, onset, failure, START, END);

  it('refuse a failure at or before the onset, naming the failure field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 0, max: 600 }), (m, back) => {
        const onset = START + m * MIN;
        const c = check(toInputValue(onset), toInputValue(onset - back * MIN));
        return c.field === 'failure' && /after the onset/.test(c.error ?? '');
      }),
    );
  });
  it('refuse an onset outside the data, saying where the data is', () => {
    const c = check('2026-01-07T10:00', '2026-01-07T13:00');
    expect(c.field).toBe('onset');
    expect(c.error).toBe(
      'The onset must fall inside your data: between 2026-01-05 00:00 UTC and 2026-01-06 00:00 UTC.',
    );
    expect(check('2026-01-04T23:59', '2026-01-05T03:00').field).toBe('onset');
    expect(check('2026-01-06T00:00', '2026-01-06T03:00').field).toBe('onset');
  });
  it('refuse empty times and a failure less than 5 minutes after the onset', () => {
    expect(check('', '2026-01-05T03:00').error).toMatch(/Enter the onset/);
    expect(check('2026-01-05T03:00', '').error).toMatch(/Enter the failure/);
    expect(check('2026-01-05T03:00', '2026-01-05T03:04').error).toMatch(/at least 5 minutes/);
    expect(check('2026-01-05T03:00', '2026-01-05T03:05').error).toBeNull();
  });
  it('allow a failure after the end of the data, with a note', () => {
    const c = check('2026-01-05T22:00', '2026-01-06T01:00');
    expect(c.error).toBeNull();
    expect(c.note).toMatch(/after the end of your data \(2026-01-06 00:00 UTC\)/);
  });
  it('ignore the failure of a benign event', () => {
    const c = check('2026-01-05T10:00', 'nonsense', 'traffic_spike');
    expect(c.error).toBeNull();
    expect(c.failure).toBeUndefined();
  });
});

describe('horizons and words', () => {
  const point = (risk: Record<string, number>): RiskPoint => ({
    t: 0,
    risk,
    alarm: false,
    scenario: 'none',
    ttfMinutes: 0,
  });
  it('pick the longest horizon by its length, not its place', () => {
    expect(horizonMinutes('15m')).toBe(15);
    expect(horizonMinutes('6h')).toBe(360);
    expect(horizonMinutes('2d')).toBe(2880);
    expect(horizonMinutes('soon')).toBeNaN();
    expect(longestHorizon([point({ '15m': 0, '1h': 0, '6h': 0 })])).toBe('6h');
    expect(longestHorizon([point({ '1d': 0, '15m': 0, '1h': 0 })])).toBe('1d');
    expect(longestHorizon([], [point({ a: 0, b: 0 })])).toBe('b');
    expect(longestHorizon([], [])).toBeNull();
  });
  it('say where the compared interval ends', () => {
    const onset = START + 10 * 3600e3;
    const failing = {
      scenario: 'memory_leak',
      kind: 'failure',
      instance: 'h',
      onset,
      failure: onset + 3 * 3600e3,
    } as const;
    const benign = { scenario: 'traffic_spike', kind: 'benign', instance: 'h', onset, end: onset + 30 * MIN } as const;
    expect(intervalEndWords(failing, onset + 3.5 * 3600e3, END)).toBe('30 m after the failure');
    expect(intervalEndWords(failing, END, END)).toBe('the end of the data');
    expect(intervalEndWords(benign, onset + 3 * 3600e3, END)).toBe('3 h after the onset');
  });
  it('say the lead before (or the delay after) the failure', () => {
    const failure = START + 10 * 3600e3;
    expect(leadWords(failure - 124 * MIN, failure)).toBe('2 h 4 m before the failure');
    expect(leadWords(failure + 10 * MIN, failure)).toBe('10 m after the failure');
  });
  it('list the hosts of a frame once each, in natural order', () => {
    const series = (instance: string): Series => ({
      name: 'node_load1',
      labels: { instance },
      timestamps: new Float64Array(0),
      values: new Float64Array(0),
    });
    const frame = { series: ['host-10', 'host-2', 'host-1', 'host-2'].map(series) } as unknown as MetricFrame;
    expect(entitiesOf(frame)).toEqual(['host-1', 'host-2', 'host-10']);
  });
});
