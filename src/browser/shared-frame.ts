// An imported frame held once for the whole tab. Where the page is cross-origin isolated, the ingest worker
// moves the frame's columns and its alignment into one SharedArrayBuffer: the page, the analysis worker and
// the model's worker then read the same memory, where a structured copy per thread held a 1,000-host day
// (about 210 MB) three times and took the page's thread a second to send.
import type { AlignResult } from '../lib/cloud/align.ts';
import type { MetricFrame, Series } from '../lib/frame/types.ts';

/** Whether this thread may share memory with the others (a cross-origin isolated page and its workers). */
export function canShare(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

export function isShared(a: ArrayBufferView): boolean {
  return isSharedBuffer(a.buffer);
}

/** Bytes are copied in 8-byte steps: every array here is a Float64Array. */
const ALIGN = 8;

/**
 * The frame and its alignment with every column in one SharedArrayBuffer. Arrays that shared a buffer still
 * do (a regular wide CSV's aligned column is its series' values; its series share one timestamps array).
 * The original buffers are released at once (detached), not left for this worker's next garbage collection.
 * Null when the memory cannot be had: the caller sends the frame as before.
 */
export function shareImport(
  frame: MetricFrame,
  aligned: AlignResult | null,
): { frame: MetricFrame; aligned: AlignResult | null } | null {
  const arrays: Float64Array[] = [];
  for (const s of frame.series) arrays.push(s.timestamps, s.values);
  if (aligned) arrays.push(aligned.frame.timestamps, ...aligned.frame.columns);
  const at = new Map<ArrayBufferLike, number>();
  let bytes = 0;
  for (const a of arrays) {
    if (at.has(a.buffer)) continue;
    at.set(a.buffer, bytes);
    bytes += Math.ceil(a.buffer.byteLength / ALIGN) * ALIGN;
  }
  let sab: SharedArrayBuffer;
  try {
    sab = new SharedArrayBuffer(bytes);
  } catch {
    return null; // too large to have in one piece: the copies are made as before
  }
  const whole = new Uint8Array(sab);
  for (const [buffer, offset] of at) whole.set(new Uint8Array(buffer), offset);
  const moved = (a: Float64Array) => new Float64Array(sab, at.get(a.buffer)! + a.byteOffset, a.length);
  const series: Series[] = frame.series.map((s) => ({
    ...s,
    timestamps: moved(s.timestamps),
    values: moved(s.values),
  }));
  const f = aligned?.frame;
  const out = {
    frame: { ...frame, series },
    aligned:
      aligned && f
        ? { ...aligned, frame: { ...f, timestamps: moved(f.timestamps), columns: f.columns.map(moved) } }
        : null,
  };
  for (const buffer of at.keys()) releaseBuffer(buffer);
  return out;
}

/**
 * Frees an ArrayBuffer's memory now, where the engine can (ArrayBuffer.prototype.transfer detaches it),
 * instead of at the thread's next garbage collection; only for a buffer nothing will read again.
 */
export function releaseBuffer(buffer: ArrayBufferLike): void {
  const b = buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean };
  if (typeof b.transfer === 'function' && !b.detached && !isSharedBuffer(buffer)) b.transfer(0);
}

function isSharedBuffer(b: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer;
}

/**
 * The frame with its shared columns copied into plain ones: IndexedDB refuses to store shared memory.
 * Columns already plain are kept as they are; columns that were one array (timestamps) stay one.
 */
export function unshared(frame: MetricFrame): MetricFrame {
  // Keyed by buffer, then range: views of one range (a shared timestamps column) get one copy.
  const copies = new Map<ArrayBufferLike, Map<string, Float64Array>>();
  const own = (a: Float64Array) => {
    if (!isShared(a)) return a;
    let inBuffer = copies.get(a.buffer);
    if (!inBuffer) copies.set(a.buffer, (inBuffer = new Map()));
    const key = `${a.byteOffset}:${a.length}`;
    let copy = inBuffer.get(key);
    if (!copy) inBuffer.set(key, (copy = a.slice()));
    return copy;
  };
  return {
    ...frame,
    series: frame.series.map((s) => ({ ...s, timestamps: own(s.timestamps), values: own(s.values) })),
  };
}

/** The buffers that can be transferred (shared memory is not transferred: it is shared already). */
export function ownBuffers(buffers: Iterable<ArrayBufferLike>): ArrayBuffer[] {
  return [...buffers].filter((b): b is ArrayBuffer => !isSharedBuffer(b));
}
