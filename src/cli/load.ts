// Reading a metrics file for any command: stream it through the importer and turn every failure into
// one line the operator can act on.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { availableParallelism } from 'node:os';
import { importStream, IngestError } from '../lib/ingest/index.ts';
import type { MetricFrame } from '../lib/frame/types.ts';
import { CliError } from './errors.ts';
import { importFileInRanges } from '../node/import-ranges.ts';

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
};

/** `cannot read FILE: <reason>` for a file-system error, with the error code as a fallback. */
export function fileError(file: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = (code && reasons[code]) ?? code ?? (err as Error).message;
  return new CliError(`cannot read ${file}: ${reason}`);
}

export async function loadMetricFile(file: string, opts: { timeZone?: string } = {}): Promise<MetricFrame> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new CliError(`${file} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw fileError(file, err);
  }
  try {
    const options = { origin: basename(file), timeZone: opts.timeZone };
    // A large wide CSV file is read in two halves at once when they are sure to read as the whole does.
    const split = availableParallelism() > 1 ? await importFileInRanges(file, size, options) : null;
    if (split) return split;
    return await importStream(createReadStream(file, { highWaterMark: 1 << 20 }), { ...options, totalBytes: size });
  } catch (err) {
    if (err instanceof IngestError) throw new CliError(`${file}: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code) throw fileError(file, err);
    throw err;
  }
}
