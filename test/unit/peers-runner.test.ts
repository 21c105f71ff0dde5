// Peer scores with the single-linkage heights computed by a runner's workers (peerOutliersOn, as analyse.ts
// runs them) must equal the scores computed on this thread, bit for bit: split across workers, and when a
// live update reuses the windows already scored.
import { afterAll, describe, expect, it } from 'vitest';
import type { AlignedFrame } from '../../src/lib/frame/types.ts';
import { groupEntities } from '../../src/lib/analysis/entities.ts';
import { peerOutliers, peerOutliersOn } from '../../src/lib/analysis/peers.ts';
import { NodePool } from '../../src/node/pool.ts';
import { createRng } from '../../src/lib/synth/rng.ts';

const STEP = 60_000;
const T0 = Date.UTC(2026, 0, 5);
const pool = new NodePool(2);
afterAll(() => pool.close());

/** 40 hosts × 3 gauges; host 5 drifts away after row 150. */
function fleet(): AlignedFrame {
  const rng = createRng(11);
  const rows = 300;
  const timestamps = Float64Array.from({ length: rows }, (_, i) => T0 + i * STEP);
  const columns: Float64Array[] = [];
  const series = [];
  for (let h = 0; h < 40; h++) {
    for (let m = 0; m < 3; m++) {
      columns.push(
        Float64Array.from({ length: rows }, (_, i) => 10 * m + rng.normal() + (h === 5 && i > 150 ? (i - 150) / 5 : 0)),
      );
      series.push({ name: `metric_${m}`, labels: { instance: `host-${h}` } });
    }
  }
  return { timestamps, stepMs: STEP, columns, series };
}

describe('peerOutliersOn', () => {
  it('equals peerOutliers, split across two workers and when reusing the windows already scored', async () => {
    const a = fleet();
    const groups = groupEntities(a, 'instance');
    const times = Array.from({ length: 25 }, (_, w) => T0 + (59 + w * 10) * STEP);
    const opts = { baselineRows: 60, threshold: 4, minWindows: 2 };
    const here = peerOutliers(a, groups, 'instance', times, opts)!;
    let sent = 0;
    const there = (await peerOutliersOn(pool, [a, groups, 'instance', times, opts], () => sent++))!;
    expect(sent).toBe(1);
    expect(there).toEqual(here);
    expect(here.spans[5].length).toBeGreaterThan(0);
    // A live update: the first 20 windows are kept from the earlier result, the last 5 computed.
    const before = peerOutliers(a, groups, 'instance', times.slice(0, 20), opts)!;
    const update = (await peerOutliersOn(pool, [a, groups, 'instance', times, opts, before]))!;
    expect(update).toEqual(here);
  });
});
