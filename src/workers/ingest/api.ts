// Messages of the ingest worker: a File (or text) in, a MetricFrame out, with progress and cancel.
import type { MetricFrame } from '../../lib/frame/types.ts';

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
}

export interface IngestApi {
  /** Streams `file` through the importer (never holding the whole text); `onProgress` is a Comlink proxy. */
  importFile(file: File, onProgress: (p: ImportProgress) => void): Promise<MetricFrame>;
  /** Imports text already in memory (live payloads, pasted data). */
  importText(text: string, origin: string): Promise<MetricFrame>;
  /** Stops the running import; its promise rejects with an AbortError. */
  cancel(): void;
}
