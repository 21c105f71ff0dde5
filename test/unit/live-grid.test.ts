// Live mode's grid extended in place (src/lib/live/live-grid.ts) against aligning everything anew: for random
// polls (regular and jittered timestamps, missing and NaN samples, late samples, new series, series that turn
// out to be counters) the joined frame is exactly joinAligned(alignFrame(history), alignFrame(live)), and a
// frame handed out earlier never changes afterwards.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AlignedFrame, MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { appendSamples } from '../../src/lib/frame/append.ts';
import { alignFrame, type AlignResult } from '../../src/lib/cloud/align.ts';
import { LiveWithHistory } from '../../src/lib/live/baseline.ts';
import { joinAligned } from '../../src/lib/live/join.ts';

const T0 = Date.UTC(2026, 10, 20);
const meta = { origin: 't', format: 't', rejected: { count: 0, examples: [] }, duplicates: 0 };

function series(name: string, host: string, ts: number[], vs: number[]): Series {
  return { name, labels: { host }, timestamps: Float64Array.from(ts), values: Float64Array.from(vs) };
}

const history: MetricFrame = {
  series: ['cpu', 'mem', 'net_total'].map((n, k) =>
    series(
      n,
      'a',
      Array.from({ length: 30 }, (_, i) => T0 + i * 60_000),
      Array.from({ length: 30 }, (_, i) => (n.endsWith('_total') ? 10 * i : Math.sin(i + k))),
    ),
  ),
  meta,
};
const liveStart = T0 + 40 * 60_000;

/** One series' samples in a poll: how many steps, off-grid jitter (ms), a NaN, a rising (counter-like) value. */
const part = fc.record({
  steps: fc.integer({ min: 0, max: 3 }),
  jitter: fc.oneof(fc.constant(0), fc.integer({ min: -600, max: 600 })),
  nan: fc.boolean(),
  rising: fc.boolean(),
});
const poll = fc.record({ parts: fc.array(part, { minLength: 4, maxLength: 4 }), late: fc.boolean() });

const plain = (a: AlignResult) => ({
  t: [...a.frame.timestamps],
  step: a.frame.stepMs,
  cols: a.frame.columns.map((c) => [...c]),
  series: a.frame.series,
  rates: a.rateColumns,
  filled: a.filled,
  gaps: a.gaps,
});

const copyOf = (f: AlignedFrame) => ({ t: f.timestamps.slice(), cols: f.columns.map((c) => c.slice()) });

describe('live grid extended in place', () => {
  it('gives exactly what aligning and joining everything gives, and leaves frames handed out alone', () => {
    fc.assert(
      fc.property(
        fc.array(poll, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 6 }),
        (polls, breakRows) => {
          const hosts = ['a', 'b', 'c', 'd'];
          const names = ['cpu', 'mem', 'cpu', 'up'];
          const first: MetricFrame = {
            series: hosts.slice(0, 2).map((h, j) =>
              series(
                names[j],
                h,
                [0, 1, 2, 3, 4].map((i) => liveStart + i * 1000),
                [1, 2, 3, 4, 5].map((v) => v + j),
              ),
            ),
            meta,
          };
          const data = new LiveWithHistory(history, first, breakRows);
          let all = first;
          const handed: { frame: AlignedFrame; copy: ReturnType<typeof copyOf> }[] = [];
          let next = liveStart + 5000;
          let counter = 100;
          for (const p of polls) {
            const update: MetricFrame = { series: [], meta };
            p.parts.forEach((q, j) => {
              // Hosts c and d come later (new series); a late sample lands half a step after the last row.
              if (j >= 2 && next < liveStart + 9000) return;
              const ts: number[] = [];
              const vs: number[] = [];
              for (let i = 0; i < q.steps; i++) {
                ts.push(next + i * 1000 + (i === 0 ? q.jitter : 0));
                vs.push(q.nan && i === 0 ? NaN : q.rising ? (counter += 5) : Math.cos(next / 1000 + j));
              }
              if (p.late && j === 0) {
                ts.unshift(next - 1000 + 400);
                vs.unshift(7);
              }
              const sorted = ts.map((t, i) => [t, vs[i]]).sort((x, y) => x[0] - y[0]);
              const kept = sorted.filter((x, i) => i === 0 || x[0] > sorted[i - 1][0]);
              if (kept.length)
                update.series.push(
                  series(
                    names[j],
                    hosts[j],
                    kept.map((x) => x[0]),
                    kept.map((x) => x[1]),
                  ),
                );
            });
            next += 3000;
            const { aligned } = data.append(update);
            all = appendSamples(all, update);
            expect(plain(aligned)).toEqual(plain(joinAligned(alignFrame(history), alignFrame(all), breakRows)));
            handed.push({ frame: aligned.frame, copy: copyOf(aligned.frame) });
          }
          for (const h of handed) expect(copyOf(h.frame)).toEqual(h.copy);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('regular polls only add rows: the buffers are kept (no new alignment), and one poll changes no earlier row', () => {
    const first: MetricFrame = {
      series: ['a', 'b'].map((h) =>
        series(
          'cpu',
          h,
          [0, 1, 2].map((i) => liveStart + i * 1000),
          [1, 2, 3],
        ),
      ),
      meta,
    };
    const data = new LiveWithHistory(history, first, 4);
    let prev = data.append().aligned.frame;
    let kept = 0;
    for (let k = 3; k < 60; k++) {
      const update: MetricFrame = {
        series: ['a', 'b'].map((h) => series('cpu', h, [liveStart + k * 1000], [Math.sin(k)])),
        meta,
      };
      const now = data.append(update).aligned.frame;
      expect(now.timestamps.length).toBe(prev.timestamps.length + 1);
      if (now.columns[0].buffer === prev.columns[0].buffer) kept++;
      prev = now;
    }
    // The buffers are replaced only when they run out of room (half as much again, and 64 rows more).
    expect(kept).toBeGreaterThanOrEqual(55);
  });
});
