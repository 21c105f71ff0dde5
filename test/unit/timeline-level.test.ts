// The baseline-relative level statistic (level.ts) on hand-built cases, alone and fused into the timeline
// (fuseLevel) with the real WASM engine.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AnomalyTimeline,
  InProcessRunner,
  LEVEL_Z_CAP,
  fitLevelBaseline,
  rankSeries,
  tailLevels,
  topTwo,
  type Topology,
} from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { noiseFrame } from '../fixtures/timeline/generate.ts';

const STEP = 60_000;

const noise = noiseFrame;

describe('level statistic', () => {
  it('is |tail mean − baseline median| in units of 1.4826 · MAD', () => {
    const base = Float64Array.from([1, 2, 3, 4, 5, 3, 3, 3, 3, 3, 3]);
    const col = Float64Array.from([...base, 10, 12]);
    const fit = fitLevelBaseline([col], base.length);
    expect(fit.centre[0]).toBe(3);
    const scale = fit.scale[0];
    expect(scale).toBeGreaterThan(0);
    expect(tailLevels([col], fit, col.length - 1, 2)[0]).toBeCloseTo((11 - 3) / scale, 9);
    expect(tailLevels([col], fit, 10, 1)[0]).toBe(0);
  });

  it('with a window centre, measures the tail against the median of the window before it', () => {
    const base = Float64Array.from([1, 2, 3, 4, 5, 3, 3, 3, 3, 3, 3]);
    // A level of 8 held for four rows, then a tail at 8: news against the baseline, none against the window.
    const col = Float64Array.from([...base, 8, 8, 8, 8, 8, 8]);
    const fit = fitLevelBaseline([col], base.length);
    const last = col.length - 1;
    expect(tailLevels([col], fit, last, 2)[0]).toBeCloseTo(5 / fit.scale[0], 9);
    expect(tailLevels([col], fit, last, 2, base.length)[0]).toBe(0);
    expect(tailLevels([col], fit, last, 2, 2)[0]).toBeCloseTo(5 / fit.scale[0], 9); // rows 2–14: median 3
  });

  it('a series flat in the baseline does not explode: rounding noise is no change, a real move is capped', () => {
    const flat = new Float64Array(200).fill(100);
    for (let i = 100; i < 200; i++) flat[i] = 100 + (i % 2) * 1e-9; // far below 1e-3 of the level
    const zero = new Float64Array(200);
    zero.fill(5, 190);
    const fit = fitLevelBaseline([flat, zero], 100);
    const z = tailLevels([flat, zero], fit, 199, 10);
    expect(z[0]).toBeLessThan(1e-3);
    expect(z[1]).toBe(LEVEL_Z_CAP);
  });

  it('skips left-out series and tails without data; topTwo ignores NaN', () => {
    const a = Float64Array.from([0, 1, 0, 1, NaN, NaN]);
    const b = Float64Array.from([0, 1, 0, 1, 9, 9]);
    const fit = fitLevelBaseline([a, b], 4, [1]);
    const z = tailLevels([a, b], fit, 5, 2);
    expect(Number.isNaN(z[0])).toBe(true);
    expect(Number.isNaN(z[1])).toBe(true);
    expect(topTwo([NaN, 3, 7, 5])).toEqual([7, 5]);
    expect(topTwo([])).toEqual([0, 0]);
  });

  it('ranks by share of the largest level z plus share of the largest leave-one-out drop', () => {
    const fit = {
      centre: new Float64Array(4),
      scale: Float64Array.from([1, 1, 1, 0]),
      sd: new Float64Array(4),
      varied: Uint8Array.from([1, 1, 1, 0]),
    };
    // s0: level only; s1: shape only; s2: some of both; s3: left out (and not in the maxima).
    expect(rankSeries([10, 0, 6, 99], [0, 2, 1.4, 9], fit)).toEqual([2, 0, 1]); // 1.3, 1, 1 (tie: column order)
    expect(rankSeries([10, 0, 2, 99], [0, 1, 0.2, 9], fit)).toEqual([0, 1, 2]); // 1, 1, 0.4
  });
});

describe('fused into the timeline (fuseLevel)', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await createNodeTopology();
  });
  const settings = { window: 60, stride: 10, baselineRows: 600, fuseLevel: true };

  it('flags a 2-row spike in one of 10 series within one stride and ranks that series first', async () => {
    const frame = noise(10, 1500, 3);
    const onset = 1003; // not on a window end
    frame.columns[6][onset] += 40;
    frame.columns[6][onset + 1] += 40;
    const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(frame);
    expect(out.anomalies).toHaveLength(1);
    const span = out.anomalies[0];
    const delay = span.detectedAt! - frame.timestamps[onset];
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(10 * STEP);
    // The level statistic gave the flag: the onset estimate is the tail's start, not the window's.
    expect(span.start).toBeLessThanOrEqual(frame.timestamps[onset]);
    expect(span.start).toBeGreaterThan(frame.timestamps[onset] - 10 * STEP);
    expect(out.rankings![0][0]).toBe('s6');
    // Without the statistic the topology alone misses it: the test asserts what the option adds.
    const plain = await new AnomalyTimeline(new InProcessRunner(topology), { ...settings, fuseLevel: false }).update(
      frame,
    );
    expect(plain.anomalies.filter((a) => a.detectedAt! - frame.timestamps[onset] < 10 * STEP)).toEqual([]);
  });

  it('flags nothing on stationary noise, with a flat series among them', async () => {
    for (const seed of [11, 12]) {
      const frame = noise(10, 1500, seed);
      frame.columns[9].fill(42); // flat throughout
      for (let i = 800; i < 1500; i += 2) frame.columns[9][i] = 42 + 1e-12; // rounding noise
      const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(frame);
      expect(out.anomalies).toEqual([]);
      for (const p of out.points) expect(Number.isFinite(p.score)).toBe(true);
      expect(Math.max(...out.points.map((p) => p.score))).toBeLessThan(settings.window);
    }
  });
});
