// Prometheus HTTP API responses saved as JSON: query_range (matrix), query (vector, scalar).
// Values are strings ("1.5", "NaN", "+Inf"); timestamps are seconds with millisecond decimals.
// The document is parsed whole, so rejected samples carry the line where their series starts.
import type { RejectLog, SeriesPart } from './builder.ts';
import { Float64Builder } from './builder.ts';
import { IngestError } from './errors.ts';
import { distinctIds, setLabel } from './selector.ts';
import { inDateRange } from './time.ts';
import { INVALID, invalidValueReason, MISSING, parseValue } from './values.ts';
import { shown } from '../text/quote.ts';

interface ApiResult {
  metric?: Record<string, unknown>;
  values?: unknown;
  value?: unknown;
  histograms?: unknown;
  histogram?: unknown;
}

/** Seconds (number or numeric string) -> integer ms, or NaN. */
function secondsToMs(x: unknown): number {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return inDateRange(n * 1000) ? Math.round(n * 1000) : NaN;
}

export function parsePromJson(text: string, rejected: RejectLog, name = ''): SeriesPart[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new IngestError(
      `not valid JSON (${(err as Error).message}); save the raw body of the Prometheus API response`,
    );
  }
  return partsFromApiData(doc, rejected, name, text);
}

/**
 * Reads the `data` of an API response (or the whole response, or a bare result array).
 * `name` names series that have no `__name__` (results of expressions). Also used by the HTTP client.
 */
export function partsFromApiData(doc: unknown, rejected: RejectLog, name = '', text?: string): SeriesPart[] {
  let data: unknown = doc;
  if (isObject(doc) && 'status' in doc) {
    if (doc.status === 'error') {
      throw new IngestError(
        `the saved response is a Prometheus error: ${shown(String(doc.errorType))}: ${shown(String(doc.error), 200)}`,
      );
    }
    data = doc.data;
  }
  let resultType = '';
  let result: unknown = data;
  if (isObject(data) && 'result' in data) {
    resultType = String(data.resultType ?? '');
    result = data.result;
  }
  if (resultType === 'scalar' || resultType === 'string') {
    return [sampleSeries(name || resultType, {}, [result], rejected, () => 1, true)];
  }
  if (!Array.isArray(result)) {
    throw new IngestError(
      'JSON without a Prometheus result: expected {"status":"success","data":{"resultType":"matrix","result":[…]}} from /api/v1/query_range or /api/v1/query',
    );
  }
  const lines = text ? lineStarts(text) : null;
  const parts: SeriesPart[] = [];
  result.forEach((item: ApiResult, index) => {
    // Computed only when something is rejected: finding the line means scanning the text.
    let found = 0;
    const line = () => found || (found = lines ? lineOfSeries(text!, lines, index) : 1);
    if (!isObject(item)) {
      rejected.add(line(), `result ${index} is not a series object`);
      return;
    }
    const labels: Record<string, string> = {};
    let seriesName = name;
    for (const [k, v] of Object.entries(item.metric ?? {})) {
      if (k === '__name__') seriesName = String(v);
      else setLabel(labels, k, String(v));
    }
    if (item.histograms !== undefined || item.histogram !== undefined) {
      rejected.add(line(), `series ${index} holds native histograms, which AURA does not read; query a float metric`);
      if (item.values === undefined && item.value === undefined) return;
    }
    const samples = Array.isArray(item.values) ? item.values : item.value !== undefined ? [item.value] : [];
    parts.push(sampleSeries(seriesName, labels, samples, rejected, line, false));
  });
  // Prometheus never answers two results with one label set, but an edited or merged file can: keep both.
  return distinctIds(parts);
}

function sampleSeries(
  name: string,
  labels: Record<string, string>,
  samples: unknown[],
  rejected: RejectLog,
  line: () => number,
  single: boolean,
): SeriesPart {
  const ts = new Float64Builder(Math.max(16, samples.length));
  const vs = new Float64Builder(Math.max(16, samples.length));
  for (const s of samples) {
    if (!Array.isArray(s) || s.length !== 2) {
      rejected.add(line(), `sample ${JSON.stringify(s)?.slice(0, 40)} is not a [time, "value"] pair`);
      continue;
    }
    const t = secondsToMs(s[0]);
    if (Number.isNaN(t)) {
      rejected.add(line(), `timestamp ${JSON.stringify(s[0])?.slice(0, 40)} is not a number of seconds`);
      continue;
    }
    const raw = typeof s[1] === 'number' ? String(s[1]) : typeof s[1] === 'string' ? s[1] : '';
    const v = parseValue(raw);
    if (v === INVALID || v === MISSING) {
      rejected.add(line(), invalidValueReason(JSON.stringify(s[1]) ?? 'undefined'));
      continue;
    }
    ts.push(t);
    vs.push(v);
    if (single) break;
  }
  return { name, labels, timestamps: ts.toArray(), values: vs.toArray() };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Offsets where lines start, to point at a series in a pretty-printed file. */
function lineStarts(text: string): number[] | null {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts.length > 1 ? starts : null;
}

/** The line of the index-th `"metric"` key; approximate (a label value could spell it), good enough to point at. */
function lineOfSeries(text: string, starts: number[], index: number): number {
  let pos = -1;
  for (let k = 0; k <= index; k++) {
    pos = text.indexOf('"metric"', pos + 1);
    if (pos < 0) return 1;
  }
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
