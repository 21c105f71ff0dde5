// The rules for reading one large wide CSV file as two halves at once, for any host with two threads: the
// first half is read as usual, the second behind a copy of the header line, and the halves' parts are joined
// into the frame the whole file gives. Anything that could make a half read differently from the whole (a
// quote or a non-ASCII byte after the header, a second table, text not in UTF-8, another format) makes the
// join give up (null), and the host reads the file the usual way. The app's ingest worker and the CLI
// (src/node/import-ranges.ts, which checks bytes with Node's native isAscii) both read through these.
import type { MetricFrame, RejectedRow } from '../frame/types.ts';
import { assembleFrame, RejectLog, type SeriesPart } from './builder.ts';
import type { ImportedParts, ImportOptions } from './importer.ts';

/** Below this a second thread's start costs about what it saves. */
export const SPLIT_MIN_BYTES = 16 << 20;
/** The header line must end within this many bytes. */
export const MAX_HEADER = 64 << 20;
export const NEWLINE = 0x0a;
const QUOTE = 0x22;

/** The second half as read: its parts and how they were read, or why it gave up. */
export type HalfResult =
  | {
      ok: true;
      parts: SeriesPart[];
      format: string;
      duplicates: number;
      tables: number;
      encoding: string;
      rejected: { count: number; examples: RejectedRow[] };
    }
  | { ok: false; why: string };

/** Why a chunk after the header could read differently in a half than in the whole file, or null. */
export function halfChunkProblem(bytes: Uint8Array): string | null {
  // A quote may hold a newline, so a record could span the cut; non-ASCII text could decode differently.
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) return 'a quote after the header';
    if (b >= 0x80) return 'a non-ASCII byte after the header';
  }
  return null;
}

/** The second half's result from its importer's parts. */
export function halfResult(r: ImportedParts): HalfResult {
  return {
    ok: true,
    parts: r.parts,
    format: r.format,
    duplicates: r.duplicates,
    tables: r.tables,
    encoding: r.encoding,
    rejected: { count: r.rejected.count, examples: r.rejected.examples },
  };
}

/** The newlines in `bytes`: the first half's line count places the second half's rejected rows. */
export function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * The frame of the whole file from its two halves, or null when they may not read as the whole does.
 * `lines`: the first half's line count plus one (the second half's line 2 is line `lines` of the file).
 */
export function joinHalves(
  first: ImportedParts,
  second: HalfResult,
  lines: number,
  opts: ImportOptions,
): MetricFrame | null {
  if (!second.ok) return null;
  // One wide table in each half, read alike. (A long table's series are keyed by their label cells, which
  // the frame may merge: their samples' order could then differ from the whole file's.)
  if (
    first.tables !== 1 ||
    second.tables !== 1 ||
    first.format !== 'wide-csv' ||
    second.format !== 'wide-csv' ||
    // UTF-8 only: in UTF-16 a newline byte is half a character, and the second half would start mid-way.
    first.encoding !== 'utf-8' ||
    second.encoding !== 'utf-8' ||
    !sameSeries(first.parts, second.parts)
  )
    return null;
  const rejected = new RejectLog();
  rejected.count = first.rejected.count + second.rejected.count;
  const examples = [
    ...first.rejected.examples,
    ...second.rejected.examples.map((e) => ({ ...e, line: e.line - 2 + lines })),
  ];
  rejected.examples.push(...examples.slice(0, opts.maxExamples ?? 10));
  // Parts of one series are joined in file order, then sorted and de-duplicated, as one table's would be.
  return assembleFrame(joinColumns(first.parts, second.parts), {
    origin: opts.origin ?? '',
    format: first.format,
    rejected,
    duplicates: first.duplicates + second.duplicates,
  });
}

function sameSeries(a: SeriesPart[], b: SeriesPart[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name) return false;
    const la = Object.entries(a[i].labels);
    const lb = b[i].labels;
    if (la.length !== Object.keys(lb).length || la.some(([k, v]) => lb[k] !== v)) return false;
  }
  return true;
}

/**
 * A wide table's columns, each half's samples after the other's. The columns that shared one time array in
 * each half share one joined array (a frame of 10,000 series keeps one copy of its times).
 */
function joinColumns(a: SeriesPart[], b: SeriesPart[]): SeriesPart[] {
  const joined = new Map<Float64Array, Map<Float64Array, Float64Array>>();
  const join = (x: Float64Array, y: Float64Array) => {
    const out = new Float64Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return a.map((p, i) => {
    const q = b[i];
    let byB = joined.get(p.timestamps);
    if (!byB) joined.set(p.timestamps, (byB = new Map()));
    let timestamps = byB.get(q.timestamps);
    if (!timestamps) byB.set(q.timestamps, (timestamps = join(p.timestamps, q.timestamps)));
    return { name: p.name, labels: p.labels, timestamps, values: join(p.values, q.values) };
  });
}
