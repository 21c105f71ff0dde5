// Messages of the ingest worker: a File in, a MetricFrame out, with progress and cancel.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { ImportOptions } from '../../lib/ingest/importer.ts';
import type { HalfResult } from '../../lib/ingest/halves.ts';

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
}

/** An imported file and, when it could be aligned, the frame on its time grid (null: align it on the page, which reports why it cannot be). */
export interface ImportedFile {
  frame: MetricFrame;
  aligned: AlignResult | null;
}

export interface IngestApi {
  /**
   * Streams `file` through the importer (never holding the whole text) and aligns the frame, both off the
   * page's thread; `onProgress` is a Comlink proxy.
   */
  importFile(file: File, onProgress: (p: ImportProgress) => void): Promise<ImportedFile>;
  /** Stops the running import; its promise rejects with an AbortError. */
  cancel(): void;
}

/** The ingest worker's helper for a large file: the second half, from `start`, behind bytes [0, headerEnd). */
export interface HalfApi {
  importHalf(file: File, headerEnd: number, start: number, opts: ImportOptions): Promise<HalfResult>;
}
