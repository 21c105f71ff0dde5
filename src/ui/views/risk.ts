// Which host a series belongs to, and each host's highest predicted risk, for overlays on the series.
import type { Prediction } from '../../lib/report/types.ts';

/** The `instance` label (Prometheus' host identity), else `host`, else the empty string. */
export function entityOf(labels: Record<string, string>): string {
  return labels.instance ?? labels.host ?? '';
}

export interface EntityRisk {
  horizon: string;
  value: number;
}

/** Per entity, the horizon with the highest failure probability. */
export function riskByEntity(predictions: Prediction[]): Map<string, EntityRisk> {
  const out = new Map<string, EntityRisk>();
  for (const p of predictions) {
    let best: EntityRisk | null = null;
    for (const [horizon, value] of Object.entries(p.risk)) if (!best || value > best.value) best = { horizon, value };
    if (best) out.set(p.entity, best);
  }
  return out;
}
