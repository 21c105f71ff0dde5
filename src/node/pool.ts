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
import type { WindowResult } from '../lib/timeline/window.ts';
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

/**
 * A worker's answer: the window results of every request in the message, encoded (wire.ts) with how many
 * each request has, or one other response as it is.
 */
interface Answer {
  id: number;
  response?: unknown;
  wire?: EncodedWindows;
  counts?: number[];
  error?: string;
}

interface Slot {
  worker: Worker;
  /** Messages sent and not yet answered, oldest first: each holds one job, or several window jobs. */
  sent: Job[][];
}

/**
 * Messages each worker holds at once. With two, the next one waits in the worker's own queue: a worker
 * that finishes while the main thread is busy (scoring, planning another host) starts it at once instead of
 * idling until its answer is read (a fifth of the workers' time in a 1,000-host profile).
 */
const DEPTH = 2;
/**
 * Window requests queued one after another go to a worker in one message up to about this many windows:
 * a timeline sends batches of 2 to 11 windows, and every message costs both threads a fixed overhead.
 */
const GROUP_WINDOWS = 32;

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
      const slot: Slot = { worker, sent: [] };
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
    // Every worker gets one message before any gets a second.
    for (let depth = 0; depth < DEPTH; depth++) {
      for (const slot of this.slots) {
        if (slot.sent.length > depth || this.queue.length === 0) continue;
        const group = this.take();
        slot.sent.push(group);
        const requests = group.map((j) => j.request);
        slot.worker.postMessage({ id: group[0].id, requests }, [...new Set(requests.flatMap(requestTransferables))]);
      }
    }
  }

  /** The next queued job, with the window jobs queued right after it when it is one (GROUP_WINDOWS). */
  private take(): Job[] {
    const first = this.queue.shift()!;
    if (first.request.kind !== 'windows') return [first];
    const group = [first];
    let windows = first.request.tasks.length;
    for (let next = this.queue[0]; next?.request.kind === 'windows'; next = this.queue[0]) {
      if (windows + next.request.tasks.length > GROUP_WINDOWS) break;
      windows += next.request.tasks.length;
      group.push(this.queue.shift()!);
    }
    return group;
  }

  private finish(slot: Slot, msg: Answer): void {
    // A worker answers in the order it was sent.
    const group = slot.sent[0]?.[0].id === msg.id ? slot.sent.shift()! : [];
    const results: WindowResult[] | null = msg.wire ? decodeWindows(msg.wire) : null;
    let at = 0;
    group.forEach((job, i) => {
      if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
      if (msg.error !== undefined) job.reject(new Error(msg.error));
      else if (results) {
        const n = msg.counts![i];
        job.resolve(results.slice(at, at + n));
        at += n;
      } else job.resolve(msg.response);
    });
    this.pump();
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const slot of this.slots) for (const group of slot.sent.splice(0)) for (const job of group) job.reject(err);
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
