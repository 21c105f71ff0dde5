// The page's handles on the single-purpose workers. Each is created on first use.
import { proxy, wrap, type Remote } from 'comlink';
import type { MetricFrame } from '../lib/frame/types.ts';
import type { IngestApi, ImportProgress, ImportedFile } from './ingest/api.ts';
import type { SynthApi } from './synth/api.ts';
import type { LnnApi, PredictionRun } from './lnn/api.ts';
import type { EpPreference } from '../lib/lnn/ep.ts';
import type { FailurePredictor } from '../lib/analysis/analyse.ts';
import type { RiskPoint } from '../lib/lnn/trace.ts';
import type { ColumnRoles } from '../lib/lnn/column-roles.ts';
import { workerFailure } from './failure.ts';

interface Handle<T> {
  remote: Remote<T>;
  crashed: Promise<never>;
  worker: Worker;
}

function open<T>(worker: Worker, what: string): Handle<T> {
  return { remote: wrap<T>(worker), crashed: workerFailure(worker, what), worker };
}

let ingest: Handle<IngestApi> | null = null;
function ingestWorker(): Handle<IngestApi> {
  ingest ??= open<IngestApi>(
    new Worker(new URL('./ingest/ingest.worker.ts', import.meta.url), { type: 'module', name: 'aura-ingest' }),
    'the file importer',
  );
  return ingest;
}

/** Starts the ingest worker ahead of the first drop, so its start-up is not paid by the import. */
export function prepareImporter(): void {
  ingestWorker();
}

/** Imports (and aligns) a file in the ingest worker. Aborting `signal` stops the read between chunks. */
export async function importFileInWorker(
  file: File,
  onProgress: (p: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportedFile> {
  const w = ingestWorker();
  const onAbort = () => void w.remote.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return (await Promise.race([w.remote.importFile(file, proxy(onProgress)), w.crashed])) as ImportedFile;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The demo scenario, generated in a worker that is closed afterwards (it is needed once). */
export async function demoInWorker(): Promise<Awaited<ReturnType<SynthApi['demo']>>> {
  const w = open<SynthApi>(
    new Worker(new URL('./synth/synth.worker.ts', import.meta.url), { type: 'module', name: 'aura-synth' }),
    'the demo generator',
  );
  try {
    return await Promise.race([w.remote.demo(), w.crashed]);
  } finally {
    w.worker.terminate();
  }
}

let lnn: Handle<LnnApi> | null = null;

/**
 * Calls the LNN worker, created (with onnxruntime) on first use. A call cannot be interrupted inside
 * onnxruntime, so cancelling terminates the worker; the next call starts a new one.
 */
async function inLnnWorker<T>(signal: AbortSignal, call: (remote: Remote<LnnApi>) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  lnn ??= open<LnnApi>(
    new Worker(new URL('./lnn/lnn.worker.ts', import.meta.url), { type: 'module', name: 'aura-lnn' }),
    'the prediction model',
  );
  const handle = lnn;
  let onAbort = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => {
      handle.worker.terminate();
      if (lnn === handle) lnn = null;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(handle.remote), handle.crashed, cancelled]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Predictions per host in the LNN worker; `roles` say what columns the names do not explain measure. */
export function predictInWorker(
  frame: MetricFrame,
  preference: EpPreference,
  signal: AbortSignal,
  roles?: ColumnRoles,
): Promise<PredictionRun> {
  return inLnnWorker(signal, (remote) => remote.predict(frame, preference, roles));
}

/**
 * The model in its worker as the pipeline's FailurePredictor (src/lib/analysis), on the execution provider
 * the user prefers at call time; the run says which provider ran it and why, the model and its time.
 */
export function workerPredictor(preference: () => EpPreference): FailurePredictor {
  return {
    predict: (frame, opts) =>
      predictInWorker(frame, preference(), opts.signal ?? new AbortController().signal, opts.roles),
  };
}

/** The model's risk trace for one entity over [from, to] (epoch ms) in the LNN worker ("what if"). */
export function traceInWorker(
  frame: MetricFrame,
  entity: string,
  range: [number, number],
  preference: EpPreference,
  signal: AbortSignal,
  roles?: ColumnRoles,
): Promise<RiskPoint[]> {
  return inLnnWorker(signal, (remote) => remote.trace(frame, entity, range[0], range[1], preference, roles));
}
