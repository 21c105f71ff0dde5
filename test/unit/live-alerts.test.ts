import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anomalyStarts, riskCrossings, type AlertArming } from '../../src/lib/live/alerts.ts';
import type { Prediction, TimelinePoint } from '../../src/lib/report/types.ts';

function prediction(entity: string, risk: Record<string, number>): Prediction {
  return {
    entity,
    scenario: 'disk_fill',
    risk,
    ttfMinutes: 42,
    ttfInterval: [30, 60],
    confidence: 0.8,
    recommendations: [],
    alertRule: '',
  };
}

const rule = { riskThreshold: 0.5, hysteresis: 0.1 };

describe('risk alerts', () => {
  it('raises once on the upward crossing, re-arms only below threshold − hysteresis', () => {
    const armed: AlertArming = new Map();
    const seq = [0.2, 0.55, 0.7, 0.45, 0.6, 0.3, 0.51];
    const raised = seq.map((r, i) => riskCrossings([prediction('host-1', { '1h': r })], armed, rule, i, 'prom').length);
    expect(raised).toEqual([0, 1, 0, 0, 0, 0, 1]);
  });

  it('says who, what, how likely and when', () => {
    const [a] = riskCrossings([prediction('host-3', { '6h': 0.8 })], new Map(), rule, 1000, 'http://prom:9090');
    expect(a).toMatchObject({ entity: 'host-3', horizon: '6h', kind: 'risk', value: 0.8, threshold: 0.5, t: 1000 });
    expect(a.message).toBe('host-3: disk fill risk 80 % within 6h, about 42 min to failure');
  });

  it('keeps entities and horizons apart and ignores non-finite risks', () => {
    const armed: AlertArming = new Map();
    const a = riskCrossings(
      [prediction('a', { '1h': 0.9, '6h': 0.9 }), prediction('b', { '1h': NaN })],
      armed,
      rule,
      0,
      's',
    );
    expect(a.map((x) => `${x.entity}/${x.horizon}`)).toEqual(['a/1h', 'a/6h']);
  });

  it('never raises twice without a re-arm in between (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (risks) => {
        const armed: AlertArming = new Map();
        let last = -1;
        risks.forEach((r, i) => {
          const n = riskCrossings([prediction('h', { '1h': r })], armed, rule, i, 's').length;
          if (n === 1) {
            expect(r).toBeGreaterThanOrEqual(rule.riskThreshold);
            if (last >= 0) {
              const between = risks.slice(last + 1, i);
              expect(between.some((x) => x < rule.riskThreshold - rule.hysteresis)).toBe(true);
            }
            last = i;
          }
        });
      }),
    );
  });
});

describe('anomaly alerts', () => {
  const point = (t: number, anomalous: boolean): TimelinePoint => ({
    t,
    score: anomalous ? 3 : 0.5,
    anomalous,
    betti: {},
    distance: {},
  });

  it('one alert per run of anomalous windows, continuing across appends', () => {
    const first = anomalyStarts([point(1, false), point(2, true), point(3, true)], false, 's');
    expect(first.alerts.map((a) => a.t)).toEqual([2]);
    const next = anomalyStarts([point(4, true), point(5, false), point(6, true)], first.anomalous, 's');
    expect(next.alerts.map((a) => a.t)).toEqual([6]);
  });
});
