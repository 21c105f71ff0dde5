// Live mode's page-side data (src/lib/live/growing.ts): appends in place give what appendSamples gives, keep
// the frame's identity while only samples are added, and the aligned rows a worker sends extend the page's.
import { describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { appendSamples } from '../../src/lib/frame/append.ts';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import { alignedTail, GrowingAligned, GrowingFrame } from '../../src/lib/live/growing.ts';

const T0 = Date.UTC(2026, 2, 2);
const meta = (rejected = 0) => ({
  origin: 'test',
  format: 'test',
  rejected: { count: rejected, examples: [] },
  duplicates: 0,
});

function series(name: string, host: string, from: number, n: number, stepMs = 1000): Series {
  const timestamps = Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * stepMs);
  const values = Float64Array.from({ length: n }, (_, i) => Math.sin(from + i) + name.length);
  return { name, labels: { host }, timestamps, values };
}

const plain = (f: MetricFrame) =>
  f.series.map((s) => ({ name: s.name, labels: s.labels, t: [...s.timestamps], v: [...s.values] }));

describe('GrowingFrame', () => {
  it('appends as appendSamples does: later samples only, new series at the end', () => {
    const base: MetricFrame = { series: [series('cpu', 'a', 0, 5), series('mem', 'a', 0, 5)], meta: meta() };
    const g = new GrowingFrame(base);
    let expected = base;
    // Overlapping reads (a poll re-reads the last steps), a series that starts later, many small appends.
    for (let k = 0; k < 200; k++) {
      const update: MetricFrame = {
        series: [series('cpu', 'a', 3 + k, 3), ...(k > 50 ? [series('disk', 'b', k, 2)] : [])],
        meta: meta(),
      };
      g.append(update);
      expected = appendSamples(expected, update);
    }
    expect(plain(g.frame)).toEqual(plain(expected));
    expect(g.frame.series[0].timestamps.length).toBe(205);
  });

  it('spreads the copies of a fleet growing in step over many appends instead of copying every series at once', () => {
    const hosts = Array.from({ length: 200 }, (_, h) => `h${h}`);
    const g = new GrowingFrame({ series: hosts.map((h) => series('cpu', h, 0, 300)), meta: meta() });
    let most = 0;
    let total = 0;
    for (let k = 0; k < 200; k++) {
      const before = g.frame.series.map((s) => s.values.buffer);
      g.append({ series: hosts.map((h) => series('cpu', h, 300 + 5 * k, 5)), meta: meta() });
      const copied = g.frame.series.filter((s, i) => s.values.buffer !== before[i]).length;
      most = Math.max(most, copied);
      total += copied;
    }
    // Every series was copied at least once (300 → 1,300 samples), but never all on one append.
    expect(total).toBeGreaterThanOrEqual(hosts.length);
    expect(most).toBeLessThanOrEqual(hosts.length / 8);
  });

  it('keeps the frame object while only samples are added, and gives a new one for a new series', () => {
    const g = new GrowingFrame({ series: [series('cpu', 'a', 0, 3)], meta: meta() });
    const first = g.frame;
    const held = first.series[0].values;
    g.append({ series: [series('cpu', 'a', 3, 2)], meta: meta() });
    expect(g.frame).toBe(first);
    expect(first.series[0].values.length).toBe(5);
    // A typed array handed out before keeps its length and values.
    expect(held.length).toBe(3);
    g.append({ series: [series('mem', 'a', 0, 1)], meta: meta() });
    expect(g.frame).not.toBe(first);
    expect(g.frame.series.map((s) => s.name)).toEqual(['cpu', 'mem']);
    g.append({ series: [], meta: meta(2) });
    expect(g.frame.meta.rejected.count).toBe(2);
  });
});

describe('GrowingAligned', () => {
  it('takes the rows a worker sends from a few before its end and matches the whole alignment', () => {
    const frame = (n: number): MetricFrame => ({
      series: [series('cpu', 'a', 0, n, 15_000), series('mem', 'a', 1, n - 1, 15_000)],
      meta: meta(),
    });
    const first = alignFrame(frame(40)).frame;
    const page = new GrowingAligned(first);
    let rows = first.timestamps.length;
    for (let n = 41; n < 200; n += 7) {
      const whole = alignFrame(frame(n)).frame;
      expect(page.apply(alignedTail(whole, rows - 3))).toBe(true);
      rows = whole.timestamps.length;
      expect([...page.frame.timestamps]).toEqual([...whole.timestamps]);
      page.frame.columns.forEach((c, j) => expect([...c]).toEqual([...whole.columns[j]]));
      expect(page.frame.series).toBe(first.series);
    }
    // Rows that do not follow on from the page's are refused (the worker then sends the whole frame).
    const ahead = alignFrame(frame(300)).frame;
    expect(page.apply(alignedTail(ahead, rows + 5))).toBe(false);
  });
});
