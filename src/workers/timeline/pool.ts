// The browser's WindowRunner: a pool of timeline workers, one per core (navigator.hardwareConcurrency,
// leaving one for the page). Requests queue and go to the first free worker; window blocks are transferred,
// not copied. As in the CLI's pool (src/node/pool.ts), each worker holds two messages at once and window
// results come back as one buffer. Here, unlike there, window requests queued one after another also travel
// together: the CLI measured no CPU gain from that (ae4e5af). Here 4 pairs of runs at 300 hosts (bench
// browser-fleet, load 16-27) gave tab CPU 16.7-19.6 s grouped against 17.9-21.0 s one request a message
// (means 18.1 and 19.2), the wall times too noisy at that load to tell; so it stays.
// Cancelling the requests a worker holds terminates it and starts a fresh one, so a cancel takes effect at
// once instead of after the current batch.
import { wrap, transfer, type Remote } from 'comlink';
import {
  requestTransferables,
  type ResponseOf,
  type RunnerRequest,
  type WindowRunner,
} from '../../lib/timeline/runner.ts';
import { decodeWindows } from '../../lib/timeline/wire.ts';
import type { TimelineAnswer, TimelineWorkerApi } from './api.ts';
import { workerFailure } from '../failure.ts';
import { ownBuffers } from '../../browser/shared-frame.ts';

interface Job {
  request: RunnerRequest;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** Cancelled after it was sent: its answer is dropped. */
  dropped?: boolean;
}

interface Slot {
  worker: Worker;
  remote: Remote<TimelineWorkerApi>;
  crashed: Promise<never>;
  /** Messages sent and not yet answered, oldest first: each holds one job, or several window jobs. */
  sent: Job[][];
}

/**
 * Workers for a machine: all cores but one for the page, at most 8 (each holds a WASM heap), and at least 2:
 * the page is nearly idle while windows compute and the OS shares the cores, so on a 2-core machine a second
 * worker is measured to cut the timeline by a third (npm run budget).
 */
export function defaultPoolSize(cores = navigator.hardwareConcurrency || 2): number {
  return Math.max(2, Math.min(8, cores - 1));
}

/**
 * Messages each worker holds at once. With two, the next one waits in the worker's own queue: a worker that
 * finishes while the analysis worker is busy (scoring, planning another host) starts it at once instead of
 * idling until its answer is read.
 */
const DEPTH = 2;
/**
 * Window requests queued one after another go to a worker in one message up to about this many windows:
 * a timeline sends batches of 2 to 11 windows, and every message costs both threads a fixed overhead.
 */
const GROUP_WINDOWS = 32;

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
      sent: [],
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
    job.dropped = true;
    job.reject(job.signal?.reason ?? new DOMException('cancelled', 'AbortError'));
    // A worker whose every request is cancelled is replaced: its work is wasted.
    const i = this.slots.findIndex((s) => s.sent.some((g) => g.includes(job)));
    if (i >= 0 && this.slots[i].sent.every((g) => g.every((j) => j.dropped))) {
      this.slots[i].worker.terminate();
      this.slots[i] = this.spawn(i);
    }
    this.pump();
  }

  private pump(): void {
    // Every worker gets one message before any gets a second.
    for (let depth = 0; depth < DEPTH; depth++) {
      for (const slot of this.slots) {
        if (slot.sent.length > depth || this.queue.length === 0) continue;
        const group = this.take();
        slot.sent.push(group);
        const requests = group.map((j) => j.request);
        const buffers = ownBuffers(new Set(requests.flatMap(requestTransferables)));
        const call = slot.remote.run(transfer(requests, buffers)) as Promise<TimelineAnswer>;
        Promise.race([call, slot.crashed]).then(
          (answer) => this.settle(slot, group, answer, null),
          (err: unknown) => this.settle(slot, group, null, err),
        );
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

  private settle(slot: Slot, group: Job[], answer: TimelineAnswer | null, err: unknown): void {
    const at = slot.sent.indexOf(group);
    if (at < 0) return; // its worker was replaced: every job in it was cancelled
    slot.sent.splice(at, 1);
    const results = answer && 'wire' in answer ? decodeWindows(answer.wire) : null;
    let from = 0;
    group.forEach((job, i) => {
      const n = answer && 'counts' in answer ? answer.counts[i] : 0;
      const mine = results?.slice(from, from + n);
      from += n;
      if (job.dropped) return;
      if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
      if (!answer) job.reject(err);
      else job.resolve(mine ?? (answer as { response: unknown }).response);
    });
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool is closed'));
    for (const s of this.slots) s.worker.terminate();
  }
}
