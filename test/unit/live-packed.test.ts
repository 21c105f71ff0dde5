// Live samples packed by series index (src/lib/live/packed.ts): what a receiver rebuilds is what was sent,
// receivers that start from a table sent whole read later messages alike, a message that skips series is
// refused, and appending packed samples (GrowingFrame, LiveData) gives what appending frames gives.
import { describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { appendSamples } from '../../src/lib/frame/append.ts';
import { GrowingFrame } from '../../src/lib/live/growing.ts';
import { LiveData } from '../../src/lib/live/baseline.ts';
import { pack, packedSamples, packedSteps, SeriesTable, unpack } from '../../src/lib/live/packed.ts';

const T0 = Date.UTC(2026, 2, 2);
const meta = (rejected = 0) => ({
  origin: 'test',
  format: 'test',
  rejected: { count: rejected, examples: rejected ? [{ line: 1, reason: 'x' }] : [] },
  duplicates: 0,
});

function series(name: string, host: string, from: number, n: number, stepMs = 1000): Series {
  const timestamps = Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * stepMs);
  const values = Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(from + i) + name.length));
  return { name, labels: { host }, timestamps, values, kind: 'gauge' };
}

const plain = (f: MetricFrame) =>
  f.series.map((s) => ({ name: s.name, labels: s.labels, kind: s.kind, t: [...s.timestamps], v: [...s.values] }));

/** A poll: every host's two metrics from `from` on, with host `late` only from poll 3 on. */
function poll(k: number, hosts = 4): MetricFrame {
  const series_: Series[] = [];
  for (let h = 0; h < hosts; h++) {
    if (h === hosts - 1 && k < 3) continue;
    series_.push(series('cpu', `h${h}`, 10 + 2 * k, 3), series('mem', `h${h}`, 10 + 2 * k, 3));
  }
  return { series: series_, meta: meta(k === 5 ? 2 : 0) };
}

describe('packed live samples', () => {
  it('a receiver rebuilds the frame sent, new series announced once, in order', () => {
    const sender = new SeriesTable();
    const receiver = new SeriesTable();
    for (let k = 0; k < 6; k++) {
      const frame = poll(k);
      const p = pack(frame, sender);
      expect(p.added.length).toBe(k === 0 ? 6 : k === 3 ? 2 : 0);
      expect(packedSamples(p)).toBe(frame.series.length * 3);
      expect(packedSteps(p)).toBe(3);
      // As a message crosses threads: a structured clone.
      const q = structuredClone(p);
      receiver.absorb(q);
      expect(plain(unpack(q, receiver))).toEqual(plain(frame));
      expect(unpack(q, receiver).meta).toEqual(frame.meta);
    }
    expect(receiver.keys).toEqual(sender.keys);
  });

  it('leaves out series without samples, and a table sent whole reads later messages', () => {
    const sender = new SeriesTable();
    const empty: Series = { ...series('cpu', 'h9', 0, 0) };
    const first = pack({ series: [series('cpu', 'h0', 0, 2), empty], meta: meta() }, sender);
    expect(first.index.length).toBe(1);
    const copy = SeriesTable.from(structuredClone(sender.ids));
    // The first message arrives after the table: taken in again without change.
    copy.absorb(first);
    expect(copy.ids.length).toBe(1);
    const next = pack({ series: [series('cpu', 'h1', 2, 2), series('cpu', 'h0', 2, 2)], meta: meta() }, sender);
    copy.absorb(next);
    expect(unpack(next, copy).series.map((s) => s.labels.host)).toEqual(['h1', 'h0']);
  });

  it('refuses a message that names series no earlier message announced', () => {
    const sender = new SeriesTable();
    pack(poll(0), sender);
    const second = pack(poll(3), sender);
    expect(() => new SeriesTable().absorb(second)).toThrow(/from #6 on, but only 0 are known/);
    expect(() => unpack(second, new SeriesTable())).toThrow(/no message announced/);
  });

  it('GrowingFrame.appendPacked gives what appendSamples gives, overlapping reads and new series included', () => {
    const sender = new SeriesTable();
    const table = new SeriesTable();
    const base = poll(0);
    const p0 = pack(base, sender);
    table.absorb(p0);
    const g = new GrowingFrame(base);
    let expected = base;
    for (let k = 1; k < 40; k++) {
      const update = poll(k);
      const p = structuredClone(pack(update, sender));
      table.absorb(p);
      g.appendPacked(p, table);
      expected = appendSamples(expected, update);
    }
    expect(plain(g.frame)).toEqual(plain(expected));
    expect(g.frame.meta.rejected.count).toBe(2);
  });

  it('LiveData appends packed samples as frames would be appended, with and without a history', () => {
    const names = ['cpu', 'mem'];
    const history: MetricFrame = {
      series: names.map((n) => series(n, 'h0', -300, 100, 60_000 / 1000)),
      meta: meta(),
    };
    for (const h of [history, null]) {
      const sender = new SeriesTable();
      if (h) pack(h, sender);
      const first = poll(0);
      const firstPacked = pack(first, sender);
      const table = SeriesTable.from(sender.ids);
      const data = new LiveData(h, first, 4, table);
      table.absorb(firstPacked);
      let expected = h ? appendSamples(h, first) : first;
      for (let k = 1; k < 8; k++) {
        const update = poll(k);
        data.append(structuredClone(pack(update, sender)));
        expected = appendSamples(expected, update);
      }
      const { frame, aligned } = data.append();
      const byKey = (f: MetricFrame) =>
        plain(f).sort((a, b) => (a.name + a.labels.host).localeCompare(b.name + b.labels.host));
      expect(byKey(frame)).toEqual(byKey(expected));
      expect(aligned === null).toBe(h === null);
    }
  });
});
