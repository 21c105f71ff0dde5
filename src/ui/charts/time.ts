// One way to write times across the app: 24-hour clock, ISO dates, the zone always shown. UTC by default
// (monitoring data is compared across hosts and zones); the user may switch to this browser's local time.

export type TimeZoneMode = 'utc' | 'local';

let mode: TimeZoneMode = 'utc';

/** Sets the zone every formatter below uses (the views redraw after a change). */
export function setTimeZoneMode(m: TimeZoneMode): void {
  mode = m;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function parts(t: number, m: TimeZoneMode): Parts {
  const x = new Date(t);
  return m === 'utc'
    ? {
        y: x.getUTCFullYear(),
        mo: x.getUTCMonth(),
        d: x.getUTCDate(),
        h: x.getUTCHours(),
        mi: x.getUTCMinutes(),
        s: x.getUTCSeconds(),
      }
    : { y: x.getFullYear(), mo: x.getMonth(), d: x.getDate(), h: x.getHours(), mi: x.getMinutes(), s: x.getSeconds() };
}

/** The zone's name as shown after a time: `UTC`, or the local offset at `t` such as `UTC+01:00`. */
export function zoneLabel(t: number, m: TimeZoneMode = mode): string {
  if (m === 'utc') return 'UTC';
  const off = -new Date(Number.isFinite(t) ? t : Date.now()).getTimezoneOffset();
  if (off === 0) return 'UTC+00:00';
  const a = Math.abs(off);
  return `UTC${off > 0 ? '+' : '−'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** 2026-11-26 */
export function fmtDate(t: number, m: TimeZoneMode = mode): string {
  if (!Number.isFinite(t)) return '–';
  const p = parts(t, m);
  return `${p.y}-${pad(p.mo + 1)}-${pad(p.d)}`;
}

/** 07:45, or 07:45:30 with `seconds` */
export function fmtClock(t: number, seconds = false, m: TimeZoneMode = mode): string {
  if (!Number.isFinite(t)) return '–';
  const p = parts(t, m);
  return `${pad(p.h)}:${pad(p.mi)}${seconds ? `:${pad(p.s)}` : ''}`;
}

/** Full time for tooltips and sentences: 2026-11-26 07:45:00 UTC. */
export function fmtTime(t: number, m: TimeZoneMode = mode): string {
  if (!Number.isFinite(t)) return '–';
  return `${fmtDate(t, m)} ${fmtClock(t, true, m)} ${zoneLabel(t, m)}`;
}

/**
 * A time range in few characters: `01-05 14:20 – 16:40 UTC` on one day, and both dates when it crosses
 * midnight: `01-05 23:40 – 01-06 00:20 UTC`.
 */
export function fmtRange(a: number, b: number, m: TimeZoneMode = mode): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '–';
  const day = (t: number) => fmtDate(t, m).slice(5);
  const sameDay = fmtDate(a, m) === fmtDate(b, m);
  return `${day(a)} ${fmtClock(a, false, m)} – ${sameDay ? '' : `${day(b)} `}${fmtClock(b, false, m)} ${zoneLabel(b, m)}`;
}

/**
 * Labels for the ticks of a time axis, always on a 24-hour clock: a tick at midnight shows its date
 * (`Jan 05`), others the time (`00:05`, or `00:05:30` when ticks are less than a minute apart).
 */
export function timeTickLabels(ticks: number[], m: TimeZoneMode = mode): string[] {
  const gap = ticks.length > 1 ? ticks[1] - ticks[0] : Infinity;
  const withSeconds = gap < 60_000 || ticks.some((t) => parts(t, m).s !== 0);
  return ticks.map((t) => {
    const p = parts(t, m);
    if (p.h === 0 && p.mi === 0 && p.s === 0) return `${MONTHS[p.mo]} ${pad(p.d)}`;
    return fmtClock(t, withSeconds, m);
  });
}
