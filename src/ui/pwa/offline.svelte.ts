// Offline use: the service worker keeps the app itself; this keeps the last analysis (its report and the
// frame it came from, in IndexedDB) and brings it back when the app opens without anything loaded.
import { LiveHistory } from '../../browser/history.ts';
import { app } from '../state/app.svelte.ts';

const SAVE_DELAY_MS = 2000;

/** The built-in demo is regenerated on every start; it never replaces the user's last analysis. */
function isDemo(origin: string): boolean {
  return origin.startsWith('demo');
}

let store: LiveHistory | null = null;
function history(): LiveHistory {
  store ??= new LiveHistory();
  return store;
}

class LastAnalysis {
  /** When the analysis on screen was restored from this browser's storage (epoch ms), else null. */
  restoredFrom = $state<number | null>(null);
  savedAt = $state<number | null>(null);
  error = $state<string | null>(null);

  /** Re-analyses the saved frame when nothing else was loaded; the engine and model are precached. */
  async restore(): Promise<boolean> {
    try {
      const last = await history().restoreLast();
      if (!last) return false;
      // The demo opens by itself; anything else on screen (a file, live mode) was the user's choice.
      if (app.frame !== null && !isDemo(app.origin)) return false;
      this.restoredFrom = last.savedAt;
      await app.analyzeFrame(last.frame, last.origin);
      return true;
    } catch (e) {
      this.error = `The last analysis could not be restored: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
  }

  /** Saves every finished analysis (debounced, so live updates do not write on every poll). */
  autosave(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return $effect.root(() => {
      $effect(() => {
        const report = app.report;
        const frame = app.frame;
        const origin = app.origin;
        // A save not yet made is for data no longer shown (or being replaced): the worker would save the new.
        clearTimeout(timer);
        // Live data is kept by the analysis worker that holds it (a fleet's frame would freeze the page).
        if (!report || !frame || app.job.busy || isDemo(origin) || app.live) return;
        // The analysis worker stores it: it holds the frame, and a fleet's would take the page's thread.
        timer = setTimeout(() => {
          app.analysis.keepForOffline(report).then(
            () => (this.savedAt = Date.now()),
            (e: unknown) =>
              (this.error = `The analysis could not be kept for offline use: ${e instanceof Error ? e.message : String(e)}`),
          );
        }, SAVE_DELAY_MS);
      });
      return () => clearTimeout(timer);
    });
  }
}

export const lastAnalysis = new LastAnalysis();
