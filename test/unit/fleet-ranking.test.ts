// Ranking a fleet before anything is flagged: an entity's recent peer score (src/lib/analysis/fleet.ts).
import { describe, expect, it } from 'vitest';
import { combineEntities, RECENT_PEER_WINDOWS } from '../../src/lib/analysis/fleet.ts';
import type { TimelineOutput } from '../../src/lib/timeline/timeline.ts';
import type { PeerResult } from '../../src/lib/analysis/peers.ts';

const quiet = (windows: number): TimelineOutput => ({
  settings: { window: 60, stride: 10, cloud: 'state', maxDim: 1, normalise: 'noise' },
  points: Array.from({ length: windows }, (_, t) => ({ t, score: 1, anomalous: false, betti: {}, distance: {} })),
  anomalies: [],
  skipped: [],
  baseline: null,
  embedding: null,
  landmarked: 0,
  pending: null,
  notes: [],
});

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
