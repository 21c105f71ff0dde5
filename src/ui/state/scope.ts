// What the analysis covers beyond its numeric settings: the label that names entities (hosts), the
// reference period taken as normal, and the sampling step of data that cannot tell it. All go in the URL hash
// (`entity=pod`, `bfrom=…&bto=…` as ISO times, `step=1m`), so a shared link reproduces the analysis; what a
// link carries is validated, never trusted.
import { parseStep } from '../../lib/text/duration.ts';

export interface Scope {
  /** The label that names entities; absent: the first of instance, host, pod, node, job present. */
  entity?: string;
  /** Reference period (epoch ms, inclusive); absent: the first 15 % of the data. */
  baseline?: { from: number; to: number };
  /** Sampling step as typed (`1m`, `15s`) for one-row or irregular data; absent: detected from the data. */
  step?: string;
}

/** Why a step cannot be used, or null when it can. */
export function stepError(step: string): string | null {
  try {
    parseStep(step);
    return null;
  } catch (err) {
    return `step: ${(err as Error).message}`;
  }
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
  const step = q.get('step');
  if (step && stepError(step) === null) scope.step = step;
  return scope;
}

/** Adds the scope's hash parameters to `q` (nothing for the defaults). */
export function scopeToParams(s: Scope, q: URLSearchParams): URLSearchParams {
  if (s.entity) q.set('entity', s.entity);
  if (s.baseline) {
    q.set('bfrom', new Date(s.baseline.from).toISOString());
    q.set('bto', new Date(s.baseline.to).toISOString());
  }
  if (s.step) q.set('step', s.step);
  return q;
}

/** The scope as the pipeline takes it (src/lib/analysis AnalysisOptions). */
export interface PipelineScope {
  entity?: string;
  baseline?: { from: number; to: number };
  stepMs?: number;
}

/** The scope's options for the pipeline, only those set. */
export function analysisScope(s: Scope): PipelineScope {
  return {
    ...(s.entity ? { entity: s.entity } : {}),
    ...(s.baseline ? { baseline: { ...s.baseline } } : {}),
    ...(s.step && stepError(s.step) === null ? { stepMs: parseStep(s.step) } : {}),
  };
}

/** `2026-03-02 14:05` (with `:ss` when the seconds are not 0) for a 24-hour UTC text input, or '' for none. */
export function toUtcInput(t: number | undefined): string {
  if (t === undefined || !Number.isFinite(t)) return '';
  const iso = new Date(t).toISOString();
  return iso.slice(0, iso.slice(17, 19) === '00' ? 16 : 19).replace('T', ' ');
}

/**
 * The samples of `timestamps` inside [a, b] as a baseline period: from the first to the last, to the second
 * (the inputs' precision; the first is floored and the last ceiled, so both stay inside). Null when fewer
 * than 2 samples fall inside.
 */
export function snapToSamples(
  timestamps: ArrayLike<number>,
  a: number,
  b: number,
): { from: number; to: number; samples: number } | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < timestamps.length; i++) {
    if (timestamps[i] < a || timestamps[i] > b) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0 || last - first < 1) return null;
  return {
    from: Math.floor(timestamps[first] / 1000) * 1000,
    to: Math.ceil(timestamps[last] / 1000) * 1000,
    samples: last - first + 1,
  };
}

/** Epoch ms of a UTC time typed as `2026-03-02 14:05` (or with a `T`); NaN when empty or not a time. */
export function fromUtcInput(text: string): number {
  const t = text.trim();
  return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(t) ? Date.parse(`${t.replace(' ', 'T')}Z`) : NaN;
}

/** The entity picker's choices: the usual labels, then every other label the data has (sorted). */
export function entityChoices(series: readonly { labels: Record<string, string> }[]): string[] {
  const present = new Set<string>();
  for (const s of series) for (const k of Object.keys(s.labels)) present.add(k);
  const usual: string[] = [...ENTITY_LABELS];
  return [...usual, ...[...present].filter((k) => !usual.includes(k) && LABEL_NAME.test(k)).sort()];
}
