// Small formatters shared by the Markdown and CSV renderings of a Report.

/** `2026-01-05 14:30:00Z`: ISO without milliseconds, readable in a table. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return new Date(ms).toISOString().replace('T', ' ').replace('.000Z', 'Z');
}

/** A duration in the largest sensible units: `15 s`, `5 min`, `3 h 36 min`, `2 d 4 h`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
