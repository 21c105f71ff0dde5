// A fast, baseline-relative level statistic fused with the topology as more score dimensions. For each
// series, the mean of a window's newest `tail` rows in robust z-units of that series' baseline (median and
// MAD fitted on the baseline span). A level shift or a short spike shows in the first window whose tail
// covers it, where the topology needs a whole window to see a new shape and the level jump (window.ts) is
// measured against the window itself. The largest and the second largest over the series are the
// dimensions: two metrics moving together count even when neither alone is extreme.
import { MAD_TO_SD, mad, meanStd, median } from '../cloud/stats.ts';

/** Per series, the baseline's centre and scale; scale 0 marks a series left out of the statistic. */
export interface LevelBaseline {
  centre: Float64Array;
  scale: Float64Array;
  /** The baseline's standard deviation (0 where left out): the floor of the scale spans are ranked in. */
  sd: Float64Array;
  /**
   * Per series, 1 when its baseline had any spread (SD above rounding), else 0. A series constant through
   * the baseline has no scale to read a move in (its z is the cap as soon as it moves at all: an error
   * counter going 0 → 1 once), so it may not flag on its own; it still counts beside a second series.
   */
  varied: Uint8Array;
}

/**
 * Per-series z beyond this is clipped: a series that was flat in the baseline and then moves would
 * otherwise give a z of 1e9 and turn one metric into the whole score; clipped, it still reads as extreme.
 */
export const LEVEL_Z_CAP = 1000;

/**
 * Fits each series' centre (median) and scale on rows [0, baselineRows). The scale is 1.4826 · MAD,
 * floored at a tenth of the standard deviation (series that sit at one value most of the time, with
 * bursts, have MAD 0) and at 1e-3 of the size of the median (a constant series: rounding noise is not a
 * change). Columns in `leftOut` get scale 0.
 */
export function fitLevelBaseline(columns: Float64Array[], baselineRows: number, leftOut: number[] = []): LevelBaseline {
  const m = columns.length;
  const centre = new Float64Array(m);
  const scale = new Float64Array(m);
  const sds = new Float64Array(m);
  const varied = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    if (leftOut.includes(j)) continue;
    const c = median(columns[j], 0, baselineRows);
    if (!Number.isFinite(c)) continue;
    const spread = MAD_TO_SD * mad(columns[j], 0, baselineRows, c);
    const sd = meanStd(columns[j], 0, baselineRows).std;
    centre[j] = c;
    sds[j] = Number.isFinite(sd) ? sd : 0;
    scale[j] = Math.max(spread, 0.1 * sds[j], 1e-3 * Math.abs(c), 1e-9);
    varied[j] = sds[j] > 1e-9 * Math.max(1, Math.abs(c)) ? 1 : 0;
  }
  return { centre, scale, sd: sds, varied };
}

/**
 * Per-series |z| of the mean of rows (last − tail, last] against the baseline, clipped at LEVEL_Z_CAP;
 * NaN for a series left out or with no data in the tail. With `windowFrom`, the centre is instead the
 * median of rows [windowFrom, last − tail] (the window before its tail; the scale stays the baseline's),
 * so a level the series has held for a window is no longer news.
 */
export function tailLevels(
  columns: Float64Array[],
  fit: LevelBaseline,
  last: number,
  tail: number,
  windowFrom?: number,
): Float64Array {
  const out = new Float64Array(columns.length).fill(NaN);
  const from = Math.max(0, last - tail + 1);
  for (let j = 0; j < columns.length; j++) {
    if (!(fit.scale[j] > 0)) continue;
    const centre = windowFrom === undefined ? fit.centre[j] : median(columns[j], Math.max(0, windowFrom), from);
    if (!Number.isFinite(centre)) continue;
    let n = 0;
    let s = 0;
    for (let r = from; r <= last; r++) {
      const v = columns[j][r];
      if (Number.isFinite(v)) {
        n++;
        s += v;
      }
    }
    if (n === 0) continue;
    out[j] = Math.min(LEVEL_Z_CAP, Math.abs(s / n - centre) / fit.scale[j]);
  }
  return out;
}

/** The largest and second largest finite values (0 when missing): the statistic's two score dimensions. */
export function topTwo(levels: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = 0;
  for (let j = 0; j < levels.length; j++) {
    const v = levels[j];
    if (!Number.isFinite(v)) continue;
    if (v > a) {
      b = a;
      a = v;
    } else if (v > b) b = v;
  }
  return [a, b];
}

/**
 * Per series, |mean of the `run` rows ending at `row` − baseline centre| / baseline scale, clipped at
 * LEVEL_Z_CAP; NaN for a series left out or with no data in those rows. The fast scale's per-row reading.
 */
export function runLevels(
  columns: Float64Array[],
  fit: LevelBaseline,
  row: number,
  run: number,
  centre: ArrayLike<number> = fit.centre,
): Float64Array {
  const out = new Float64Array(columns.length).fill(NaN);
  const from = Math.max(0, row - run + 1);
  for (let j = 0; j < columns.length; j++) {
    if (!(fit.scale[j] > 0)) continue;
    let n = 0;
    let s = 0;
    for (let r = from; r <= row; r++) {
      const v = columns[j][r];
      if (Number.isFinite(v)) {
        n++;
        s += v;
      }
    }
    if (n > 0 && Number.isFinite(centre[j])) out[j] = Math.min(LEVEL_Z_CAP, Math.abs(s / n - centre[j]) / fit.scale[j]);
  }
  return out;
}

export interface FastReading {
  /** Largest per-row value over the tail (0 when no row has two series). */
  value: number;
  /** Row that gave it (−1 when none). */
  peakRow: number;
  /** First row of the tail whose value exceeds `over` (−1 when none). */
  onsetRow: number;
}

/**
 * The fast scale: every row of the window's newest `tail` rows scored on its own, not averaged into the
 * window. A row's value is the second largest runLevels over the series: two metrics at once at least
 * that far from their baseline, over `run` rows (one-sample glitches of one metric do not count). With
 * `single` finite, one series alone that far (`single` > `over`) also reaches `over`: the row's value is
 * then the larger of the second largest and the largest scaled by over / single; only series whose
 * baseline varied (LevelBaseline.varied) may flag alone. The window reads the
 * largest row value, and the first row above `over` dates the onset to the minute.
 */
export function fastLevel(
  columns: Float64Array[],
  fit: LevelBaseline,
  last: number,
  tail: number,
  run: number,
  over: number,
  windowFrom?: number,
  single = Infinity,
): FastReading {
  const reading: FastReading = { value: 0, peakRow: -1, onsetRow: -1 };
  const first = Math.max(0, last - tail + 1);
  // With `windowFrom`, a row must also stand out from the median of the window before the tail: a level
  // the series has held for a window (a drift, a daily cycle the baseline did not cover) is not news.
  const recent =
    windowFrom === undefined
      ? null
      : columns.map((c, j) => (fit.scale[j] > 0 ? median(c, Math.max(0, windowFrom), first) : NaN));
  for (let r = first; r <= last; r++) {
    const levels = runLevels(columns, fit, r, run);
    if (recent) {
      const local = runLevels(columns, fit, r, run, recent);
      for (let j = 0; j < levels.length; j++)
        levels[j] = Math.min(levels[j], Number.isFinite(local[j]) ? local[j] : Infinity);
    }
    const second = Math.max(topTwo(levels)[1], (alone(levels, fit.varied) * over) / single);
    if (second > reading.value) {
      reading.value = second;
      reading.peakRow = r;
    }
    if (reading.onsetRow < 0 && second > over) reading.onsetRow = r;
  }
  return reading;
}

/** The largest finite level among the series whose baseline varied (0 when none): the one-series rule's reading. */
function alone(levels: Float64Array, varied: Uint8Array): number {
  let a = 0;
  for (let j = 0; j < levels.length; j++) if (varied[j] && levels[j] > a) a = levels[j];
  return a;
}

/**
 * Per series, the largest |value − baseline centre| over rows [from, to], in units of the larger of the
 * baseline's robust scale and its standard deviation (clipped at LEVEL_Z_CAP; NaN for a series left out
 * or with no data there): how the fast scale ranks a span's series. The robust scale alone is tiny for a
 * series that sits at one value with bursts, and such series then outranked the ones that moved far
 * (SMD dev machines, the spans that first caught each labelled segment: chosen by leave-one-machine-out
 * against the robust scale, 0.25 and 0.5 of the SD, and 3-row means; held-out HitRate@100% 0.73 → 0.86).
 */
export function spanDeviation(columns: Float64Array[], fit: LevelBaseline, from: number, to: number): Float64Array {
  const out = new Float64Array(columns.length).fill(NaN);
  for (let j = 0; j < columns.length; j++) {
    if (!(fit.scale[j] > 0)) continue;
    const scale = Math.max(fit.scale[j], fit.sd[j]);
    let best = -1;
    for (let r = Math.max(0, from); r <= to && r < columns[j].length; r++) {
      const v = columns[j][r];
      if (Number.isFinite(v)) best = Math.max(best, Math.abs(v - fit.centre[j]));
    }
    if (best >= 0) out[j] = Math.min(LEVEL_Z_CAP, best / scale);
  }
  return out;
}
