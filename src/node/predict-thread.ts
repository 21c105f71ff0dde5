// The model on a thread of its own, for large frames: its feature extraction is seconds of synchronous work
// at 1,000 hosts, which on the main thread either holds back the windows sent to the timeline pool or,
// run after them (as before), leaves the pool idle at the end. In a worker it runs beside the timeline. The
// worker runs the same code on the same numbers (the frame's arrays are shared, not converted), so the
// predictions are the same.
import { Worker } from 'node:worker_threads';
import type { MetricFrame, Series } from '../lib/frame/types.ts';
import type { FailurePredictor, PredictionRun } from '../lib/analysis/analyse.ts';
import type { ColumnRoles } from '../lib/lnn/column-roles.ts';
import { workerUrl } from './worker-url.ts';

export interface PredictThreadOptions {
  model?: string;
  topology?: boolean;
}

/** What the worker is sent: the frame (arrays in shared memory) and the predict options. */
export interface PredictRequest {
  id: number;
  frame: MetricFrame;
  opts: { at?: number; roles?: ColumnRoles };
}

export type PredictAnswer = { id: number } & ({ ok: true; run: PredictionRun } | { ok: false; why: string });

/**
 * The frame with every timestamps and values array copied into one SharedArrayBuffer (an array several
 * series share stays shared), so that posting it copies no samples.
 */
export function sharedFrame(frame: MetricFrame): MetricFrame {
  const seen = new Map<Float64Array, Float64Array>();
  let length = 0;
  const count = (a: Float64Array) => {
    if (!seen.has(a)) {
      seen.set(a, a);
      length += a.length;
    }
  };
  for (const s of frame.series) {
    count(s.timestamps);
    count(s.values);
  }
  const memory = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length)));
  let at = 0;
  for (const [a] of seen) {
    const view = memory.subarray(at, at + a.length);
    view.set(a);
    seen.set(a, view);
    at += a.length;
  }
  const series: Series[] = frame.series.map((s) => ({
    ...s,
    timestamps: seen.get(s.timestamps)!,
    values: seen.get(s.values)!,
  }));
  return { ...frame, series };
}

/**
 * The model in a worker thread, started by a call and ended once no call is in flight. Kept idle, the worker
 * held the frame and the model's memory to the end of the analysis (about 170 MB more peak RSS at 1,000
 * hosts, since an idle thread does not collect garbage); `aura watch` on a large fleet loads the model each
 * cycle instead.
 */
export function threadPredictor(opts: PredictThreadOptions = {}): FailurePredictor {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(run: PredictionRun): void; reject(err: Error): void }>();
  const fail = (err: Error) => {
    worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = () => {
    const w = new Worker(workerUrl, { workerData: { role: 'predict', opts } });
    w.on('message', (answer: PredictAnswer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (pending.size === 0) {
        worker = null;
        void w.terminate();
      }
      if (answer.ok) p.resolve(answer.run);
      else p.reject(new Error(answer.why));
    });
    w.on('error', (err) => {
      if (worker === w) fail(err);
    });
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`the model's worker exited with code ${code}`));
    });
    return w;
  };
  return {
    runsOffThread: () => true,
    predict(frame, o) {
      return new Promise<PredictionRun>((resolve, reject) => {
        worker ??= start();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const request: PredictRequest = { id, frame: sharedFrame(frame), opts: { at: o.at, roles: o.roles } };
        worker.postMessage(request);
      });
    },
  };
}
