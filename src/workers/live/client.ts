// The page's handle on the live source worker (created on first use). Each connection is a session there;
// aborting its signal stops the session's requests and poller.
import { wrap, type Remote } from 'comlink';
import type { BuildInfo, RangeQuery } from '../../lib/prometheus/index.ts';
import type { PackedSamples } from '../../lib/live/packed.ts';
import type { TimeRange } from '../../lib/live/poller.ts';
import { workerFailure } from '../failure.ts';
import type { LiveSourceApi, SourceOptions, SourceUpdate } from './api.ts';

let worker: { remote: Remote<LiveSourceApi>; crashed: Promise<never> } | null = null;
let sessions = 0;

function theWorker() {
  if (!worker) {
    const w = new Worker(new URL('./source.worker.ts', import.meta.url), { type: 'module', name: 'aura-live-source' });
    worker = { remote: wrap<LiveSourceApi>(w), crashed: workerFailure(w, 'the live source worker') };
  }
  return worker;
}

/** A connection to Prometheus for live mode, read in the live source worker. */
export class LiveSource {
  readonly #id = ++sessions;
  readonly #signal: AbortSignal;
  readonly #w = theWorker();

  /** `signal`: aborting it ends the connection (requests in flight are cancelled). */
  constructor(signal: AbortSignal) {
    this.#signal = signal;
    signal.addEventListener('abort', () => void this.#w.remote.stop(this.#id), { once: true });
  }

  #call<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.#w.crashed]);
  }

  /** Sets up the client there and tests the connection (its errors say what to do). */
  connect(options: SourceOptions): Promise<BuildInfo> {
    return this.#call(this.#w.remote.connect(this.#id, options));
  }

  /** The history before the live window, at its own step. */
  history(queries: RangeQuery[], range: TimeRange): Promise<PackedSamples> {
    return this.#call(this.#w.remote.history(this.#id, queries, range));
  }

  /** The poller's updates (the first read, then new samples each step) until the signal aborts. */
  async *updates(
    queries: RangeQuery[],
    options: { stepMs: number; lookbackMs: number },
  ): AsyncGenerator<Exclude<SourceUpdate, { kind: 'done' }>> {
    await this.#call(this.#w.remote.poll(this.#id, queries, options));
    while (!this.#signal.aborted) {
      const u = await this.#call<SourceUpdate>(this.#w.remote.next(this.#id));
      if (u.kind === 'done') return;
      yield u;
    }
  }
}
