// Messages of the live source worker: it talks to Prometheus for live mode (the connection test, the history
// read, and the poller), parses the JSON there, and hands the page new samples packed by series index, so
// the page's thread does no parsing and no per-sample work while a 1,000-host fleet updates.
import type { Auth, BuildInfo, RangeQuery } from '../../lib/prometheus/index.ts';
import type { PackedSamples } from '../../lib/live/packed.ts';
import type { TimeRange } from '../../lib/live/poller.ts';

export interface SourceOptions {
  baseUrl: string;
  auth?: Auth;
  headers?: Record<string, string>;
}

/** One poll's outcome: new samples (the first read, then only samples not seen before), or why none came. */
export type SourceUpdate =
  | {
      kind: 'initial' | 'append';
      samples: PackedSamples;
      range: TimeRange;
      /** Samples in `samples`, and their distinct timestamps (the time steps this poll added). */
      count: number;
      steps: number;
      /** When the poll's requests went out and when its answers were parsed (ms since the epoch, fractional). */
      polledAt: number;
      readAt: number;
    }
  | { kind: 'error'; message: string; retryInMs: number }
  /** The session was stopped (or replaced by a new connection). */
  | { kind: 'done' };

export interface LiveSourceApi {
  /** Starts session `session` against a server (ending any other) and tests the connection. */
  connect(session: number, options: SourceOptions): Promise<BuildInfo>;
  /** The history before the live window, at its own step, packed by the session's series table. */
  history(session: number, queries: RangeQuery[], range: TimeRange): Promise<PackedSamples>;
  /** Starts polling: the first read covers `lookbackMs`, then one read per step. */
  poll(session: number, queries: RangeQuery[], options: { stepMs: number; lookbackMs: number }): void;
  /** The next update of the session's poller (waits for it). */
  next(session: number): Promise<SourceUpdate>;
  /** Ends session `session`: its requests are cancelled and its poller stops. */
  stop(session: number): void;
}
