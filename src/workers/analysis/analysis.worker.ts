// The analysis worker: the one pipeline's Analysis per id, so alignment, every entity's timeline, peer
// outliers and the fleet report are computed here and the page stays free to answer the user. Windows go
// to the timeline pool, nested workers started from here, through one recording runner per analysis.
import { expose, releaseProxy, type Remote } from 'comlink';
import { Analysis } from '../../lib/analysis/analyse.ts';
import { BrowserPool } from '../timeline/pool.ts';
import { RecordingRunner } from './recording-runner.ts';
import type { AnalysisHost, AnalysisWorkerApi } from './api.ts';

let pool: BrowserPool | null = null;
const open = new Map<number, { analysis: Analysis; recorder: RecordingRunner }>();
const jobs = new Map<number, AbortController>();
/** Least time between progress messages to the page (ms). */
const PROGRESS_MS = 100;

function thePool(): BrowserPool {
  pool ??= new BrowserPool();
  return pool;
}

const api: AnalysisWorkerApi = {
  prepare() {
    thePool();
  },

  open(id, settings, scope) {
    const recorder = new RecordingRunner(thePool());
    const analysis = new Analysis(recorder, settings, {
      ...scope,
      runnerFor: (entity) => recorder.forEntity(entity),
    });
    open.set(id, { analysis, recorder });
  },

  async timeline(id, job, { frame, aligned, origin, preview }, host) {
    const a = open.get(id);
    if (!a) throw new Error(`analysis ${id} is not open`);
    const control = new AbortController();
    jobs.set(job, control);
    a.recorder.onFirstWindow = preview ? (config, task) => void host.firstWindow(config, task) : null;
    let shown = -Infinity;
    let phase = '';
    try {
      return await a.analysis.timeline(frame, {
        signal: control.signal,
        origin,
        aligned,
        // The page has the alignment it gave; one made here is copied to the page once (its series are drawn).
        onAligned: (r) => void host.aligned(aligned ? null : r.frame),
        onProgress: (p) => {
          // A 1,000-host fleet reports thousands of batches: the page redraws its bar a few times a second.
          const now = performance.now();
          if (now - shown < PROGRESS_MS && p.phase === phase && p.done < p.total) return;
          shown = now;
          phase = p.phase;
          void host.progress(p);
        },
        onPoint: (p) => void host.points([p]),
      });
    } finally {
      jobs.delete(job);
      a.recorder.onFirstWindow = null;
      (host as Remote<AnalysisHost>)[releaseProxy]();
    }
  },

  cancel(job) {
    jobs.get(job)?.abort(new DOMException('cancelled', 'AbortError'));
  },

  window(id, key, entity) {
    return open.get(id)?.recorder.window(key, entity);
  },

  close(id) {
    open.delete(id);
  },
};

expose(api);
