// A large wide CSV file read on two cores: this thread (the ingest worker) reads the first half, a nested
// worker the second behind a copy of the header line, and the halves are joined (src/lib/ingest/halves.ts).
// Null when the file is small, gzipped, has no header line within reach, or its halves may read differently
// from the whole: the caller then reads it the usual way, which also reports whatever is wrong with it.
import { wrap } from 'comlink';
import type { MetricFrame } from '../../lib/frame/types.ts';
import { Importer, type ImportOptions } from '../../lib/ingest/importer.ts';
import { isGzip } from '../../lib/ingest/gzip.ts';
import {
  countNewlines,
  joinHalves,
  MAX_HEADER,
  NEWLINE,
  SPLIT_MIN_BYTES,
  type HalfResult,
} from '../../lib/ingest/halves.ts';
import { workerFailure } from '../failure.ts';
import { releaseBuffer } from '../../browser/shared-frame.ts';
import type { HalfApi } from './api.ts';

const CHUNK = 1 << 20;

export async function importInHalves(
  file: File,
  opts: ImportOptions,
  onBytes: (bytes: number) => void,
  signal: AbortSignal,
): Promise<MetricFrame | null> {
  const size = file.size;
  if (size < SPLIT_MIN_BYTES) return null;
  if (isGzip(new Uint8Array(await file.slice(0, 4).arrayBuffer()))) return null;
  const headerEnd = await lineEnd(file, 0, Math.min(size, MAX_HEADER));
  if (headerEnd < 0) return null;
  const cut = await lineEnd(file, Math.max(headerEnd, Math.floor(size / 2)), size);
  if (cut < 0 || cut >= size) return null;

  const worker = new Worker(new URL('./half.worker.ts', import.meta.url), {
    type: 'module',
    name: 'aura-ingest-half',
  });
  // A helper that fails says nothing about the file: the usual reading then finds whatever is wrong.
  const half: Promise<HalfResult> = Promise.race([
    wrap<HalfApi>(worker).importHalf(file, headerEnd, cut, opts),
    workerFailure(worker, 'the second half of the import'),
  ]).catch((e: unknown) => ({ ok: false, why: e instanceof Error ? e.message : String(e) }));
  try {
    const im = new Importer({ ...opts, totalBytes: cut });
    let lines = 1;
    let read = 0;
    const reader = file.slice(0, cut).stream().getReader();
    try {
      for (;;) {
        signal.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        lines += countNewlines(value);
        im.push(value);
        read += value.length;
        // Both halves go at about the same pace: this one's share stands for the file's.
        onBytes(Math.round((read / cut) * size));
      }
    } finally {
      reader.releaseLock();
    }
    let first;
    try {
      first = im.finishParts();
    } catch {
      return null; // the usual reading says what is wrong with the file
    }
    const second = await half;
    signal.throwIfAborted();
    const frame = joinHalves(first, second, lines, opts);
    // The joined columns are new arrays: the halves' (a fleet's raw data twice over) can go now.
    for (const p of [...first.parts, ...(second.ok ? second.parts : [])]) {
      releaseBuffer(p.timestamps.buffer);
      releaseBuffer(p.values.buffer);
    }
    return frame;
  } finally {
    worker.terminate();
  }
}

/** The offset just past the first newline at or after `from` (reading no further than `limit`), or -1. */
async function lineEnd(file: File, from: number, limit: number): Promise<number> {
  for (let at = from; at < limit; at += CHUNK) {
    const bytes = new Uint8Array(await file.slice(at, Math.min(limit, at + CHUNK)).arrayBuffer());
    if (bytes.length === 0) return -1;
    const i = bytes.indexOf(NEWLINE);
    if (i >= 0) return at + i + 1;
  }
  return -1;
}
