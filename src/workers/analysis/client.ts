// The page's handle on the analysis worker (created on first use): opens analyses there, runs their
// timelines with the page's callbacks, and fetches a recorded window for the topology view.
import { proxy, wrap, type Remote } from 'comlink';
import type { AlignedFrame, MetricFrame } from '../../lib/frame/types.ts';
import type { Report, TimelinePoint } from '../../lib/report/types.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { Settings } from '../../lib/analysis/settings.ts';
import type { TimelineProgress } from '../../lib/timeline/timeline.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import { workerFailure } from '../failure.ts';
import type { AnalysisHost, AnalysisScope, AnalysisWorkerApi, LiveArgs, LiveResult } from './api.ts';
import type { RecordedWindow } from './recording-runner.ts';
import type { SeriesId } from '../../lib/live/packed.ts';

export interface TimelineCall {
  signal: AbortSignal;
  origin: string;
  /** The frame already aligned (by the ingest worker), or null to align it in the worker. */
  aligned: AlignResult | null;
  /** The frame on its time grid: the alignment given, or the worker's. */
  onAligned(frame: AlignedFrame): void;
  onProgress(p: TimelineProgress): void;
  onPoints(p: TimelinePoint[]): void;
  /** The first window sent to the pool, when given (a new analysis). */
  onFirstWindow?(config: WindowConfig, task: WindowTask): void;
}

export class AnalysisClient {
  readonly #remote: Remote<AnalysisWorkerApi>;
  readonly #crashed: Promise<never>;
  #ids = 0;
  #jobs = 0;

  constructor() {
    const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'aura-analysis',
    });
    this.#remote = wrap<AnalysisWorkerApi>(worker);
    this.#crashed = workerFailure(worker, 'the analysis worker');
    // The pool's workers load their WebAssembly while the page is idle.
    void this.#remote.prepare();
  }

  /** A new analysis in the worker; its id names it in the calls below. */
  open(settings: Settings, scope: AnalysisScope): number {
    const id = ++this.#ids;
    void this.#remote.open(id, settings, scope);
    return id;
  }

  /** The timeline of `frame` for analysis `id`, as a Report without predictions. */
  timeline(id: number, frame: MetricFrame, call: TimelineCall): Promise<Report> {
    const args = { frame, aligned: call.aligned, origin: call.origin, preview: call.onFirstWindow !== undefined };
    return this.#job(call, (job, host) => this.#remote.timeline(id, job, args, host));
  }

  /**
   * A live analysis whose data the worker holds: `history` (the baseline, or null) and the live samples;
   * `table` names the series by index, as later updates' packed samples do.
   */
  openLive(
    settings: Settings,
    scope: AnalysisScope,
    history: MetricFrame | null,
    live: MetricFrame,
    table: SeriesId[],
  ): number {
    const id = ++this.#ids;
    void this.#remote.openLive(id, settings, scope, history, live, table);
    return id;
  }

  /** A live update of analysis `id`: only `args.update`'s new samples travel to the worker. */
  live(
    id: number,
    args: LiveArgs,
    call: Omit<TimelineCall, 'aligned' | 'onAligned' | 'onFirstWindow'>,
  ): Promise<LiveResult> {
    return this.#job({ ...call, aligned: null, onAligned: () => {} }, (job, host) =>
      this.#remote.live(id, job, args, host),
    );
  }

  /** Runs `start` as a job of the worker with the page's callbacks; aborting `call.signal` cancels it there. */
  async #job<T>(call: TimelineCall, start: (job: number, host: AnalysisHost) => Promise<T>): Promise<T> {
    call.signal.throwIfAborted();
    const job = ++this.#jobs;
    const onAbort = () => void this.#remote.cancel(job);
    call.signal.addEventListener('abort', onAbort, { once: true });
    const host = proxy({
      aligned: (a: AlignedFrame | null) => call.onAligned(a ?? call.aligned!.frame),
      progress: (p: TimelineProgress) => call.onProgress(p),
      points: (p: TimelinePoint[]) => call.onPoints(p),
      firstWindow: (config: WindowConfig, task: WindowTask) => call.onFirstWindow?.(config, task),
    });
    try {
      return await Promise.race([start(job, host), this.#crashed]);
    } finally {
      call.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The recorded window of analysis `id` (of `entity`) ending nearest to `key`. */
  window(id: number, key: number, entity?: string): Promise<RecordedWindow | undefined> {
    return Promise.race([this.#remote.window(id, key, entity), this.#crashed]);
  }

  /** Keeps analysis `id`'s frame and `report` for offline use, in the worker (see AnalysisWorkerApi.keep). */
  keep(id: number, origin: string, report: Report): Promise<void> {
    return Promise.race([this.#remote.keep(id, origin, report), this.#crashed]);
  }

  close(id: number): void {
    void this.#remote.close(id);
  }
}
