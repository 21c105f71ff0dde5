// Durations an operator types, Prometheus style: `15s`, `1m`, `15000ms`, `1m30s`, `1.5h`. Used for the
// sampling step when a file cannot tell it (one row, or irregular rows): `--step` and the app's Step field.
import { shown } from './quote.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
/** Longest step accepted: a month, far beyond any scrape interval, short of anything absurd. */
const MAX_STEP_MS = 31 * 86400e3;

const HELP = 'write a number with a unit, e.g. 15s, 1m, 15000ms or 1m30s';

/** Milliseconds in a duration such as `1m30s`; throws an Error that says how to write one. */
export function parseDuration(raw: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) throw new Error(`'${shown(text)}' has no unit: ${HELP}`);
  let ms = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) throw new Error(`'${shown(text)}' is not a duration: ${HELP}`);
    ms += Number(m[1]) * UNIT_MS[m[2]];
    at = PART.lastIndex;
  }
  if (text === '') throw new Error(`no duration given: ${HELP}`);
  return ms;
}

/** A sampling step in whole milliseconds, between 1 ms and 31 days. */
export function parseStep(raw: string): number {
  const ms = parseDuration(raw);
  if (!(ms >= 1)) throw new Error(`the step '${shown(raw.trim())}' is shorter than 1 ms: ${HELP}`);
  if (ms > MAX_STEP_MS) throw new Error(`the step '${shown(raw.trim())}' is longer than 31 days: ${HELP}`);
  return Math.round(ms);
}
