// Sample values as text: numbers, the NaN/Inf spellings Prometheus and spreadsheets use, and empty cells.
import { hasControls, shown } from '../text/quote.ts';

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const EXACT = 2 ** 53;

/**
 * `[+-]digits[.digits]` whose digits, leading zeros dropped, form an integer m below 2^53 with at most 22
 * after the point, computed as m / 10^k: both are exact doubles, so the one rounding gives exactly what
 * Number() gives, several times faster (most 16-digit values qualify, as `0.0916559353637164` does). NaN
 * for anything else.
 */
export function plainDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // Exact while below 2^53; at or past it the rounded product is too (rounding is monotonic).
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || m >= EXACT || frac > 22) return NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/** True when every character is one of `0-9 . e E + -` (no hex, no words, no spaces). */
function isNumberChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45)) return false;
  }
  return true;
}
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/** The value was absent (empty cell, `null`): no sample is stored. */
export const MISSING = undefined;
/** The text is not a number: the row is rejected. */
export const INVALID = null;

/**
 * Parses one sample value. Returns a number (NaN and ±Infinity included), `MISSING` for an empty cell or
 * `null`, or `INVALID` for anything else. `decimalComma` accepts `1,5` (semicolon-separated spreadsheets).
 */
export function parseValue(raw: string, decimalComma = false): number | null | undefined {
  let s = raw;
  if (s.length === 0) return MISSING;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (first <= 32 || last <= 32) {
    s = s.trim();
    if (s.length === 0) return MISSING;
  }
  if (s.length > 15) {
    // Longer than the exact path takes (most 17-digit values): straight to Number(), which reads nothing
    // but decimals here, since the text starts with a digit, sign or point, ends with a digit or point, and
    // is no 0x/0o/0b literal (the only other forms it reads start or end with a letter or a space).
    const c = s.charCodeAt(0);
    const z = s.charCodeAt(s.length - 1);
    const prefix = c === 48 ? s.charCodeAt(1) | 32 : 0;
    if (
      ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) &&
      ((z >= 48 && z <= 57) || z === 46) &&
      prefix !== 120 &&
      prefix !== 111 &&
      prefix !== 98
    ) {
      const x = Number(s);
      if (x === x) return x;
    }
  }
  const fast = plainDecimal(s);
  if (fast === fast) return fast;
  if (isNumberChars(s)) {
    // Only digits, sign, point and exponent: Number() accepts exactly the well-formed decimals among them.
    const x = Number(s);
    if (x === x) return x;
    return INVALID;
  }
  if (decimalComma && DECIMAL_COMMA.test(s)) return Number(s.replace(',', '.'));
  switch (s.toLowerCase()) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'null':
      return MISSING;
  }
  return INVALID;
}

/** Writes a value the way Prometheus does (`NaN`, `+Inf`, `-Inf`), keeping the shortest exact decimal. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** Explains why a value was refused; formatted dashboard exports (`45 %`, `1.2 GB`) get a hint. */
export function invalidValueReason(raw: string, column?: string): string {
  const where = column === undefined ? '' : ` in column '${shown(column)}'`;
  const hint =
    !hasControls(raw) && /^[+-]?[\d.,]+\s*[^\d\s.,]+$/.test(raw.trim())
      ? ' (it looks formatted with a unit: export raw values, e.g. turn off "Formatted data" in Grafana)'
      : '';
  return `value '${shown(raw)}'${where} is not a number${hint}`;
}
