// Adapts the streaming importer to messages: File.stream() is read here, off the page's thread.
import { expose, transfer } from 'comlink';
import { importStream } from '../../lib/ingest/index.ts';
import { alignFrame, type AlignResult } from '../../lib/cloud/align.ts';
import { alignedBuffers, frameBuffers } from '../frame-transfer.ts';
import { canShare, shareImport } from '../../browser/shared-frame.ts';
import { importInHalves } from './in-halves.ts';
import type { IngestApi } from './api.ts';

let current: AbortController | null = null;
/** Least time between progress messages to the page (ms). */
const PROGRESS_MS = 250;

const api: IngestApi = {
  async importFile(file, onProgress) {
    current?.abort();
    const job = new AbortController();
    current = job;
    let last = -Infinity;
    const progress = (bytes: number) => {
      // Each message repaints the page's progress bar: a few a second are plenty (every 1 % was 20 a second).
      const now = performance.now();
      if (now - last >= PROGRESS_MS || bytes === file.size) {
        last = now;
        onProgress({ bytes, totalBytes: file.size });
      }
    };
    const opts = { origin: file.name, totalBytes: file.size };
    const frame =
      (await importInHalves(file, opts, progress, job.signal)) ??
      (await importStream(file.stream(), { ...opts, signal: job.signal, onProgress: (p) => progress(p.bytes) }));
    if (current === job) current = null;
    let aligned: AlignResult | null = null;
    try {
      aligned = alignFrame(frame);
    } catch {
      // the page aligns it again and shows that error, as for any other source
    }
    // Held once for the page and every worker where the page is isolated; else moved to the page.
    const shared = canShare() ? shareImport(frame, aligned) : null;
    if (shared) return shared;
    const buffers = new Set([...frameBuffers(frame), ...(aligned ? alignedBuffers(aligned.frame) : [])]);
    return transfer({ frame, aligned }, [...buffers]);
  },
  cancel() {
    current?.abort();
  },
};

expose(api);
