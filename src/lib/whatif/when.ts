// Times an operator types for a what-if: an ISO 8601 time, epoch seconds or ms, a share of the data's span
// ("60%"), a time before the data's end ("-6h"), or, for the failure, a time after the onset ("+3h").
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

const HELP =
  'use an ISO 8601 time (2026-11-26T08:00Z, UTC when no zone is given), epoch seconds or ms, ' +
  "a share of the data's span (60%) or a time before its end (-6h)";

export function parseWhen(raw: string, ctx: { start: number; end: number; onset?: number }): number {
  const text = raw.trim();
  const share = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (share) {
    const p = Number(share[1]);
    if (p > 100) throw new Error(`'${raw}' is more than 100 % of the data's span`);
    return ctx.start + (p / 100) * (ctx.end - ctx.start);
  }
  const rel = /^([+-])(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  if (rel) {
    const ms = Number(rel[2]) * UNIT_MS[rel[3]];
    if (rel[1] === '-') return ctx.end - ms;
    if (ctx.onset === undefined) throw new Error(`'${raw}' counts from the onset, so only the failure time takes it`);
    return ctx.onset + ms;
  }
  if (/^\d{9,16}$/.test(text)) {
    const n = Number(text);
    return text.length <= 11 ? n * 1000 : n;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text) || text.length === 10 ? text : text + 'Z';
    const t = Date.parse(zoned.length === 10 ? zoned + 'T00:00Z' : zoned);
    if (Number.isFinite(t)) return t;
  }
  throw new Error(`'${raw}' is not a time: ${HELP}`);
}
