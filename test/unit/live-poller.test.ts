// The poller against a deterministic source: a clock we advance and a series whose value at t is a known
// function of t, evaluated on the step grid the way Prometheus' query_range does.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { newSamplesOnly, Poller, type LiveUpdate, type TimeRange } from '../../src/lib/live/poller.ts';

const value = (t: number, i: number) => Math.sin(t / 60_000 + i) * 10 + i;

/** query_range semantics: every series evaluated at start, start+step, …, ≤ end; `born[i]` hides a series before it existed. */
function rangeSource(seriesCount: number, born: number[] = []) {
  const calls: TimeRange[] = [];
  const fetchRange = async (r: TimeRange): Promise<MetricFrame> => {
    calls.push(r);
    const series = [];
    for (let i = 0; i < seriesCount; i++) {
      const ts: number[] = [];
      for (let t = r.start; t <= r.end; t += r.stepMs) if (t >= (born[i] ?? -Infinity)) ts.push(t);
      if (ts.length === 0) continue;
      series.push({
        name: 'node_load1',
        labels: { instance: `host-${i}` },
        timestamps: Float64Array.from(ts),
        values: Float64Array.from(ts, (t) => value(t, i)),
      });
    }
    return {
      series,
      meta: { origin: 'test', format: 'prom-json', rejected: { count: 0, examples: [] }, duplicates: 0 },
    };
  };
  return { fetchRange, calls };
}

/** Runs the poller on a virtual clock: each sleep advances the clock instead of waiting. */
async function collect(poller: Poller, clock: { t: number }, updates: number): Promise<LiveUpdate[]> {
  const out: LiveUpdate[] = [];
  const ac = new AbortController();
  for await (const u of poller.updates(ac.signal)) {
    out.push(u);
    if (out.length >= updates) ac.abort();
  }
  return out;
}

function virtualClock(start: number) {
  const clock = { t: start };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason;
      clock.t += ms;
    },
  };
}

describe('live poller', () => {
  it('reads the lookback once, then yields each new grid point exactly once, per series', async () => {
    const step = 15_000;
    const { clock, now, sleep } = virtualClock(1_700_000_007_000);
    const src = rangeSource(3);
    const poller = new Poller({ fetchRange: src.fetchRange, stepMs: step, lookbackMs: 10 * 60_000, now, sleep });
    const updates = await collect(poller, clock, 6);

    expect(updates[0].kind).toBe('initial');
    const initial = updates[0] as Extract<LiveUpdate, { kind: 'initial' }>;
    expect(initial.frame.series).toHaveLength(3);
    expect(initial.frame.series[0].timestamps.length).toBe(41); // 10 min / 15 s, both ends included

    // Together the updates form one gap-free grid with no repeats, and values are the source's.
    for (let i = 0; i < 3; i++) {
      const ts: number[] = [];
      for (const u of updates) {
        if (u.kind === 'error') continue;
        const s = u.frame.series.find((x) => x.labels.instance === `host-${i}`)!;
        s.timestamps.forEach((t, k) => {
          ts.push(t);
          expect(s.values[k]).toBeCloseTo(value(t, i), 12);
        });
      }
      for (let k = 1; k < ts.length; k++) expect(ts[k] - ts[k - 1]).toBe(step);
      expect(ts.every((t) => t % step === 0)).toBe(true);
    }
    for (const u of updates.slice(1)) expect(u.kind).toBe('append');
  });

  it('picks up a series that appears while live', async () => {
    const step = 10_000;
    const start = 1_700_000_000_000;
    const { clock, now, sleep } = virtualClock(start);
    const src = rangeSource(2, [-Infinity, start + 3 * step]);
    const poller = new Poller({ fetchRange: src.fetchRange, stepMs: step, lookbackMs: 60_000, now, sleep });
    const updates = await collect(poller, clock, 6);
    const late = updates.flatMap((u) =>
      u.kind === 'error' ? [] : u.frame.series.filter((s) => s.labels.instance === 'host-1'),
    );
    expect(late.length).toBeGreaterThan(0);
    expect(late[0].timestamps[0]).toBe(start + 3 * step);
  });

  it('reports failures with a growing retry delay and catches up on the samples it missed', async () => {
    const step = 5_000;
    const { clock, now, sleep } = virtualClock(1_700_000_000_000);
    const src = rangeSource(1);
    let failing = 0;
    const fetchRange = async (r: TimeRange) => {
      if (src.calls.length >= 2 && failing < 3) {
        failing++;
        throw new Error('connection refused');
      }
      return src.fetchRange(r);
    };
    const poller = new Poller({ fetchRange, stepMs: step, lookbackMs: 300_000, now, sleep });
    const updates = await collect(poller, clock, 7);
    const errors = updates.filter((u) => u.kind === 'error') as Extract<LiveUpdate, { kind: 'error' }>[];
    expect(errors.map((e) => e.retryInMs)).toEqual([5_000, 10_000, 20_000]);
    const ts = updates.flatMap((u) => (u.kind === 'error' ? [] : [...u.frame.series[0].timestamps]));
    for (let k = 1; k < ts.length; k++) expect(ts[k] - ts[k - 1]).toBe(step);
  });

  it('refuses a step or lookback that cannot work, saying which', () => {
    const fetchRange = rangeSource(1).fetchRange;
    expect(() => new Poller({ fetchRange, stepMs: 0, lookbackMs: 1000 })).toThrow(/positive step/);
    expect(() => new Poller({ fetchRange, stepMs: 15_000, lookbackMs: 1000 })).toThrow(/at least one step/);
  });

  it('newSamplesOnly keeps exactly the samples after the high mark (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 40 }),
        fc.option(fc.integer({ min: -1, max: 1001 }), { nil: undefined }),
        (raw, mark) => {
          const ts = [...raw].sort((a, b) => a - b);
          const frame: MetricFrame = {
            series: [
              { name: 'm', labels: {}, timestamps: Float64Array.from(ts), values: Float64Array.from(ts, (t) => t * 2) },
            ],
            meta: { origin: '', format: '', rejected: { count: 0, examples: [] }, duplicates: 0 },
          };
          const seen = new Map<string, number>();
          if (mark !== undefined) seen.set('m', mark);
          const { frame: out, samples } = newSamplesOnly(frame, seen);
          const expected = ts.filter((t) => mark === undefined || t > mark);
          expect(samples).toBe(expected.length);
          expect(out.series.length).toBe(expected.length > 0 ? 1 : 0);
          if (expected.length > 0) {
            expect([...out.series[0].timestamps]).toEqual(expected);
            expect([...out.series[0].values]).toEqual(expected.map((t) => t * 2));
            expect(seen.get('m')).toBe(expected[expected.length - 1]);
          }
        },
      ),
    );
  });
});
