// A WindowRunner that passes requests to the pool and keeps each window's block and config, so the
// topology view can rebuild exactly the cloud the timeline measured when the user selects that window.
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../lib/timeline/runner.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';

export class RecordingRunner implements WindowRunner {
  private readonly tasks = new Map<number, WindowTask>();
  config: WindowConfig | null = null;
  /** Called once with the first window sent after `clear()`, so its topology can be shown early. */
  onFirstWindow: ((config: WindowConfig, task: WindowTask) => void) | null = null;

  constructor(private readonly inner: WindowRunner) {}

  get concurrency(): number {
    return this.inner.concurrency;
  }

  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    if (request.kind === 'windows') {
      this.config = request.config;
      // Copies: the request's own blocks are transferred to a worker.
      for (const t of request.tasks) this.tasks.set(t.key, { key: t.key, rows: t.rows, block: t.block.slice() });
      const first = this.onFirstWindow;
      if (first && request.tasks.length > 0) {
        this.onFirstWindow = null;
        first(request.config, this.tasks.get(request.tasks[0].key)!);
      }
    }
    return this.inner.run(request, signal);
  }

  /** The window that ends at `key`, as it was sent to the pool. */
  task(key: number): WindowTask | undefined {
    return this.tasks.get(key);
  }

  clear(): void {
    this.tasks.clear();
    this.config = null;
    this.onFirstWindow = null;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
