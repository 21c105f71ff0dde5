// The app's column-roles step without Svelte: the choices a column's select offers, the step's draft to and
// from the mapping's text form (as in the URL hash and `aura --map`), and which channels the model will
// read for each host. The mapping itself is src/lib/lnn/column-roles.ts.
import type { MetricFrame } from '../../lib/frame/types.ts';
import { entityOf } from '../../lib/domain/channels.ts';
import { CHANNELS, type Channel } from '../../lib/lnn/spec.ts';
import {
  CAPACITY_CHANNELS,
  describeColumnRoles,
  formatColumnRoles,
  frameColumns,
  parseColumnRoles,
  type ColumnRole,
  type ColumnRoles,
} from '../../lib/lnn/column-roles.ts';

/** What a column's select holds: '' (as the name says), 'ignore', or a role's text (`memory:used`, `cpu`). */
export type RoleValue = string;

/** The draft of the step: column → choice; columns left automatic are absent or ''. */
export type RoleDraft = Record<string, RoleValue>;

const LABELS: Record<Channel, string> = {
  cpu: 'CPU busy',
  load: 'load average',
  memory: 'memory',
  swap: 'swap',
  disk: 'disk space',
  io: 'disk I/O',
  network: 'network traffic',
  retrans: 'TCP retransmits',
  fd: 'file descriptors',
  latency: 'latency',
  errors: 'errors',
};

/** A channel in words, for the step and its preview. */
export const channelLabel = (c: Channel): string => LABELS[c];

/** The choices every column's select offers after "as named": each channel (capacity ones as used or left), ignore. */
export const ROLE_CHOICES: readonly { value: RoleValue; label: string }[] = [
  ...CHANNELS.flatMap((c) =>
    CAPACITY_CHANNELS.includes(c)
      ? [
          { value: `${c}:used`, label: `${LABELS[c]}: share used` },
          { value: c, label: `${LABELS[c]}: what is left` },
        ]
      : [{ value: c, label: LABELS[c] }],
  ),
  { value: 'ignore', label: 'ignore (the model does not read it)' },
];

/** A role as the select's value. */
export function roleValue(role: ColumnRole | undefined): RoleValue {
  if (!role) return '';
  return role === 'ignore' ? 'ignore' : role.sense === 'used' ? `${role.channel}:used` : role.channel;
}

/** The draft for a mapping's text (unknown columns left out); an unreadable text gives an empty draft. */
export function draftFromText(text: string | undefined, columns: readonly string[]): RoleDraft {
  const draft: RoleDraft = {};
  const roles = rolesOf(text);
  for (const c of columns) if (roles?.[c]) draft[c] = roleValue(roles[c]);
  return draft;
}

/** The mapping's text for a draft, in the frame's column order; '' when every column is as named. */
export function textFromDraft(draft: RoleDraft, columns: readonly string[]): string {
  const parts = columns.filter((c) => draft[c]).map((c) => `${c}=${draft[c]}`);
  return parts.length ? formatColumnRoles(parseColumnRoles(parts.join(','))) : '';
}

/**
 * The mapping to predict `frame` with: the text's roles for the columns the frame has. `missing` names the
 * columns it maps that this data lacks (a link made for another file), so the step can say so.
 */
export function appliedRoles(
  text: string | undefined,
  frame: MetricFrame,
): { roles: ColumnRoles | undefined; missing: string[] } {
  const all = rolesOf(text);
  if (!all) return { roles: undefined, missing: [] };
  const have = new Set(frameColumns(frame));
  const roles: ColumnRoles = {};
  const missing: string[] = [];
  for (const [column, role] of Object.entries(all)) {
    if (have.has(column)) roles[column] = role;
    else missing.push(column);
  }
  return { roles: Object.keys(roles).length ? roles : undefined, missing };
}

/** For each host (in the frame's order): the channels the model will read from it under `roles`. */
export function hostChannels(
  frame: MetricFrame,
  roles: ColumnRoles | undefined,
): { host: string; channels: Channel[] }[] {
  const channelOf = new Map(describeColumnRoles(frame, roles).map((r) => [r.column, r.channel]));
  const hosts = new Map<string, Set<Channel>>();
  for (const s of frame.series) {
    const host = entityOf(s.labels);
    let set = hosts.get(host);
    if (!set) hosts.set(host, (set = new Set()));
    const c = channelOf.get(s.name);
    if (c) set.add(c);
  }
  return [...hosts].map(([host, set]) => ({ host, channels: CHANNELS.filter((c) => set.has(c)) }));
}

function rolesOf(text: string | undefined): ColumnRoles | null {
  if (!text) return null;
  try {
    return parseColumnRoles(text);
  } catch {
    return null;
  }
}
