// The browser's WindowRunner: a pool of timeline workers, one per core (navigator.hardwareConcurrency,
// leaving one for the page). Requests queue and go to the first free worker; window blocks are transferred,
// not copied. Cancelling a request that is running terminates its worker and starts a fresh one, so a
// cancel takes effect at once instead of after the current batch.
import { wrap, transfer, type Remote } from 'comlink';
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../lib/timeline/runner.ts';
import type { TimelineWorkerApi } from './api.ts';
import { workerFailure } from '../failure.ts';

interface Job {
  request: RunnerRequest;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  remote: Remote<TimelineWorkerApi>;
  crashed: Promise<never>;
  job: Job | null;
}

/**
 * Workers for a machine: all cores but one for the page, at most 8 (each holds a WASM heap), and at least 2:
 * the page is nearly idle while windows compute and the OS shares the cores, so on a 2-core machine a second
 * worker is measured to cut the timeline by a third (npm run budget).
 */
export function defaultPoolSize(cores = navigator.hardwareConcurrency || 2): number {
  return Math.max(2, Math.min(8, cores - 1));
}

/** Buffers the request owns outright (fresh window blocks), moved to the worker instead of copied. */
function requestTransferables(r: RunnerRequest): ArrayBuffer[] {
  if (r.kind !== 'windows') return [];
  return r.tasks.map((t) => t.block.buffer as ArrayBuffer);
}

export class BrowserPool implements WindowRunner {
  readonly concurrency: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(size = defaultPoolSize()) {
    this.concurrency = size;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(i: number): Slot {
    const worker = new Worker(new URL('./timeline.worker.ts', import.meta.url), {
      type: 'module',
      name: `aura-timeline-${i}`,
    });
    return {
      worker,
      remote: wrap<TimelineWorkerApi>(worker),
      crashed: workerFailure(worker, 'a timeline worker'),
      job: null,
    };
  }

  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    return new Promise<ResponseOf<R>>((resolve, reject) => {
      if (this.closed) return reject(new Error('the worker pool is closed'));
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = { request, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const i = this.slots.findIndex((s) => s.job === job);
    if (i >= 0) {
      this.slots[i].job = null;
      this.slots[i].worker.terminate();
      this.slots[i] = this.spawn(i);
    }
    job.reject(job.signal?.reason ?? new DOMException('cancelled', 'AbortError'));
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const call = slot.remote.run(transfer(job.request, requestTransferables(job.request))) as Promise<unknown>;
      Promise.race([call, slot.crashed]).then(
        (value) => this.settle(slot, job, () => job.resolve(value)),
        (err) => this.settle(slot, job, () => job.reject(err)),
      );
    }
  }

  private settle(slot: Slot, job: Job, finish: () => void): void {
    if (slot.job !== job) return; // aborted: the slot already has a fresh worker
    slot.job = null;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    finish();
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool is closed'));
    for (const s of this.slots) s.worker.terminate();
  }
}
