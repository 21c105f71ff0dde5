// Column roles: which of the model's channels each metric (column) of a frame feeds. Real files name their
// metrics anything (NAB's `value`, SMD's `m5`, a Grafana export's panel titles); the automatic mapping
// (channels.ts) reads names, and this module lets the user say what a column is when the name does not.
//
// Text form, as in `aura predict --map` and the URL hash: `m5=memory:used,m12=disk,m3=ignore`.
// A capacity channel (memory, swap, disk) may say how to read the column: `:free` (bytes or share left,
// the default unless the name says used/usage/util/percent) or `:used` (share used, 0–1 or 0–100).
import type { MetricFrame } from '../frame/types.ts';
import { seriesChannel } from '../domain/channels.ts';
import { CHANNELS, type Channel } from './spec.ts';

/** How to read a capacity column: what is left, or what is used. */
export type CapacitySense = 'free' | 'used';

/** What the user said about one column: a channel (with a sense for capacity channels), or ignore it. */
export type ColumnRole = { channel: Channel; sense?: CapacitySense } | 'ignore';

/** Column name → role. Columns not named keep their automatic channel. */
export type ColumnRoles = Record<string, ColumnRole>;

export const CAPACITY_CHANNELS: readonly Channel[] = ['memory', 'swap', 'disk'];

export class ColumnRolesError extends Error {
  override name = 'ColumnRolesError';
}

const isChannel = (s: string): s is Channel => (CHANNELS as readonly string[]).includes(s);

/**
 * Parses `col=channel[:used|:free],col=ignore,…`. Throws ColumnRolesError with what to write instead.
 * A column may appear once; names are matched exactly (case matters, as in the file's header).
 */
export function parseColumnRoles(text: string): ColumnRoles {
  const roles: ColumnRoles = {};
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0)
    throw new ColumnRolesError(`empty column mapping: write COLUMN=CHANNEL pairs, e.g. m5=memory,m12=disk`);
  for (const part of parts) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw new ColumnRolesError(
        `"${part}" is not COLUMN=CHANNEL (e.g. m5=memory, or m3=ignore to leave a column out)`,
      );
    const column = part.slice(0, eq).trim();
    const [target, sense, ...extra] = part
      .slice(eq + 1)
      .trim()
      .toLowerCase()
      .split(':');
    if (column in roles) throw new ColumnRolesError(`column "${column}" is mapped twice; keep one of its mappings`);
    if (target === 'ignore' && sense === undefined) {
      roles[column] = 'ignore';
      continue;
    }
    if (!isChannel(target))
      throw new ColumnRolesError(
        `unknown channel "${target}" for column "${column}": use one of ${CHANNELS.join(', ')} or ignore`,
      );
    if (extra.length > 0 || (sense !== undefined && sense !== 'used' && sense !== 'free'))
      throw new ColumnRolesError(`"${part}": after the channel only :used or :free may follow (e.g. m5=memory:used)`);
    if (sense !== undefined && !CAPACITY_CHANNELS.includes(target))
      throw new ColumnRolesError(
        `"${part}": :${sense} applies to ${CAPACITY_CHANNELS.join(', ')} only; write ${column}=${target}`,
      );
    roles[column] = sense ? { channel: target, sense } : { channel: target };
  }
  return roles;
}

/** The text form of a mapping (parseColumnRoles reads it back); columns in the order given. */
export function formatColumnRoles(roles: ColumnRoles): string {
  return Object.entries(roles)
    .map(([column, r]) => `${column}=${r === 'ignore' ? 'ignore' : r.sense ? `${r.channel}:${r.sense}` : r.channel}`)
    .join(',');
}

/** The distinct metric (column) names of a frame, in order of first appearance. */
export function frameColumns(frame: MetricFrame): string[] {
  return [...new Set(frame.series.map((s) => s.name))];
}

/**
 * Checks a mapping against a frame: every mapped column must exist. Throws ColumnRolesError naming the
 * missing ones and the columns there are.
 */
export function checkColumnRoles(frame: MetricFrame, roles: ColumnRoles): void {
  const have = new Set(frameColumns(frame));
  const missing = Object.keys(roles).filter((c) => !have.has(c));
  if (missing.length === 0) return;
  const list = [...have];
  const shown = list.slice(0, 12).join(', ') + (list.length > 12 ? `, … (${list.length} in all)` : '');
  throw new ColumnRolesError(
    `no column named ${missing.map((m) => `"${m}"`).join(', ')} in this data; its columns are ${shown || '(none)'}`,
  );
}

/** The channel and sense a series feeds: the user's role when there is one, else the automatic mapping. */
export function resolveRole(
  name: string,
  origin: string,
  roles: ColumnRoles | undefined,
): { channel: Channel; sense?: CapacitySense } | null {
  const role = roles?.[name];
  if (role === 'ignore') return null;
  if (role) return role;
  const channel = seriesChannel(name, origin);
  return channel ? { channel } : null;
}

/** One row of the mapping as shown to the user. */
export interface ColumnRoleRow {
  column: string;
  /** What the names say (channels.ts), null when nothing. */
  auto: Channel | null;
  /** What the model will read the column as: the user's role, else `auto`; null = not read. */
  channel: Channel | null;
  sense?: CapacitySense;
  /** True when the user's mapping decides this row. */
  edited: boolean;
}

/** The mapping of every column of a frame, automatic and edited side by side (for the app's step and the report). */
export function describeColumnRoles(frame: MetricFrame, roles?: ColumnRoles): ColumnRoleRow[] {
  return frameColumns(frame).map((column) => {
    const auto = seriesChannel(column, frame.meta.origin);
    const r = resolveRole(column, frame.meta.origin, roles);
    return {
      column,
      auto,
      channel: r?.channel ?? null,
      ...(r?.sense ? { sense: r.sense } : {}),
      edited: roles?.[column] !== undefined,
    };
  });
}

/** The channels the model will read, in the model's channel order. */
export function channelsRead(rows: ColumnRoleRow[]): Channel[] {
  const used = new Set(rows.map((r) => r.channel).filter((c): c is Channel => c !== null));
  return CHANNELS.filter((c) => used.has(c));
}

/**
 * When no column maps to a channel the model knows, what to do about it: a sentence naming the columns and
 * the channels, with an example mapping. Null when some column already maps.
 */
export function suggestColumnRoles(frame: MetricFrame, roles?: ColumnRoles): string | null {
  const rows = describeColumnRoles(frame, roles);
  if (rows.length === 0 || channelsRead(rows).length > 0) return null;
  const cols = rows.map((r) => r.column);
  const shown = cols.slice(0, 6).join(', ') + (cols.length > 6 ? `, … (${cols.length} columns)` : '');
  const example = cols
    .slice(0, 2)
    .map((c, i) => `${c}=${i === 0 ? 'cpu' : 'memory:used'}`)
    .join(',');
  return (
    `no predictions: none of the columns (${shown}) is named like a metric the model knows. ` +
    `Say what they measure with a column mapping, e.g. --map ${example} ` +
    `(channels: ${CHANNELS.join(', ')}; :used or :free for memory, swap and disk; ignore to leave one out).`
  );
}
