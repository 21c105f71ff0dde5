// Metric ingestion: every file format operators have -> one MetricFrame (src/lib/frame/types.ts).
//
//   importText(text, opts)            -> MetricFrame            (synchronous; small inputs, tests)
//   importBytes(bytes, opts)          -> MetricFrame            (synchronous; a whole file in memory)
//   importStream(chunks, opts)        -> Promise<MetricFrame>   (File.stream(), a Node read stream, fetch body)
//   new Importer(opts).push(chunk)…finish()                     (push interface for any other source)
//
// Formats are detected from the content: `wide-csv` (NAB, Grafana "Download CSV"), `long-csv`,
// `influx-csv` (annotated CSV), `influx1-csv` (InfluxDB 1.x `influx -format csv`), `prom-json` (query/query_range responses), `prom-text` (exposition),
// `openmetrics`, `promtool-dump`. Rules every parser follows:
// - timestamps: epoch s/ms/µs/ns by magnitude, ISO 8601, `YYYY-MM-DD HH:MM:SS` (opts.timeZone, default UTC),
//   rounded to integer milliseconds; rows may come in any order and are sorted;
// - duplicate timestamps within a series: the last one in the file wins; the others are counted in
//   `meta.duplicates`;
// - an empty cell (or `null`) is a missing sample and is not stored; `NaN`, `+Inf`, `-Inf` are values;
// - a row with the wrong number of fields, an unreadable time or a non-numeric value is rejected and counted
//   in `meta.rejected` with its 1-based line and a reason; header text is data, never markup;
// - nothing usable at all -> IngestError with the reason.
// Frames are read-only: the series of one wide CSV table share a single timestamps array.
// Everything here is framework-free and runs in a Web Worker and in Node. In a worker:
//   const frame = await importStream(file.stream(), { origin: file.name, totalBytes: file.size, onProgress, signal });
// (totalBytes also lets a wide CSV size its columns once.)
import type { MetricFrame } from '../frame/types.ts';
import { IngestError } from './errors.ts';
import { Importer, type ImportOptions } from './importer.ts';
import { gunzipChunks, isGzip } from './gzip.ts';

export { IngestError } from './errors.ts';
export { Importer, type ImportOptions } from './importer.ts';
export { parseTime, epochToMs, zoneResolver } from './time.ts';
export { parseSelector, formatSelector } from './selector.ts';
export { parseValue, formatValue } from './values.ts';

export interface Progress {
  /** Bytes read so far. */
  bytes: number;
  /** Total size when known (File.size, fs.stat), for a percentage. */
  totalBytes?: number;
}

export interface StreamOptions extends ImportOptions {
  onProgress?: (p: Progress) => void;
  /** Cancels the import between chunks; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Imports a whole text (already decoded). */
export function importText(text: string, opts: ImportOptions = {}): MetricFrame {
  const im = new Importer(opts);
  im.pushText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return im.finish();
}

/** Imports a file held in memory; the encoding (UTF-8, UTF-16 with BOM, …) is detected. */
export function importBytes(bytes: Uint8Array, opts: ImportOptions = {}): MetricFrame {
  if (isGzip(bytes)) throw new IngestError('the data is gzip-compressed: read it with importStream, which inflates it');
  const im = new Importer(opts);
  im.push(bytes);
  return im.finish();
}

/** Imports a stream of byte chunks, reporting progress after each chunk. */
export async function importStream(source: ByteSource, opts: StreamOptions = {}): Promise<MetricFrame> {
  const { signal, onProgress, totalBytes } = opts;
  signal?.throwIfAborted();
  // Gzip input is inflated on the way (gzip.ts); progress then counts compressed bytes against totalBytes.
  const input = gunzipChunks(chunksOf(source));
  let im: Importer | null = null;
  for await (const chunk of input.chunks) {
    signal?.throwIfAborted();
    if (!(chunk instanceof Uint8Array)) throw new IngestError('importStream expects byte chunks (Uint8Array)');
    // The compressed size says nothing about the row count, so it is no sizing hint then.
    im ??= new Importer(input.compressed ? { ...opts, totalBytes: undefined } : opts);
    im.push(chunk);
    onProgress?.({ bytes: input.bytesIn, totalBytes });
  }
  signal?.throwIfAborted();
  return (im ?? new Importer(opts)).finish();
}

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    // Not every browser makes ReadableStream async-iterable yet.
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<Uint8Array>;
  }
}
