// What-if: the times an operator types, and the before/after comparison of detector and model.
// `aura whatif` itself (a child process) is tested in test/integration/cli-whatif.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseWhen } from '../../src/lib/whatif/when.ts';
import { compareWhatIf, effectInterval, keyOfEntity, traceRange } from '../../src/lib/whatif/compare.ts';
import type { AnomalySpan, Report, TimelinePoint } from '../../src/lib/report/types.ts';
import type { RiskPoint } from '../../src/lib/lnn/trace.ts';
import type { ScenarioLabel } from '../../src/lib/synth/scenarios.ts';

const H = 3600e3;
const M = 60e3;
const start = Date.UTC(2026, 0, 5);
const end = start + 24 * H;

describe('parseWhen', () => {
  const ctx = { start, end };
  it('reads ISO times (UTC without a zone), epoch seconds and ms, shares of the span and times before the end', () => {
    expect(parseWhen('2026-01-05T06:00Z', ctx)).toBe(start + 6 * H);
    expect(parseWhen('2026-01-05T06:00', ctx)).toBe(start + 6 * H);
    expect(parseWhen('2026-01-05T08:00+02:00', ctx)).toBe(start + 6 * H);
    expect(parseWhen('2026-01-05', ctx)).toBe(start);
    expect(parseWhen(String((start + H) / 1000), ctx)).toBe(start + H);
    expect(parseWhen(String(start + H), ctx)).toBe(start + H);
    expect(parseWhen('50%', ctx)).toBe(start + 12 * H);
    expect(parseWhen('-6h', ctx)).toBe(end - 6 * H);
    expect(parseWhen('-90m', ctx)).toBe(end - 90 * M);
    expect(parseWhen('+3h', { ...ctx, onset: start + H })).toBe(start + 4 * H);
  });

  it('refuses what is not a time, with what to type instead', () => {
    expect(() => parseWhen('tomorrow', ctx)).toThrow(/not a time: use an ISO 8601 time/);
    expect(() => parseWhen('+3h', ctx)).toThrow(/counts from the onset/);
    expect(() => parseWhen('150%', ctx)).toThrow(/more than 100 %/);
    expect(() => parseWhen('2026-13-45T99:00', ctx)).toThrow(/not a time/);
  });

  it('never throws anything but an Error with a message, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          const t = parseWhen(s, ctx);
          expect(Number.isFinite(t)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('keyOfEntity', () => {
  it('matches the entity label exactly (host-1 is not host-10)', () => {
    expect(keyOfEntity('node_load1{instance="host-1"}', 'host-1')).toBe(true);
    expect(keyOfEntity('node_load1{instance="host-10"}', 'host-1')).toBe(false);
    expect(keyOfEntity('cpu{host="db-1",region="eu"}', 'db-1')).toBe(true);
    expect(keyOfEntity('node_load1{instance="host-1"}', 'host-2')).toBe(false);
  });
});

/** A report with a timeline every 5 min, anomalous inside `spans`. */
function report(spans: AnomalySpan[], score: (t: number) => number): Report {
  const timeline: TimelinePoint[] = [];
  for (let t = start + 5 * M; t <= end; t += 5 * M) {
    const anomalous = spans.some((s) => t >= s.start && t <= s.end);
    timeline.push({ t, score: score(t), anomalous, betti: {}, distance: {} });
  }
  return {
    input: { origin: 'test', format: 'wide-csv', series: 2, samples: 0, start, end, stepMs: 15e3 },
    settings: { window: 60, stride: 10, cloud: 'state', maxDim: 1, normalise: 'noise' },
    timeline,
    anomalies: spans,
    predictions: [],
  };
}

function trace(from: number, to: number, risk: (t: number) => number, scenario = 'memory_leak'): RiskPoint[] {
  const out: RiskPoint[] = [];
  for (let t = from; t <= to; t += 5 * M) {
    const r = risk(t);
    out.push({
      t,
      risk: { '15m': r / 4, '1h': r / 2, '6h': r },
      alarm: r >= 0.5 && scenario !== 'none',
      scenario: (r >= 0.5 ? scenario : 'none') as RiskPoint['scenario'],
      ttfMinutes: 100,
    });
  }
  return out;
}

describe('compareWhatIf', () => {
  const label: ScenarioLabel = {
    scenario: 'memory_leak',
    kind: 'failure',
    instance: 'host-2',
    onset: start + 10 * H,
    failure: start + 14 * H,
  };
  const [from, to] = traceRange(label, start, end);

  it('covers the onset to half an hour after the failure, and the model from an hour before', () => {
    expect(effectInterval(label, start, end)).toEqual([start + 10 * H, start + 14 * H + 30 * M]);
    expect([from, to]).toEqual([start + 9 * H, start + 14 * H + 30 * M]);
    const late = { ...label, failure: end + 5 * H };
    expect(effectInterval(late, start, end)).toEqual([start + 10 * H, end]);
  });

  it('credits the detector only with spans driven by the injected host, and measures the model lead', () => {
    const other: AnomalySpan = {
      start: start + 11 * H,
      end: start + 11.5 * H,
      peak: 6,
      series: ['x{instance="host-1"}'],
    };
    const own: AnomalySpan = {
      start: start + 12 * H,
      end: start + 12.5 * H,
      peak: 9,
      series: ['node_memory_MemAvailable_bytes{instance="host-2"}', 'x{instance="host-1"}'],
    };
    const before = report([other], () => 1);
    const after = report([other, own], (t) => (t >= own.start && t <= own.end ? 9 : 1));
    const quiet = trace(from, to, () => 0.1);
    const rising = trace(from, to, (t) => (t >= start + 12 * H ? 0.8 : 0.1));
    const r = compareWhatIf(label, before, after, quiet, rising);

    expect(r.before.spans).toHaveLength(1);
    expect(r.before.entitySpans).toHaveLength(0);
    expect(r.before.firstFlag).toBeNull();
    expect(r.after.entitySpans).toEqual([own]);
    expect(r.after.firstFlag).toBe(start + 12 * H);
    expect(r.after.peakScore).toBe(9);
    expect(r.before.firstAlarm).toBeNull();
    expect(r.after.firstAlarm).toBe(start + 12 * H);
    expect(r.after.peakRisk['6h']).toBeCloseTo(0.8);
    // After the failure the host restarts: what the model says then is not counted.
    const restart = trace(from, to, (t) => (t > label.failure! ? 0.99 : t >= start + 12 * H ? 0.8 : 0.1));
    expect(compareWhatIf(label, before, after, quiet, restart).after.peakRisk['6h']).toBeCloseTo(0.8);
    expect(r.failureInData).toBe(true);
    expect(r.summary[0]).toMatch(
      /flagged host-2 2 h after the onset \(peak score 9\.0\), driven by node_memory_MemAvailable/,
    );
    expect(r.summary[0]).not.toContain('host-1');
    expect(r.summary[1]).toMatch(/alarmed at 2026-01-05 12:00 UTC, 2 h before the failure: it read memory_leak/);
  });

  it('says so when neither responds, and calls an alarm on a look-alike a false alarm', () => {
    const r = compareWhatIf(
      label,
      report([], () => 1),
      report([], () => 1.5),
      [],
      trace(from, to, () => 0.2),
    );
    expect(r.summary[0]).toMatch(
      /did not flag the injected memory_leak on host-2\. The score peaked at 1\.5, below the threshold\./,
    );
    expect(r.summary[1]).toMatch(/did not alarm before the failure/);

    const spike: ScenarioLabel = {
      scenario: 'traffic_spike',
      kind: 'benign',
      instance: 'host-2',
      onset: start + 10 * H,
      end: start + 10.5 * H,
    };
    const [f, t] = traceRange(spike, start, end);
    expect(t).toBe(start + 13 * H); // look-alikes are watched for 3 h
    const alarmed = compareWhatIf(
      spike,
      report([], () => 1),
      report([], () => 1),
      [],
      trace(f, t, (x) => (x > start + 11 * H ? 0.9 : 0), 'network_saturation'),
    );
    expect(alarmed.summary[1]).toMatch(/raised a false alarm at 2026-01-05 11:05 UTC/);
    const calm = compareWhatIf(
      spike,
      report([], () => 1),
      report([], () => 1),
      [],
      trace(f, t, () => 0.1),
    );
    expect(calm.summary[1]).toMatch(/stayed quiet, as it should/);
  });
});
