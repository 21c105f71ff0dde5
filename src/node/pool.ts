// A WindowRunner over worker_threads, one worker per core. From source (vitest, `node bin/run-ts.js`) the
// workers run TypeScript through tsx; in the built CLI they run the bundled worker entry.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  requestTransferables,
  type ResponseOf,
  type RunnerRequest,
  type WindowRunner,
} from '../lib/timeline/runner.ts';

interface Job {
  id: number;
  request: RunnerRequest;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

// This module is TypeScript in the source tree and part of a bundle in dist-node/, beside worker.js (the
// CLI build keeps every chunk in that one folder). From source, a JavaScript stub registers tsx first.
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL('./worker-boot.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

export class NodePool implements WindowRunner {
  readonly concurrency: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private failure: Error | null = null;

  constructor(size = availableParallelism()) {
    this.concurrency = Math.max(1, size);
    for (let i = 0; i < this.concurrency; i++) {
      const worker = new Worker(workerUrl);
      const slot: Slot = { worker, job: null };
      worker.on('message', (msg: { id: number; response?: unknown; error?: string }) => this.finish(slot, msg));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`a timeline worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  private closed = false;

  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (this.closed) return reject(new Error('the worker pool is closed'));
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = { id: this.nextId++, request, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        job.onAbort = () => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) this.queue.splice(queued, 1);
          // A job already in a worker runs to its end; its answer is dropped.
          reject(signal.reason);
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, request: job.request }, requestTransferables(job.request));
    }
  }

  private finish(slot: Slot, msg: { id: number; response?: unknown; error?: string }): void {
    const job = slot.job;
    slot.job = null;
    if (job && job.id === msg.id) {
      if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
      if (msg.error !== undefined) job.reject(new Error(msg.error));
      else job.resolve(msg.response);
    }
    this.pump();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const slot of this.slots) {
      slot.job?.reject(err);
      slot.job = null;
    }
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
