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
import type { AnalysisScope, AnalysisWorkerApi } from './api.ts';
import type { RecordedWindow } from './recording-runner.ts';

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
  async timeline(id: number, frame: MetricFrame, call: TimelineCall): Promise<Report> {
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
    const args = { frame, aligned: call.aligned, origin: call.origin, preview: call.onFirstWindow !== undefined };
    try {
      return await Promise.race([this.#remote.timeline(id, job, args, host), this.#crashed]);
    } finally {
      call.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The recorded window of analysis `id` (of `entity`) ending nearest to `key`. */
  window(id: number, key: number, entity?: string): Promise<RecordedWindow | undefined> {
    return Promise.race([this.#remote.window(id, key, entity), this.#crashed]);
  }

  close(id: number): void {
    void this.#remote.close(id);
  }
}
