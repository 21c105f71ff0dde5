// The history store on fake-indexeddb (a complete IndexedDB implementation in Node); the browser tests
// exercise the same store on Chromium's IndexedDB.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveHistory, type ScoreRecord } from '../../src/browser/history.ts';
import type { Alert } from '../../src/lib/live/alerts.ts';
import type { Report } from '../../src/lib/report/types.ts';

let n = 0;
const open: LiveHistory[] = [];
function history(retention = { maxAgeMs: 3_600_000, maxRecords: 1000 }) {
  const h = new LiveHistory({ name: `test-${n++}`, retention });
  open.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

const score = (t: number, source = 'a'): ScoreRecord => ({
  source,
  t,
  score: t / 1000,
  anomalous: false,
  maxRisk: null,
});
const alert = (t: number): Alert => ({
  t,
  source: 'a',
  kind: 'risk',
  entity: 'h',
  horizon: '1h',
  value: 0.9,
  threshold: 0.5,
  scenario: 'disk_fill',
  message: 'm',
});

describe('live history', () => {
  it('returns scores inside a time range, oldest first, and overwrites a window seen again', async () => {
    const h = history();
    await h.addScores([3000, 1000, 2000, 4000].map((t) => score(t)));
    await h.addScores([{ ...score(2000), score: 99 }, score(2500, 'b')]);
    const got = await h.scores(1500, 3000);
    expect(got.map((r) => [r.t, r.source, r.score])).toEqual([
      [2000, 'a', 99],
      [2500, 'b', 2.5],
      [3000, 'a', 3],
    ]);
    expect((await h.scores(1500, 3000, 'b')).map((r) => r.t)).toEqual([2500]);
    expect(await h.extent()).toEqual({ from: 1000, to: 4000 });
  });

  it('drops records older than the retention age, measured from the newest write', async () => {
    const h = history({ maxAgeMs: 10_000, maxRecords: 1000 });
    await h.addScores([0, 5000, 9000].map((t) => score(t)));
    await h.addAlerts([alert(0), alert(9000)]);
    await h.addScores([score(15_000)]);
    await h.addAlerts([alert(15_000)]);
    expect((await h.scores(0, 1e9)).map((r) => r.t)).toEqual([5000, 9000, 15_000]);
    expect((await h.alerts(0, 1e9)).map((r) => r.t)).toEqual([15_000, 9000]);
  });

  it('keeps at most maxRecords, deleting the oldest', async () => {
    const h = history({ maxAgeMs: 1e12, maxRecords: 5 });
    await h.addScores(Array.from({ length: 8 }, (_, i) => score(i * 1000)));
    expect((await h.scores(0, 1e9)).map((r) => r.t)).toEqual([3000, 4000, 5000, 6000, 7000]);
    expect(await h.count()).toEqual({ scores: 5, alerts: 0 });
  });

  it('gives alerts ids and keeps the last analysis with its typed arrays', async () => {
    const h = history();
    const [saved] = await h.addAlerts([alert(1)]);
    expect(saved.id).toBeTypeOf('number');
    const report = {
      timeline: [{ t: 1, score: 2, anomalous: true, betti: { '0': 1 }, distance: {} }],
    } as unknown as Report;
    const frame = {
      series: [
        { name: 'x', labels: { instance: 'a' }, timestamps: Float64Array.of(1, 2), values: Float64Array.of(NaN, 4) },
      ],
      meta: { origin: 'f.csv', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
    };
    expect(await h.restoreLast()).toBeNull();
    await h.saveLast('f.csv', report, frame);
    const last = await h.restoreLast();
    expect(last?.origin).toBe('f.csv');
    expect(last?.report.timeline[0].betti).toEqual({ '0': 1 });
    expect(last?.frame.series[0].values).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(last!.frame.series[0].values[0])).toBe(true);
  });
});
