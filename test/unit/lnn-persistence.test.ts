// Alarm persistence (the card's alarm.persistence): the model alarms only when its alarm rule has held for
// that many consecutive 5-minute buckets. Checked by hand on `sustained`, then with the committed model on the
// demo fleet: riskTrace and predictFrame (the app's, the CLI's and `aura watch`'s path) agree with the rule
// applied to the one-bucket alarms.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alarmPersistence,
  createNodePredictor,
  predictFrame,
  riskTrace,
  sustained,
  type Predictor,
  type RiskPoint,
} from '../../src/lib/lnn/index.ts';
import { demoScenario } from '../../src/lib/synth/index.ts';

describe('sustained', () => {
  it('holds where the rule held at this entry and the k − 1 before it', () => {
    const raw = [true, true, false, true, true, true, false];
    expect(sustained(raw, 1)).toEqual(raw);
    expect(sustained(raw, 2)).toEqual([false, true, false, false, true, true, false]);
    expect(sustained(raw, 3)).toEqual([false, false, false, false, false, true, false]);
    expect(sustained([], 2)).toEqual([]);
  });

  it('reads the card: absent or not a whole number ≥ 1 means one bucket', () => {
    const card = (persistence?: number) => ({ alarm: { thresholds: {}, persistence } as never });
    expect(alarmPersistence({})).toBe(1);
    expect(alarmPersistence(card(3))).toBe(3);
    expect(alarmPersistence(card(0))).toBe(1);
    expect(alarmPersistence(card(1.5))).toBe(1);
  });
});

describe('persistence with the committed model on the demo fleet', () => {
  const demo = demoScenario();
  const failing = demo.labels.find((l) => l.kind === 'failure')!;
  let one: Predictor;
  let three: Predictor;
  let trace1: RiskPoint[];
  let trace3: RiskPoint[];
  beforeAll(async () => {
    const p = await createNodePredictor();
    // Low thresholds, so that the one-bucket rule flickers on and off around the failure.
    const alarm = { ...p.card.alarm!, thresholds: { '15m': 0.05, '1h': 0.1, '6h': 0.15 } };
    one = { ...p, card: { ...p.card, alarm } };
    three = { ...p, card: { ...p.card, alarm: { ...alarm, persistence: 3 } } };
    trace1 = await riskTrace(one, demo.frame, failing.instance, -Infinity, Infinity, Infinity);
    trace3 = await riskTrace(three, demo.frame, failing.instance, -Infinity, Infinity, Infinity);
  }, 120_000);

  it('riskTrace alarms exactly where the one-bucket alarm held for three buckets in a row', () => {
    expect(trace3.map((x) => x.t)).toEqual(trace1.map((x) => x.t));
    expect(trace3.map((x) => x.alarm)).toEqual(
      sustained(
        trace1.map((x) => x.alarm),
        3,
      ),
    );
    // The case is not empty: some one-bucket alarms are dropped, and a sustained one stays.
    expect(trace1.filter((x, i) => x.alarm && !trace3[i].alarm).length).toBeGreaterThan(0);
    expect(trace3.some((x) => x.alarm)).toBe(true);
  });

  it('a trace read every k-th bucket still judges each point on its own consecutive buckets', async () => {
    const sparse = await riskTrace(three, demo.frame, failing.instance, -Infinity, Infinity, 50);
    const byTime = new Map(trace3.map((x) => [x.t, x.alarm]));
    for (const x of sparse) expect(x.alarm).toBe(byTime.get(x.t));
  }, 120_000);

  it('predictFrame agrees with the trace at the points where the two rules differ', async () => {
    const differ = trace1.filter((x, i) => x.alarm !== trace3[i].alarm).slice(0, 3);
    const held = trace3.filter((x) => x.alarm).slice(-2);
    for (const x of [...differ, ...held]) {
      // `at` just before the bucket's end: the prediction reads the bucket that ends at x.t.
      const [pred] = (await predictFrame(three, demo.frame, { at: x.t - 1 })).filter(
        (p) => p.entity === failing.instance,
      );
      expect(pred.ttfMinutes !== null).toBe(trace3.find((y) => y.t === x.t)!.alarm);
    }
  }, 120_000);
});
