// Gzip-compressed input (`metrics.csv.gz`, any supported format compressed): recognised by its magic
// bytes, not by the file name, and inflated while streaming with the platform's DecompressionStream
// (browsers, and Node ≥ 18 where it is built on zlib), so a large file is never held whole.
import { IngestError } from './errors.ts';

/** The first two bytes of every gzip member (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface Gunzipped {
  /** The decompressed chunks (the input unchanged when it is not gzip). */
  chunks: AsyncGenerator<Uint8Array>;
  /** Whether the input was gzip; known once the first chunk has been read. */
  readonly compressed: boolean;
  /** Compressed bytes read so far, for progress against the file's size. */
  readonly bytesIn: number;
}

/**
 * Passes chunks through, inflating them when the stream starts with the gzip magic. The first
 * chunk must hold at least two bytes for the check (every file reader delivers far more).
 */
export function gunzipChunks(source: AsyncIterable<Uint8Array>): Gunzipped {
  const state = { compressed: false, bytesIn: 0 };
  async function* counted(it: AsyncIterator<Uint8Array>, first: Uint8Array) {
    yield first;
    for (;;) {
      const { done, value } = await it.next();
      if (done) return;
      state.bytesIn += value.length;
      yield value;
    }
  }
  async function* run(): AsyncGenerator<Uint8Array> {
    const it = source[Symbol.asyncIterator]();
    const head = await it.next();
    if (head.done) return;
    state.bytesIn += head.value.length;
    if (!isGzip(head.value)) {
      yield* counted(it, head.value);
      return;
    }
    state.compressed = true;
    if (typeof DecompressionStream !== 'function') {
      throw new IngestError('this file is gzip-compressed and this browser cannot decompress it: unzip it first');
    }
    const inflate = new DecompressionStream('gzip');
    const writer = inflate.writable.getWriter();
    // Feed the compressed chunks in the background; a write error surfaces through the reader below.
    const feeding = (async () => {
      try {
        // File and network readers give chunks over plain ArrayBuffers, never shared memory.
        for await (const chunk of counted(it, head.value)) await writer.write(chunk as Uint8Array<ArrayBuffer>);
        await writer.close();
      } catch (err) {
        await writer.abort(err).catch(() => {});
      }
    })();
    const reader = inflate.readable.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield value;
      }
      finished = true;
    } catch (err) {
      throw new IngestError(
        `the gzip data is damaged or cut short (${(err as Error).message}): download or compress the file again`,
      );
    } finally {
      // Stopped early (cancelled import): cancelling the output makes the pending write fail, so feeding ends.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
      await feeding;
    }
  }
  return {
    chunks: run(),
    get compressed() {
      return state.compressed;
    },
    get bytesIn() {
      return state.bytesIn;
    },
  };
}
