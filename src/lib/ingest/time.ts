// Timestamps as text -> epoch milliseconds (integers). Epoch numbers are read by magnitude; calendar dates
// without a zone are read in the user's zone (UTC unless one is given).
import { IngestError } from './errors.ts';
import { plainDecimal } from './values.ts';
import { shown } from '../text/quote.ts';

/** Maps a wall-clock time (fields as for Date.UTC) in some zone to epoch ms. */
export type ZoneResolver = (wallClockAsUtcMs: number) => number;

const EPOCH = /^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/;
const CALENDAR =
  /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude: below 1e11 is seconds
 * (until the year 5138), below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
 */
export function epochToMs(x: number): number {
  const a = Math.abs(x);
  const ms = a < 1e11 ? x * 1000 : a < 1e14 ? x : a < 1e17 ? x / 1e3 : x / 1e6;
  return inDateRange(ms) ? Math.round(ms) : NaN;
}

/** The range a JavaScript Date can represent (±100,000,000 days around 1970). */
export const MAX_TIME_MS = 8.64e15;
export function inDateRange(ms: number): boolean {
  return ms >= -MAX_TIME_MS && ms <= MAX_TIME_MS;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses a timestamp; returns NaN when the text is not one. */
export function parseTime(raw: string, zone: ZoneResolver = utcZone): number {
  const s = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  if (s.length === 0) return NaN;
  const c = s.charCodeAt(0);
  // Calendar dates start with four digits and a dash or slash; everything else numeric is an epoch.
  if (s.length >= 10 && (s.charCodeAt(4) === 45 || s.charCodeAt(4) === 47) && c >= 48 && c <= 57) {
    return parseCalendar(s, zone);
  }
  const fast = plainDecimal(s);
  if (fast === fast) return epochToMs(fast);
  if (!EPOCH.test(s)) return NaN;
  const x = Number(s);
  return Number.isFinite(x) ? epochToMs(x) : NaN;
}

function parseCalendar(s: string, zone: ZoneResolver): number {
  const m = CALENDAR.exec(s);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  const ms = m[7] ? Math.round(+(m[7] + '000').slice(0, 3) + +('0.' + (m[7] + '000').slice(3))) : 0;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const z = m[8];
  if (z === undefined) return zone(wall);
  if (z === 'Z' || z === 'z' || z === 'UTC' || z === 'GMT') return wall;
  return wall - offsetMinutes(z) * 60_000;
}

function offsetMinutes(z: string): number {
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  const h = +digits.slice(0, 2);
  const m = digits.length > 2 ? +digits.slice(2, 4) : 0;
  return sign * (h * 60 + m);
}

export const utcZone: ZoneResolver = (wall) => wall;

const FIXED = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * The zone for calendar times written without one: `undefined`/`UTC`/`Z` (default), a fixed offset
 * (`+02:00`, `-0530`, `UTC+1`) or an IANA name (`Europe/Berlin`), resolved with Intl including DST.
 */
export function zoneResolver(timeZone?: string): ZoneResolver {
  if (timeZone === undefined) return utcZone;
  const tz = timeZone.trim();
  if (tz === '' || /^(utc|gmt|z)$/i.test(tz)) return utcZone;
  const fixed = FIXED.exec(tz);
  if (fixed) {
    const minutes = (fixed[1] === '-' ? -1 : 1) * (+fixed[2] * 60 + (fixed[3] ? +fixed[3] : 0));
    if (Math.abs(minutes) > 18 * 60) throw new IngestError(`time zone offset '${shown(tz)}' is out of range (±18:00)`);
    return (wall) => wall - minutes * 60_000;
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new IngestError(
      `unknown time zone '${shown(tz)}': give an IANA name such as Europe/Berlin, or a fixed offset such as +02:00`,
    );
  }
  // Offsets only change on quarter hours, so cache them per 15-minute bucket of UTC time.
  const cache = new Map<number, number>();
  const offsetAt = (utc: number): number => {
    const bucket = Math.floor(utc / 900_000);
    let off = cache.get(bucket);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(new Date(bucket * 900_000))) p[part.type] = +part.value;
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - bucket * 900_000;
      if (cache.size > 4096) cache.clear();
      cache.set(bucket, off);
    }
    return off;
  };
  return (wall) => {
    // Two passes settle the offset except inside a DST gap, where the later offset is used.
    const first = wall - offsetAt(wall);
    const second = wall - offsetAt(first);
    return second;
  };
}
