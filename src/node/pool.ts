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
import { workerUrl } from './worker-url.ts';
import { decodeWindows, type EncodedWindows } from '../lib/timeline/wire.ts';

interface Job {
  id: number;
  request: RunnerRequest;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A worker's answer: window results come encoded (wire.ts), other responses as they are. */
interface Answer {
  id: number;
  response?: unknown;
  wire?: EncodedWindows;
  error?: string;
}

interface Slot {
  worker: Worker;
  /** Sent and not yet answered, oldest first. */
  jobs: Job[];
}

/**
 * Requests each worker holds at once. With two, the next one waits in the worker's own queue: a worker
 * that finishes while the main thread is busy (scoring, planning another host) starts it at once instead of
 * idling until its answer is read (a fifth of the workers' time in a 1,000-host profile).
 */
const DEPTH = 2;

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
      const slot: Slot = { worker, jobs: [] };
      worker.on('message', (msg: Answer) => this.finish(slot, msg));
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
    // Every worker gets one before any gets a second.
    for (let depth = 0; depth < DEPTH; depth++) {
      for (const slot of this.slots) {
        if (slot.jobs.length > depth || this.queue.length === 0) continue;
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        slot.worker.postMessage({ id: job.id, request: job.request }, requestTransferables(job.request));
      }
    }
  }

  private finish(slot: Slot, msg: Answer): void {
    // A worker answers in the order it was sent.
    const job = slot.jobs[0]?.id === msg.id ? slot.jobs.shift() : undefined;
    if (job) {
      if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
      if (msg.error !== undefined) job.reject(new Error(msg.error));
      else job.resolve(msg.wire ? decodeWindows(msg.wire) : msg.response);
    }
    this.pump();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const slot of this.slots) for (const job of slot.jobs.splice(0)) job.reject(err);
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
