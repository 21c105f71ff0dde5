// Ranking a fleet before anything is flagged (src/lib/analysis/fleet.ts), and peer scores in live mode (peers.ts).
import { describe, expect, it } from 'vitest';
import { combineEntities, RECENT_PEER_WINDOWS } from '../../src/lib/analysis/fleet.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';
import { peerOutliers, type PeerResult } from '../../src/lib/analysis/peers.ts';
import { groupEntities } from '../../src/lib/analysis/entities.ts';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';

const quiet = (windows: number) => timelineOutput(new Array(windows).fill(1));

describe('fleet ranking below the thresholds', () => {
  const windows = 20;
  const entities = ['a', 'b', 'c', 'd'];
  // b drifts from its peers lately (3 < threshold 4); c stood apart long ago (3.8), then came back.
  const series = (recent: number, early = 1) =>
    Float64Array.from({ length: windows }, (_, w) => (w >= windows - 3 ? recent : w < 5 ? early : 1));
  const peers: PeerResult = {
    times: Array.from({ length: windows }, (_, t) => t),
    scores: [series(1), series(3), series(1, 3.8), series(1.2)],
    spans: entities.map(() => []),
    features: ['m'],
  };
  const c = combineEntities(
    entities.map((entity) => ({ entity, out: quiet(windows) })),
    { label: 'instance', threshold: 4, peers, peerThreshold: 4, entities, strideMs: 1 },
  );

  it('ranks by the highest peer score of the recent windows, under 1 while nothing crossed a threshold', () => {
    expect(RECENT_PEER_WINDOWS).toBeLessThan(windows - 5);
    expect(c.entities.map((e) => e.entity)).toEqual(['b', 'd', 'a', 'c']);
    expect(c.entities[0].score).toBeCloseTo(3 / 4);
    for (const e of c.entities) expect(e.score).toBeLessThan(1);
  });
});

describe('live peer scores', () => {
  // Five hosts × two metrics, 200 rows at 1 min; host-5 drifts from row 120.
  let a = 7;
  const rand = () => {
    a = (a * 1103515245 + 12345) >>> 0;
    return a / 2 ** 32;
  };
  const rows = 200;
  const columns: Float64Array[] = [];
  const series: { name: string; labels: Record<string, string> }[] = [];
  for (let h = 1; h <= 5; h++)
    for (const name of ['cpu', 'mem']) {
      columns.push(
        Float64Array.from({ length: rows }, (_, i) => 50 + rand() + (h === 5 && i >= 120 ? (i - 120) * 0.5 : 0)),
      );
      series.push({ name, labels: { instance: `host-${h}` } });
    }
  const full: AlignedFrame = {
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
    stepMs: 60_000,
    columns,
    series,
  };
  const upTo = (n: number): AlignedFrame => ({
    ...full,
    timestamps: full.timestamps.subarray(0, n),
    columns: full.columns.map((c) => c.subarray(0, n)),
  });
  const times = (n: number) => Array.from(full.timestamps.subarray(59, n)).filter((_, k) => k % 10 === 0);
  const opts = { baselineRows: 60, threshold: 4, minWindows: 2 };
  const groups = groupEntities(full, 'instance');

  it('a later call given the earlier result scores the new windows only, with the same scores as from scratch', () => {
    const scratch = peerOutliers(full, groups, 'instance', times(rows), opts)!;
    const earlier = peerOutliers(upTo(150), groups, 'instance', times(150), opts)!;
    const live = peerOutliers(full, groups, 'instance', times(rows), opts, earlier)!;
    expect(live.scores.map((s) => [...s])).toEqual(scratch.scores.map((s) => [...s]));
    expect(live.spans).toEqual(scratch.spans);
    expect(live.spans[4].length).toBeGreaterThan(0);
  });

  it('an earlier result on another baseline is not reused', () => {
    const other = peerOutliers(upTo(150), groups, 'instance', times(150), { ...opts, baselineRows: 100 })!;
    const live = peerOutliers(full, groups, 'instance', times(rows), opts, other)!;
    const scratch = peerOutliers(full, groups, 'instance', times(rows), opts)!;
    expect(live.scores.map((s) => [...s])).toEqual(scratch.scores.map((s) => [...s]));
  });
});
