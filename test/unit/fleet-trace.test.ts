// Each entity's concern over time (EntitySummary.trace), the rows of the app's fleet heatmap.
import { describe, expect, it } from 'vitest';
import { combineEntities } from '../../src/lib/analysis/fleet.ts';
import { timelineOutput } from '../fixtures/timeline/output.ts';
import type { PeerResult } from '../../src/lib/analysis/peers.ts';

const output = (scores: number[], t0 = 0) => timelineOutput(scores, { t0, step: 10, flagAbove: 4 });

describe('entity score traces', () => {
  const entities = ['a', 'b', 'c'];
  const peers: PeerResult = {
    times: [0, 10, 20, 30],
    scores: [Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1, 8, 1]), Float64Array.from([0.5, 0.5, 0.5, 0.5])],
    spans: entities.map(() => []),
    features: ['m'],
  };
  const c = combineEntities(
    [
      { entity: 'a', out: output([2, 2, 2, 6.123]) },
      { entity: 'b', out: output([1, 1, 1, 1]) },
      // c's windows end 2 ms later (another sample grid) and it has no score at its first window
      { entity: 'c', out: output([NaN, 1, 1, 1], 2) },
    ],
    { label: 'instance', threshold: 4, peers, peerThreshold: 4, entities, strideMs: 10 },
  );
  const trace = (e: string) => c.entities.find((x) => x.entity === e)!.trace;

  it('is aligned to the fleet timeline, in threshold units: the larger of own and peer score, rounded', () => {
    expect(c.timeline.points.map((p) => p.t)).toEqual([0, 10, 20, 30]);
    // 6.123 / 4 = 1.53 above the threshold: 1 plus a quarter of the excess (fleet.ts ownConcern).
    expect(trace('a')).toEqual([0.5, 0.5, 0.5, 1.13]);
    expect(trace('b')).toEqual([0.25, 0.25, 2, 0.25]);
  });

  it('snaps windows a few samples apart onto the fleet grid and keeps the peer score where its own is missing', () => {
    expect(trace('c')).toEqual([0.13, 0.25, 0.25, 0.25]);
  });

  it('is left out for a single entity', () => {
    const one = combineEntities([{ entity: 'a', out: output([1, 2]) }], {
      label: null,
      threshold: 4,
      peers: null,
      peerThreshold: 4,
      entities: ['a'],
      strideMs: 10,
    });
    expect(one.entities[0].trace).toBeUndefined();
  });
});
