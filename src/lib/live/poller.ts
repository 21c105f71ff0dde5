// Live mode's clock: reads the recent past once, then polls every step and yields only the samples it has
// not yielded before, as a MetricFrame holding just those samples. The grid stays aligned to the step so
// every poll lands on the same timestamps Prometheus evaluated before.
import type { MetricFrame, Series } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';

export interface TimeRange {
  /** Epoch ms, inclusive, a multiple of stepMs. */
  start: number;
  /** Epoch ms, inclusive, a multiple of stepMs. */
  end: number;
  stepMs: number;
}

/** Reads every live query over a range (a Prometheus query_range per query, merged into one frame). */
export type FetchRange = (range: TimeRange, signal: AbortSignal) => Promise<MetricFrame>;

export type LiveUpdate =
  | { kind: 'initial'; frame: MetricFrame; range: TimeRange }
  | { kind: 'append'; frame: MetricFrame; range: TimeRange; samples: number }
  | { kind: 'error'; error: unknown; retryInMs: number };

export interface PollerOptions {
  fetchRange: FetchRange;
  stepMs: number;
  /** How much history the first read covers, in ms. */
  lookbackMs: number;
  /** Each poll re-reads this many steps before the last one seen, in case a scrape arrived late. */
  overlapSteps?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Longest wait between retries after failures, in ms. */
  maxBackoffMs?: number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Keeps, per series, the samples later than the last one already yielded; records the new high marks. */
export function newSamplesOnly(
  frame: MetricFrame,
  lastSeen: Map<string, number>,
): { frame: MetricFrame; samples: number } {
  const series: Series[] = [];
  let samples = 0;
  for (const s of frame.series) {
    const key = seriesKey(s);
    const after = lastSeen.get(key) ?? -Infinity;
    let first = 0;
    while (first < s.timestamps.length && s.timestamps[first] <= after) first++;
    if (first === s.timestamps.length) continue;
    const kept: Series = {
      ...s,
      timestamps: s.timestamps.slice(first),
      values: s.values.slice(first),
    };
    lastSeen.set(key, kept.timestamps[kept.timestamps.length - 1]);
    samples += kept.timestamps.length;
    series.push(kept);
  }
  return { frame: { series, meta: frame.meta }, samples };
}

export class Poller {
  readonly #o: Required<Omit<PollerOptions, 'now' | 'sleep'>> & Pick<PollerOptions, 'now' | 'sleep'>;

  constructor(options: PollerOptions) {
    if (!(options.stepMs > 0)) throw new Error(`live polling needs a positive step, got ${options.stepMs} ms`);
    if (!(options.lookbackMs >= options.stepMs)) {
      throw new Error(
        `the first read must cover at least one step (lookback ${options.lookbackMs} ms < step ${options.stepMs} ms)`,
      );
    }
    this.#o = { overlapSteps: 2, maxBackoffMs: 60_000, ...options };
  }

  /** Yields the initial frame, then one update per step with new samples; ends when `signal` aborts. */
  async *updates(signal: AbortSignal): AsyncGenerator<LiveUpdate> {
    const { fetchRange, stepMs, lookbackMs, overlapSteps, maxBackoffMs } = this.#o;
    const now = this.#o.now ?? Date.now;
    const sleep = this.#o.sleep ?? abortableSleep;
    const lastSeen = new Map<string, number>();
    const onGrid = (t: number) => Math.floor(t / stepMs) * stepMs;

    let failures = 0;
    let cursor = -1; // the end of the last successful read
    while (!signal.aborted) {
      const end = onGrid(now());
      const range: TimeRange =
        cursor < 0
          ? { start: end - onGrid(lookbackMs), end, stepMs }
          : { start: Math.max(cursor - overlapSteps * stepMs, end - onGrid(lookbackMs)), end, stepMs };
      if (cursor < 0 || end > cursor) {
        try {
          const frame = await fetchRange(range, signal);
          failures = 0;
          if (cursor < 0) {
            newSamplesOnly(frame, lastSeen);
            cursor = end;
            yield { kind: 'initial', frame, range };
          } else {
            cursor = end;
            const fresh = newSamplesOnly(frame, lastSeen);
            if (fresh.samples > 0) yield { kind: 'append', frame: fresh.frame, range, samples: fresh.samples };
          }
        } catch (error) {
          if (signal.aborted) return;
          failures++;
          const retryInMs = Math.min(maxBackoffMs, stepMs * 2 ** Math.min(failures - 1, 6));
          yield { kind: 'error', error, retryInMs };
          try {
            await sleep(retryInMs, signal);
          } catch {
            return;
          }
          continue;
        }
      }
      // Wake just after the next grid point so Prometheus can evaluate it.
      const wait = onGrid(now()) + stepMs - now() + Math.min(1000, stepMs / 10);
      try {
        await sleep(Math.max(0, wait), signal);
      } catch {
        return;
      }
    }
  }
}
