// A large wide CSV file read on two threads: this thread imports the first half of the file as usual, a
// worker thread imports the second half behind a copy of the header line, and the two halves' parts are
// joined into the frame the whole file gives. Anything that could make the halves read differently from the
// whole (a quote or a non-ASCII byte after the header, no header, a second table, text not in UTF-8, another
// format) makes it give up, and the file is read the usual way.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { Worker } from 'node:worker_threads';
import type { MetricFrame } from '../lib/frame/types.ts';
import type { SeriesPart } from '../lib/ingest/builder.ts';
import {
  countNewlines,
  halfResult,
  joinHalves,
  MAX_HEADER,
  NEWLINE,
  SPLIT_MIN_BYTES,
  type HalfResult,
} from '../lib/ingest/halves.ts';
import { Importer, type ImportOptions } from '../lib/ingest/importer.ts';
import { isGzip } from '../lib/ingest/gzip.ts';
import { workerUrl } from './worker-url.ts';

const CHUNK = 1 << 20;
const QUOTE = 0x22;

export interface RangeRequest {
  file: string;
  /** Bytes [0, headerEnd) are the header line, its newline included. */
  headerEnd: number;
  start: number;
  end: number;
  opts: ImportOptions;
}

/** The worker's side: the header line, then bytes [start, end), through the usual importer. */
export async function importRange(req: RangeRequest): Promise<HalfResult> {
  const im = new Importer({ ...req.opts, totalBytes: req.headerEnd + req.end - req.start });
  const handle = await open(req.file);
  try {
    const header = Buffer.alloc(req.headerEnd);
    await handle.read(header, 0, req.headerEnd, 0);
    im.push(header);
  } finally {
    await handle.close();
  }
  for await (const chunk of createReadStream(req.file, { start: req.start, end: req.end - 1, highWaterMark: CHUNK })) {
    const bytes = chunk as Buffer;
    // A quote may hold a newline, so a record could span the cut; non-ASCII text could decode differently.
    if (bytes.indexOf(QUOTE) >= 0) return { ok: false, why: 'a quote after the header' };
    if (!isAscii(bytes)) return { ok: false, why: 'a non-ASCII byte after the header' };
    im.push(bytes);
  }
  return halfResult(im.finishParts());
}

/** Buffers the parts own, to transfer them back. */
export function partBuffers(parts: SeriesPart[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const p of parts) {
    out.add(p.timestamps.buffer as ArrayBuffer);
    out.add(p.values.buffer as ArrayBuffer);
  }
  return [...out];
}

/**
 * The frame of `file` read in two halves at once, or null when it is not a large plain CSV file whose halves
 * are sure to read as the whole does (then the caller reads it the usual way).
 */
export async function importFileInRanges(
  file: string,
  size: number,
  opts: ImportOptions,
  minBytes = SPLIT_MIN_BYTES,
): Promise<MetricFrame | null> {
  if (size < minBytes) return null;
  const headerEnd = await lineEnd(file, 0, Math.min(size, MAX_HEADER));
  if (headerEnd < 0) return null;
  const cut = await lineEnd(file, Math.max(headerEnd, Math.floor(size / 2)), size);
  if (cut < 0 || cut >= size) return null;
  const head = Buffer.alloc(Math.min(headerEnd, 4));
  const handle = await open(file);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (isGzip(head)) return null;

  const worker = new Worker(workerUrl, { workerData: { role: 'import' } });
  // A worker that fails says nothing about the file: the usual reading then finds whatever is wrong.
  const half = new Promise<HalfResult>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (err) => resolve({ ok: false, why: err.message }));
    worker.once('exit', (code) => resolve({ ok: false, why: `the import worker exited with code ${code}` }));
  });
  worker.postMessage({ file, headerEnd, start: cut, end: size, opts } satisfies RangeRequest);
  try {
    const im = new Importer({ ...opts, totalBytes: cut });
    let lines = 1;
    for await (const chunk of createReadStream(file, { start: 0, end: cut - 1, highWaterMark: CHUNK })) {
      const bytes = chunk as Buffer;
      lines += countNewlines(bytes);
      im.push(bytes);
    }
    const first = im.finishParts();
    // The worker's line 2 (after the header) is line `lines` of the file.
    return joinHalves(first, await half, lines, opts);
  } finally {
    await worker.terminate();
  }
}

/** The offset just past the first newline at or after `from` (reading no further than `limit`), or -1. */
async function lineEnd(file: string, from: number, limit: number): Promise<number> {
  const handle = await open(file);
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let at = from; at < limit; at += CHUNK) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, limit - at), at);
      if (bytesRead === 0) return -1;
      const i = buf.subarray(0, bytesRead).indexOf(NEWLINE);
      if (i >= 0) return at + i + 1;
    }
    return -1;
  } finally {
    await handle.close();
  }
}
