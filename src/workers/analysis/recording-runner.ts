// A window runner that passes requests to the pool and keeps each window's block and config, per entity, so
// the topology view can rebuild exactly the cloud the timeline measured when the user selects that window.
// A fleet's entities share window ends, so windows are kept per entity: the fleet timeline names, at each
// time, the entity whose score it shows, and that entity's cloud is the one to draw.
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../lib/timeline/runner.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';

/** A window as it was sent to the pool, with the config of the timeline that sent it. */
export interface RecordedWindow {
  entity: string;
  config: WindowConfig;
  task: WindowTask;
}

/** Where windows go that no entity's timeline sent (a runner used without runnerFor). */
const UNNAMED = '';

export class RecordingRunner implements WindowRunner {
  readonly #inner: WindowRunner;
  readonly #byEntity = new Map<string, { config: WindowConfig | null; tasks: Map<number, WindowTask> }>();
  readonly #views = new Map<string, WindowRunner>();
  /** Called once with the first window sent after `clear()`, so its topology can be shown early. */
  onFirstWindow: ((config: WindowConfig, task: WindowTask) => void) | null = null;

  constructor(inner: WindowRunner) {
    this.#inner = inner;
  }

  get concurrency(): number {
    return this.#inner.concurrency;
  }

  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    return this.#record(UNNAMED, request, signal);
  }

  /** The runner one entity's timeline sends its requests through (same pool, windows recorded under it). */
  forEntity(entity: string): WindowRunner {
    let view = this.#views.get(entity);
    if (!view) {
      view = {
        concurrency: this.#inner.concurrency,
        run: (request, signal) => this.#record(entity, request, signal),
        close: async () => {},
      };
      this.#views.set(entity, view);
    }
    return view;
  }

  /**
   * The window of `entity` that ends nearest to `key` (fleet times are snapped to a common grid, so an
   * entity's own window end may differ by less than a stride). Without an entity, or when it recorded
   * nothing, the nearest window of any entity.
   */
  window(key: number, entity?: string): RecordedWindow | undefined {
    const named = entity === undefined ? undefined : this.#byEntity.get(entity);
    const candidates = named ? [[entity!, named] as const] : [...this.#byEntity];
    let best: RecordedWindow | undefined;
    let bestD = Infinity;
    for (const [name, rec] of candidates) {
      if (!rec.config) continue;
      const exact = rec.tasks.get(key);
      if (exact) return { entity: name, config: rec.config, task: exact };
      for (const [k, task] of rec.tasks) {
        const d = Math.abs(k - key);
        if (d < bestD) {
          bestD = d;
          best = { entity: name, config: rec.config, task };
        }
      }
    }
    return best;
  }

  clear(): void {
    this.#byEntity.clear();
    this.onFirstWindow = null;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #record<R extends RunnerRequest>(entity: string, request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    if (request.kind === 'windows') {
      let rec = this.#byEntity.get(entity);
      if (!rec) this.#byEntity.set(entity, (rec = { config: null, tasks: new Map() }));
      rec.config = request.config;
      // Copies: the request's own blocks are transferred to a worker.
      for (const t of request.tasks) rec.tasks.set(t.key, { ...t, block: t.block.slice() });
      const first = this.onFirstWindow;
      if (first && request.tasks.length > 0) {
        this.onFirstWindow = null;
        first(request.config, rec.tasks.get(request.tasks[0].key)!);
      }
    }
    return this.#inner.run(request, signal);
  }
}
