// The app's state, one instance (`app`). Views read its fields; the sources (file drop, demo, Prometheus
// live mode) call analyzeFrame/appendFrame. Every heavy step runs in a worker.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { PHResult } from '../../lib/tda/types.ts';
import type { Report } from '../../lib/report/types.ts';
import { createEngineClient, type EngineClient } from '../../workers/engine/client.ts';
import { exampleCloud } from './example-cloud.ts';
import { CancelledError, describeError, isCancelled, type Progress } from './job.ts';

export type Status = 'idle' | 'importing' | 'analyzing' | 'predicting' | 'ready' | 'error';

/** The selected window's cloud and its persistence, for the topology view. */
export interface WindowDetail {
  /** Index into report.timeline; -1 for the built-in example cloud. */
  index: number;
  label: string;
  points: Float64Array;
  n: number;
  d: number;
  result: PHResult;
}

export class AppState {
  frame = $state.raw<MetricFrame | null>(null);
  /** Where the current frame came from: a file name, `demo`, a Prometheus URL. */
  origin = $state('');
  report = $state.raw<Report | null>(null);
  /** Index into report.timeline of the window every view highlights; -1 = none. */
  selectedWindow = $state(-1);
  detail = $state.raw<WindowDetail | null>(null);
  status = $state<Status>('idle');
  progress = $state<Progress | null>(null);
  /** A message for the user when the last action failed; says what to do. */
  error = $state<string | null>(null);
  /** Which onnxruntime execution provider ran the predictions (`webgpu` or `wasm`). */
  executionProvider = $state<string | null>(null);

  #engine: EngineClient | null = null;
  #job: AbortController | null = null;

  get busy(): boolean {
    return this.progress !== null;
  }

  /** Full analysis of a frame: timeline over all windows, report, predictions. */
  async analyzeFrame(frame: MetricFrame, origin: string): Promise<void> {
    this.frame = frame;
    this.origin = origin;
    throw new Error('the analysis pipeline is not wired yet');
  }

  /** Live mode: `frame` holds only new samples; computes the new windows and updates views in place. */
  async appendFrame(frame: MetricFrame): Promise<void> {
    void frame;
    throw new Error('live append is not wired yet');
  }

  /** Topology of the built-in example cloud (shown before any data is analysed). */
  async showExample(): Promise<void> {
    const { points, n, d } = exampleCloud();
    await this.#run('Computing example persistence', async () => {
      const result = await this.engine().computePoints(points, n, d, { maxDim: 1, cocycles: true });
      this.detail = { index: -1, label: 'Example cloud: a noisy circle beside a blob', points, n, d, result };
    });
  }

  cancel(): void {
    this.#job?.abort();
  }

  dismissError(): void {
    this.error = null;
  }

  engine(): EngineClient {
    this.#engine ??= createEngineClient();
    return this.#engine;
  }

  /** Runs one long task: cancels the previous one, tracks progress, turns failures into a message. */
  async #run(
    task: string,
    fn: (signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<void>,
  ) {
    this.#job?.abort();
    const job = new AbortController();
    this.#job = job;
    this.error = null;
    this.progress = { task, done: 0, total: 0 };
    try {
      await fn(job.signal, (done, total) => {
        if (this.#job === job) this.progress = { task, done, total };
      });
      if (job.signal.aborted) throw new CancelledError();
    } catch (e) {
      if (this.#job !== job) return; // superseded by a newer task
      if (!isCancelled(e)) {
        this.error = describeError(e);
        this.status = 'error';
      }
    } finally {
      if (this.#job === job) {
        this.#job = null;
        this.progress = null;
      }
    }
  }
}

export const app = new AppState();
