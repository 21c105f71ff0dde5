// The fast scale (level.ts fastLevel; timeline option `fast`) on hand-built cases, alone and in the
// timeline with the real WASM engine: each new row read against the baseline, beside the long window.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AnomalyTimeline,
  FAST_AUTO_BASELINE_MS,
  InProcessRunner,
  fastAuto,
  fastLevel,
  fitLevelBaseline,
  runLevels,
  spanDeviation,
  type Topology,
} from '../../src/lib/timeline/index.ts';
import { groupSpans, type FlaggedWindow } from '../../src/lib/timeline/score.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { noiseFrame } from '../fixtures/timeline/generate.ts';

const STEP = 60_000;

const noise = noiseFrame;

describe('fast scale', () => {
  // Baseline rows 0–9 alternate 0, 2: median 1, MAD 1, scale 1.4826.
  const base = [0, 2, 0, 2, 0, 2, 0, 2, 0, 2];
  const scale = 1.4826;

  it('reads each row as the mean of its last `run` rows in baseline z, per series', () => {
    const a = Float64Array.from([...base, 1, 1, 31, 31, 31]);
    const fit = fitLevelBaseline([a], 10);
    expect(runLevels([a], fit, 14, 3)[0]).toBeCloseTo(30 / scale, 9);
    expect(runLevels([a], fit, 12, 3)[0]).toBeCloseTo(10 / scale, 9); // (1 + 1 + 31) / 3 − 1
  });

  it('needs two series at once; one series alone, or a one-row glitch in two, does not reach the threshold', () => {
    const quiet = Float64Array.from([...base, 1, 1, 1, 1, 1, 1]);
    const spike = (rows: number[]) =>
      Float64Array.from([...base, 1, 1, 1, 1, 1, 1].map((v, i) => (rows.includes(i) ? 31 : v)));
    const over = 15;
    // Rows 12–14 high in a and b: the row mean of 3 reaches 30 / 1.4826 ≈ 20 at row 14.
    const both = [spike([12, 13, 14]), spike([12, 13, 14]), quiet];
    let fit = fitLevelBaseline(both, 10);
    const r = fastLevel(both, fit, 15, 6, 3, over);
    expect(r.value).toBeCloseTo(30 / scale, 9);
    expect(r.peakRow).toBe(14);
    expect(r.onsetRow).toBe(14); // rows 12–14: the first whose 3-row mean is past 15
    // The same rise in one series only: the second largest stays at the noise.
    const one = [spike([12, 13, 14]), quiet, quiet];
    fit = fitLevelBaseline(one, 10);
    const alone = fastLevel(one, fit, 15, 6, 3, over);
    expect(alone.value).toBeLessThan(1); // the second series, quiet
    expect(alone.onsetRow).toBe(-1);
    // A single row in two series: diluted to a third by the 3-row mean.
    const glitch = [spike([13]), spike([13]), quiet];
    fit = fitLevelBaseline(glitch, 10);
    const g = fastLevel(glitch, fit, 15, 6, 3, over);
    expect(g.value).toBeCloseTo(10 / scale, 9);
    expect(g.onsetRow).toBe(-1);
  });

  it('one series alone flags only at `single`, and then reads as the threshold', () => {
    const quiet = Float64Array.from([...base, 1, 1, 1, 1, 1, 1]);
    const rise = (by: number) => Float64Array.from([...base, 1, 1, 1 + by, 1 + by, 1 + by, 1]);
    const over = 15;
    // One series 200 z-units out (by 200 · 1.4826): beyond `single` 150, so it reaches the threshold alone.
    const far = [rise(200 * scale), quiet, quiet];
    const r = fastLevel(far, fitLevelBaseline(far, 10), 15, 6, 3, over, undefined, 150);
    expect(r.value).toBeCloseTo((200 * over) / 150, 6);
    expect(r.onsetRow).toBe(14);
    // 100 z-units: short of `single`, and short of the threshold; without `single`, never alone.
    const near = [rise(100 * scale), quiet, quiet];
    expect(fastLevel(near, fitLevelBaseline(near, 10), 15, 6, 3, over, undefined, 150).onsetRow).toBe(-1);
    expect(fastLevel(far, fitLevelBaseline(far, 10), 15, 6, 3, over).onsetRow).toBe(-1);
  });

  it('a series constant through the baseline cannot flag alone; it still counts beside a second series', () => {
    const over = 15;
    const single = 150;
    // An error counter at 0 for the whole baseline, then 1 for three rows: z hits the cap (1000).
    const counter = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);
    const quiet = Float64Array.from([...base, 1, 1, 1, 1, 1, 1]);
    const fit = fitLevelBaseline([counter, quiet], 10);
    expect(fit.varied[0]).toBe(0);
    expect(fit.varied[1]).toBe(1);
    expect(runLevels([counter, quiet], fit, 14, 3)[0]).toBe(1000);
    expect(fastLevel([counter, quiet], fit, 15, 6, 3, over, undefined, single)).toMatchObject({ onsetRow: -1 });
    // The same at a constant non-zero level (scale 1e-3 of it): 50 → 60 reads 200 z, still not alone.
    const gauge = Float64Array.from([...new Array(12).fill(50), 60, 60, 60, 50]);
    const g = fitLevelBaseline([gauge, quiet], 10);
    expect(fastLevel([gauge, quiet], g, 15, 6, 3, over, undefined, single).onsetRow).toBe(-1);
    // A real shift of a series that varied in the baseline still flags alone (200 z-units > 150).
    const shifted = Float64Array.from([...base, 1, 1, ...new Array(3).fill(1 + 200 * scale), 1]);
    const flat = new Float64Array(16);
    const r = fastLevel([flat, shifted], fitLevelBaseline([flat, shifted], 10), 15, 6, 3, over, undefined, single);
    expect(r.onsetRow).toBe(14);
    // The counter beside a second series that moves with it: the two-series rule still flags.
    const both = Float64Array.from([...base, 1, 1, 31, 31, 31, 1]);
    const two = [counter, both];
    expect(fastLevel(two, fitLevelBaseline(two, 10), 15, 6, 3, over, undefined, single).onsetRow).toBe(14);
  });

  it("ranks a span's series by their largest deviation in units of the larger of robust scale and SD", () => {
    // a: alternates 0, 2 (robust scale 1.4826, SD 1); b: 0 but for one burst of 10 (robust scale 0.1 · SD).
    const a = Float64Array.from([...base, 1, 7, 1]);
    const b = Float64Array.from([0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 1, 0]);
    const fit = fitLevelBaseline([a, b], 10);
    expect(fit.sd[1]).toBeCloseTo(3, 9);
    const dev = spanDeviation([a, b], fit, 10, 12);
    expect(dev[0]).toBeCloseTo(6 / scale, 9); // 7 − median 1, in the robust scale (larger than the SD, 1)
    expect(dev[1]).toBeCloseTo(1 / 3, 9); // 1 − 0 in the SD: in b's robust scale (0.3) it would be 3.3
    expect(dev[0]).toBeGreaterThan(dev[1]);
    // Rows outside [from, to] do not count; a series left out is NaN.
    expect(spanDeviation([a, b], fit, 12, 12)[0]).toBeCloseTo(0, 9);
    expect(spanDeviation([a, b], fitLevelBaseline([a, b], 10, [1]), 10, 12)[1]).toBeNaN();
  });

  it("'auto' is on for a baseline of a day or more over two series or more", () => {
    expect(fastAuto(FAST_AUTO_BASELINE_MS, 2)).toBe(true);
    expect(fastAuto(FAST_AUTO_BASELINE_MS - 60_000, 38)).toBe(false);
    expect(fastAuto(7 * FAST_AUTO_BASELINE_MS, 1)).toBe(false);
  });

  it('against the window too, a level held since before the tail is no news; a new one is', () => {
    // Rows 10–19 at 31 in both series (held), then the tail rows 20–22.
    const held = Float64Array.from([...base, ...new Array(13).fill(31)]);
    const cols = [held, held.slice()];
    const fit = fitLevelBaseline(cols, 10);
    expect(fastLevel(cols, fit, 22, 3, 3, 15).onsetRow).toBe(20); // against the baseline alone: flagged
    expect(fastLevel(cols, fit, 22, 3, 3, 15, 10)).toMatchObject({ onsetRow: -1 }); // window rows 10–19 hold it
    const jump = Float64Array.from([...base, ...new Array(10).fill(1), 31, 31, 31]);
    const fresh = [jump, jump.slice()];
    expect(fastLevel(fresh, fitLevelBaseline(fresh, 10), 22, 3, 3, 15, 10).onsetRow).toBe(22);
  });

  it('a span holding a sure window is kept below the minimum window count', () => {
    const ws = (sure: boolean): FlaggedWindow[] => [
      { t: 10, start: 0, score: 0, anomalous: false },
      { t: 20, start: 10, score: 9, anomalous: true, sure },
      { t: 30, start: 20, score: 0, anomalous: false },
    ];
    const kept = ws(true);
    expect(groupSpans(kept, 2, 0)).toHaveLength(1);
    expect(kept[1].anomalous).toBe(true);
    const dropped = ws(false);
    expect(groupSpans(dropped, 2, 0)).toEqual([]);
    expect(dropped[1].anomalous).toBe(false);
  });
});

describe('fast scale in the timeline', () => {
  let topology: Topology;
  beforeAll(async () => {
    topology = await createNodeTopology();
  });
  const settings = { window: 60, stride: 10, baselineRows: 600, fast: true };

  it('flags a 3-minute rise of two of 10 series, dated to the minute, and ranks those two first', async () => {
    const frame = noise(10, 1500, 5);
    const onset = 1003; // not on a window end
    for (const j of [2, 7]) for (let i = onset; i < onset + 3; i++) frame.columns[j][i] += 25;
    const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(frame);
    expect(out.anomalies).toHaveLength(1);
    const span = out.anomalies[0];
    expect(span.detectedAt! - frame.timestamps[onset]).toBeGreaterThanOrEqual(0);
    expect(span.detectedAt! - frame.timestamps[onset]).toBeLessThan(10 * STEP);
    // The onset comes from the rows, not from the window: within the 3-row run before the crossing.
    expect(Math.abs(span.start - frame.timestamps[onset])).toBeLessThanOrEqual(2 * STEP);
    expect(out.rankings![0].slice(0, 2).sort()).toEqual(['s2', 's7']);
    // Without the fast scale the long window does not catch it within a stride.
    const plain = await new AnomalyTimeline(new InProcessRunner(topology), { ...settings, fast: false }).update(frame);
    expect(plain.anomalies.filter((a) => a.detectedAt! - frame.timestamps[onset] < 10 * STEP)).toEqual([]);
  });

  it("with fastCentre 'both', a held step opens a span as news and the span lasts while the step does", async () => {
    const frame = noise(10, 1500, 6);
    const onset = 1003;
    for (const j of [1, 8]) for (let i = onset; i < 1300; i++) frame.columns[j][i] += 25;
    const both = { ...settings, fastCentre: 'both' as const, fuseJump: false };
    const out = await new AnomalyTimeline(new InProcessRunner(topology), both).update(frame);
    const span = out.anomalies.find((a) => a.detectedAt! >= frame.timestamps[onset]);
    expect(span).toBeDefined();
    expect(span!.detectedAt! - frame.timestamps[onset]).toBeLessThan(10 * STEP);
    // Long after the window before the tail holds the step (news alone would have ended at ~onset + 60).
    expect(span!.end).toBeGreaterThanOrEqual(frame.timestamps[1290]);
  });

  it('an error counter flat through the baseline that ticks once flags nothing; a real shift of one series does', async () => {
    const frame = noise(10, 1500, 7);
    frame.columns[4].fill(0); // an error counter: 0 all along
    for (let i = 1003; i < 1008; i++) frame.columns[4][i] = 1; // one tick, held five minutes
    // Threshold 12, the long window's with the fast scale on: its own reading of the tick is about 9.
    const fastOn = { ...settings, threshold: 12 };
    const out = await new AnomalyTimeline(new InProcessRunner(topology), fastOn).update(frame);
    expect(out.anomalies).toEqual([]);
    // A series that varied in the baseline, shifted 200 of its noise SDs for five minutes: flagged alone.
    frame.columns[4].fill(0);
    for (let i = 1003; i < 1008; i++) frame.columns[6][i] += 200;
    const shifted = await new AnomalyTimeline(new InProcessRunner(topology), fastOn).update(frame);
    expect(shifted.anomalies).toHaveLength(1);
    expect(shifted.anomalies[0].detectedAt! - frame.timestamps[1003]).toBeLessThan(10 * STEP);
    expect(shifted.rankings![0][0]).toBe('s6');
  });

  it('with `sustained`, a blip the long window saw in one window alone is dropped; a longer spike stays, dated a window later', async () => {
    // One series, 20 noise SDs for 3 minutes: far below the fast scale's one-series 150, one odd window for the
    // long one, which the 3-window average spread into a two-window span.
    const frame = noise(10, 1500, 5);
    for (let i = 1003; i < 1006; i++) frame.columns[3][i] += 20;
    const run = (sustained: number, o = {}) =>
      new AnomalyTimeline(new InProcessRunner(topology), { ...settings, sustained, ...o }).update(frame);
    expect((await run(0)).anomalies).toHaveLength(1);
    expect((await run(2)).anomalies).toEqual([]);
    // The rule is the fast scale's companion: with the fast scale off the two-window rule alone still holds.
    expect((await run(2, { fast: false })).anomalies).toHaveLength(1);
    // 40 SDs: past the threshold in more than one window on its own; kept, dated when the second one came.
    for (let i = 1003; i < 1006; i++) frame.columns[3][i] += 20;
    const [before] = (await run(0)).anomalies;
    const [after] = (await run(2)).anomalies;
    expect(after).toMatchObject({ start: before.start, end: before.end });
    expect(after.detectedAt! - before.detectedAt!).toBe(10 * STEP);
  });

  it('flags nothing on stationary noise', async () => {
    for (const seed of [11, 12]) {
      const frame = noise(10, 1500, seed);
      const out = await new AnomalyTimeline(new InProcessRunner(topology), settings).update(frame);
      expect(out.anomalies).toEqual([]);
      for (const p of out.points) expect(Number.isFinite(p.score)).toBe(true);
    }
  });
});
