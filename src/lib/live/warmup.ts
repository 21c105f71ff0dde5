// How long live mode must wait before the timeline has its first window, and how much history to read on
// connecting so that, where Prometheus has it, there is no wait at all. Mirrors the rule in
// timeline/timeline.ts (fit): a baseline of four windows (plus a delay-embedding lookback for one series)
// and a stride to score at the configured window, or a window narrowed down to 16 samples (stride in
// proportion) with three strides to score. test/unit/live-warmup.test.ts checks both against each other.

export interface WarmupWindowing {
  /** Window width in samples. */
  window: number;
  /** Samples between window ends. */
  stride: number;
  /** The cloud builder chosen in settings; `auto` = delay embedding for one series, state otherwise. */
  cloud: 'auto' | 'state' | 'takens';
}

const MIN_BASELINE_WINDOWS = 4;
const MIN_SCORED_WINDOWS = 3;
const MIN_WIDTH = 16;

function baselineRows(width: number, stride: number, takens: boolean): number {
  const lookback = takens ? 4 * Math.max(1, Math.floor(width / 4)) : 0;
  return lookback + width + (MIN_BASELINE_WINDOWS - 1) * stride;
}

const isTakens = (w: WarmupWindowing, series: number) => w.cloud === 'takens' || (w.cloud === 'auto' && series === 1);

/** Samples the timeline needs to run at the configured window (no narrowing). */
export function samplesForWindow(w: WarmupWindowing, series: number): number {
  return baselineRows(w.window, w.stride, isTakens(w, series)) + w.stride;
}

/** Samples (time steps) before the timeline's first window, narrowed if need be, for `series` series. */
export function samplesNeeded(w: WarmupWindowing, series: number): number {
  const takens = isTakens(w, series);
  let need = samplesForWindow(w, series);
  for (let width = w.window - 1; width >= Math.min(MIN_WIDTH, w.window); width--) {
    const stride = Math.max(1, Math.round((width * w.stride) / w.window));
    need = Math.min(need, baselineRows(width, stride, takens) + MIN_SCORED_WINDOWS * stride);
  }
  return need;
}

/**
 * History to read on connecting: the user's choice, or more when the baseline needs more (the series
 * count is not known before the read, so the larger need, one series, is assumed), with a few steps spare
 * for samples Prometheus has not evaluated yet.
 */
export function initialLookbackMs(userLookbackMs: number, stepMs: number, w: WarmupWindowing): number {
  const need = (samplesForWindow(w, 1) + 5) * stepMs;
  return Math.max(userLookbackMs, need);
}

export interface Warmup {
  /** What is being waited for, in words. */
  what: string;
  /** Samples still missing. */
  missing: number;
  /** Epoch ms when the last missing sample is due. */
  readyAt: number;
}

/**
 * The wait before the first window, or null when there is none: `have` samples on the grid so far (the
 * newest at `lastT`), `stepMs` apart.
 */
export function baselineWarmup(
  w: WarmupWindowing,
  series: number,
  have: number,
  lastT: number,
  stepMs: number,
): Warmup | null {
  if (series === 0) return null;
  const missing = samplesNeeded(w, series) - have;
  if (missing <= 0) return null;
  return {
    what: `Learning the baseline: ${have} of ${samplesNeeded(w, series)} samples`,
    missing,
    readyAt: lastT + missing * stepMs,
  };
}

/** "4 min 05 s", "40 s", "1 h 02 min" — a countdown's remaining time. */
export function countdownWords(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
