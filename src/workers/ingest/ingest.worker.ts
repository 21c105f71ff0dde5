// Adapts the streaming importer to messages: File.stream() is read here, off the page's thread.
import { expose, transfer } from 'comlink';
import { importStream } from '../../lib/ingest/index.ts';
import { alignFrame, type AlignResult } from '../../lib/cloud/align.ts';
import { alignedBuffers, frameBuffers } from '../frame-transfer.ts';
import type { IngestApi } from './api.ts';

let current: AbortController | null = null;

const api: IngestApi = {
  async importFile(file, onProgress) {
    current?.abort();
    const job = new AbortController();
    current = job;
    let last = 0;
    const frame = await importStream(file.stream(), {
      origin: file.name,
      totalBytes: file.size,
      signal: job.signal,
      onProgress: (p) => {
        // A progress message per chunk would flood the page on a large file; every ~1% is plenty.
        if (p.bytes - last >= file.size / 100 || p.bytes === file.size) {
          last = p.bytes;
          onProgress({ bytes: p.bytes, totalBytes: file.size });
        }
      },
    });
    if (current === job) current = null;
    let aligned: AlignResult | null = null;
    try {
      aligned = alignFrame(frame);
    } catch {
      // the page aligns it again and shows that error, as for any other source
    }
    const buffers = new Set([...frameBuffers(frame), ...(aligned ? alignedBuffers(aligned.frame) : [])]);
    return transfer({ frame, aligned }, [...buffers]);
  },
  cancel() {
    current?.abort();
  },
};

expose(api);
