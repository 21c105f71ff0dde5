// What the analysis covers beyond its numeric settings: the label that names entities (hosts) and the
// reference period taken as normal. Both go in the URL hash (`entity=pod`, `bfrom=…&bto=…` as ISO times), so
// a shared link reproduces the analysis; what a link carries is validated, never trusted.

export interface Scope {
  /** The label that names entities; absent: the first of instance, host, pod, node, job present. */
  entity?: string;
  /** Reference period (epoch ms, inclusive); absent: the first 15 % of the data. */
  baseline?: { from: number; to: number };
}

/** Labels offered first by the entity picker, in the order the automatic choice tries them. */
export const ENTITY_LABELS = ['instance', 'host', 'pod', 'node', 'job'] as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `label` cannot name entities, or null when it can. */
export function entityLabelError(label: string): string | null {
  return LABEL_NAME.test(label)
    ? null
    : `the entity label must be a label name (letters, digits and _, not starting with a digit), got '${label}'`;
}

/** Why a baseline period cannot be used, or null when it can. */
export function baselineError(b: { from: number; to: number }): string | null {
  if (!Number.isFinite(b.from) || !Number.isFinite(b.to)) return 'the baseline needs a start and an end time';
  if (b.to <= b.from) return 'the baseline must end after it starts';
  return null;
}

/** The scope a link carries; a bad entity label or period is left out (the default applies). */
export function scopeFromParams(q: URLSearchParams): Scope {
  const scope: Scope = {};
  const entity = q.get('entity');
  if (entity && entityLabelError(entity) === null) scope.entity = entity;
  const from = Date.parse(q.get('bfrom') ?? '');
  const to = Date.parse(q.get('bto') ?? '');
  if (baselineError({ from, to }) === null) scope.baseline = { from, to };
  return scope;
}

/** Adds the scope's hash parameters to `q` (nothing for the defaults). */
export function scopeToParams(s: Scope, q: URLSearchParams): URLSearchParams {
  if (s.entity) q.set('entity', s.entity);
  if (s.baseline) {
    q.set('bfrom', new Date(s.baseline.from).toISOString());
    q.set('bto', new Date(s.baseline.to).toISOString());
  }
  return q;
}

/** The scope's options for the pipeline (src/lib/analysis AnalysisOptions), only those set. */
export function analysisScope(s: Scope): Scope {
  return {
    ...(s.entity ? { entity: s.entity } : {}),
    ...(s.baseline ? { baseline: { ...s.baseline } } : {}),
  };
}

/** `2026-03-02T14:05` for a datetime-local input showing UTC, or '' for none. */
export function toUtcInput(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString().slice(0, 16);
}

/** Epoch ms of a datetime-local input's value read as UTC; NaN when empty or not a time. */
export function fromUtcInput(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text) ? Date.parse(`${text}Z`) : NaN;
}

/** The entity picker's choices: the usual labels, then every other label the data has (sorted). */
export function entityChoices(series: readonly { labels: Record<string, string> }[]): string[] {
  const present = new Set<string>();
  for (const s of series) for (const k of Object.keys(s.labels)) present.add(k);
  const usual: string[] = [...ENTITY_LABELS];
  return [...usual, ...[...present].filter((k) => !usual.includes(k) && LABEL_NAME.test(k)).sort()];
}
