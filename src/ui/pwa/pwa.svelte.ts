// The page's side of the service worker: registers it (production builds only), tells the UI when the app
// is ready offline and when a new version is waiting, and switches to that version when the user agrees.
import { Workbox } from 'workbox-window';

const HOUR = 60 * 60 * 1000;

export interface PwaOptions {
  /**
   * Whether reloading now would lose nothing (no analysis on screen). On the first visit the worker takes
   * control after the page loaded, so cross-origin isolation (threaded WASM) needs one reload.
   */
  canReloadForIsolation(): boolean;
}

class PwaState {
  /** A new version is installed and waits for the user's go-ahead (UpdateBanner). */
  updateReady = $state(false);
  /** The service worker has precached the app: it now works offline. */
  offlineReady = $state(false);
  /** The page runs cross-origin isolated (SharedArrayBuffer available: threaded WASM). */
  isolated = $state(globalThis.crossOriginIsolated === true);
  /** Registration failed; the app still works, only online and without updates in the background. */
  error = $state<string | null>(null);

  #wb: Workbox | null = null;
  #accepted = false;
  #held = false;

  start(options: PwaOptions): void {
    if (!import.meta.env.PROD || this.#wb || !('serviceWorker' in navigator)) return;
    // BASE_URL is './' by default (relative to the page, which is the app's root) or the AURA_BASE path.
    const url = new URL(`${import.meta.env.BASE_URL}sw.js`, document.baseURI).href;
    const wb = new Workbox(url);
    // Once the user has clicked, typed or dropped something, a reload would lose it: stay unisolated instead.
    for (const type of ['pointerdown', 'keydown', 'input', 'drop']) {
      addEventListener(type, () => this.hold(), { capture: true, once: true });
    }
    this.#wb = wb;
    wb.addEventListener('waiting', () => {
      this.updateReady = true;
    });
    wb.addEventListener('installed', (e) => {
      if (!e.isUpdate) this.offlineReady = true;
    });
    wb.addEventListener('controlling', (e) => {
      // isUpdate is false when this page opened before any worker existed, even for a later update.
      if (this.#accepted) location.reload();
      else if (!e.isUpdate && !this.#held && !globalThis.crossOriginIsolated && options.canReloadForIsolation()) {
        location.reload();
      }
    });
    wb.register().catch((e: unknown) => {
      this.error = `The offline cache could not be set up (${e instanceof Error ? e.message : String(e)}); the app works online only.`;
    });
    // Long-lived tabs (live mode) look for a new deployment every hour.
    setInterval(() => void wb.update().catch(() => undefined), HOUR);
  }

  /** Something the user asked for is on screen or under way: never reload the page by itself from now on. */
  hold(): void {
    this.#held = true;
  }

  /** Activates the waiting version; the page reloads once it has taken control. */
  applyUpdate(): void {
    if (!this.#wb) return;
    this.#accepted = true;
    this.#wb.messageSkipWaiting();
  }

  dismissUpdate(): void {
    this.updateReady = false;
  }
}

export const pwa = new PwaState();
