// The one long task at a time (import, analysis, prediction, what-if): its status, progress and error, and
// how to cancel it. A task that fails before it replaced what is shown restarts the one it interrupted.
import { CancelledError, describeError, isCancelled, type Progress } from './job.ts';

export type Status = 'idle' | 'importing' | 'analyzing' | 'predicting' | 'ready' | 'error';
export type ProgressFn = (done: number, total: number, task?: string) => void;
export type Task = (signal: AbortSignal, progress: ProgressFn) => Promise<void>;

export class JobState {
  status = $state<Status>('idle');
  progress = $state<Progress | null>(null);
  /** A message for the user when the last action failed; says what to do. */
  error = $state<string | null>(null);

  #job: AbortController | null = null;
  /** The running task: how to start it again, and whether it has begun replacing what is shown. */
  #active: { restart?: () => Promise<void>; touched: boolean } | null = null;
  readonly #hasResult: () => boolean;
  readonly #onEnd: () => void;

  /** `hasResult`: whether a finished analysis is shown (a cancelled task leaves it 'ready'). */
  constructor(hasResult: () => boolean, onEnd: () => void) {
    this.#hasResult = hasResult;
    this.#onEnd = onEnd;
  }

  // Derived: readers (buttons, forms) change when the flag does, not on each of the ten progress updates a second.
  readonly #busy = $derived(this.progress !== null);
  get busy(): boolean {
    return this.#busy;
  }

  /** The running task has begun replacing what is shown: a failure no longer restarts the one it interrupted. */
  touch(): void {
    if (this.#active) this.#active.touched = true;
  }

  /** Runs one long task: cancels the previous one, tracks progress, turns failures into a message. */
  async run(task: string, fn: Task, restart?: () => Promise<void>, keepError = false): Promise<void> {
    // An analysis this task interrupts is resumed if the task fails before replacing it (a broken file
    // must not cost the user the analysis they were waiting for).
    const interrupted = this.#job ? this.#active : null;
    this.#job?.abort();
    const job = new AbortController();
    this.#job = job;
    const active = (this.#active = { restart, touched: false });
    if (!keepError) this.error = null;
    this.progress = { task, done: 0, total: 0 };
    const progress: ProgressFn = (done, total, label) => {
      if (this.#job === job) this.progress = { task: label ?? this.progress?.task ?? task, done, total };
    };
    try {
      await fn(job.signal, progress);
      if (job.signal.aborted) throw new CancelledError();
    } catch (e) {
      if (this.#job !== job) return; // superseded by a newer task
      if (isCancelled(e)) {
        this.status = this.#hasResult() ? 'ready' : 'idle';
      } else {
        this.error = describeError(e);
        this.status = 'error';
        if (!active.touched && interrupted?.restart) queueMicrotask(() => void interrupted.restart?.());
      }
    } finally {
      if (this.#job === job) {
        this.#job = null;
        this.progress = null;
        this.#onEnd();
      }
    }
  }

  cancel(): void {
    this.#job?.abort();
  }

  /** Drops the running task at once: it no longer owns the progress bar or the views. */
  drop(): void {
    this.#job?.abort();
    this.#job = null;
    this.#active = null;
    this.progress = null;
  }

  dismissError(): void {
    this.error = null;
  }
}
