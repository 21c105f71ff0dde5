// Entities: the hosts (pods, nodes, …) a frame's series describe. Each entity is analysed on its own
// state cloud, so one host's break is not diluted by hundreds of flat hosts, and spans name the host.
import type { AlignedFrame } from '../frame/types.ts';

/** Labels that name an entity, in the order they are tried (node_exporter's `instance` first). */
export const ENTITY_LABELS = ['instance', 'host', 'pod', 'node', 'job'] as const;

/** Series that lack the entity label are grouped under this name. */
export const UNLABELLED = '(no label)';

/**
 * The label that names entities: `override` when given, else the first of ENTITY_LABELS that some series
 * carry; null when none does (the whole file is one entity).
 */
export function entityLabel(series: readonly { labels: Record<string, string> }[], override?: string): string | null {
  if (override) return override;
  return ENTITY_LABELS.find((l) => series.some((s) => s.labels[l] !== undefined)) ?? null;
}

export interface EntityColumns {
  entity: string;
  /** Column indices in the aligned frame. */
  columns: number[];
}

/** Columns grouped by entity, in order of first appearance; one group when `label` is null. */
export function groupEntities(aligned: AlignedFrame, label: string | null): EntityColumns[] {
  const groups = new Map<string, number[]>();
  aligned.series.forEach((s, j) => {
    const entity = label === null ? 'all' : (s.labels[label] ?? UNLABELLED);
    const list = groups.get(entity);
    if (list) list.push(j);
    else groups.set(entity, [j]);
  });
  return [...groups].map(([entity, columns]) => ({ entity, columns }));
}

/** The frame restricted to some columns (no copy of the data). */
export function subFrame(aligned: AlignedFrame, columns: number[]): AlignedFrame {
  return {
    timestamps: aligned.timestamps,
    stepMs: aligned.stepMs,
    columns: columns.map((j) => aligned.columns[j]),
    series: columns.map((j) => aligned.series[j]),
  };
}
