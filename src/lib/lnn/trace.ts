// The model's view of one entity over a stretch of time: one prediction per 5-minute bucket, as if the
// model had run at the end of each (features are causal, so this is what live mode would have shown).
import type { MetricFrame } from '../frame/types.ts';
import type { Scenario } from '../report/types.ts';
import type { ColumnRoles } from './column-roles.ts';
import { extractFeatures } from './features.ts';
import { isAlarm, predictWindows, reportedScenario, type Predictor } from './predict.ts';
import { alarmPersistence } from './card.ts';

export interface RiskPoint {
  /** End of the bucket, epoch ms. */
  t: number;
  /** Failure probability per horizon, keyed by the card's horizon names. */
  risk: Record<string, number>;
  /** Whether the model alarmed: isAlarm in predict.ts, held over the card's persistence (alarmPersistence). */
  alarm: boolean;
  /** The scenario reported (reportedScenario in predict.ts). */
  scenario: Scenario;
  /** Median time to failure in minutes. */
  ttfMinutes: number;
}

/** At most this many points; a longer stretch is read every k-th bucket. */
export const MAX_TRACE_POINTS = 400;

/**
 * The model at each observed bucket of `entity` that ends within [from, to], at most `maxPoints` of them
 * (evenly spread), reading columns by `roles` where given. Empty when the entity is unknown.
 */
export async function riskTrace(
  p: Predictor,
  frame: MetricFrame,
  entity: string,
  from: number,
  to: number,
  maxPoints = MAX_TRACE_POINTS,
  roles?: ColumnRoles,
): Promise<RiskPoint[]> {
  const [host] = extractFeatures(frame, { ph: p.ph, entity, roles });
  if (!host) return [];
  const buckets: number[] = [];
  host.times.forEach((t, k) => {
    if (t >= from && t <= to && host.observed[k]) buckets.push(k);
  });
  const every = Math.max(1, Math.ceil(buckets.length / maxPoints));
  const chosenAt = buckets.flatMap((_, i) => (i % every === 0 || i === buckets.length - 1 ? [i] : []));
  // The alarm must hold over the persistence's consecutive observed buckets (alarmPersistence): each chosen
  // bucket is run with the ones before it, including those before `from`.
  const { card } = p;
  const k = alarmPersistence(card);
  const all: number[] = [];
  host.observed.forEach((o, j) => (o ? all.push(j) : 0));
  const pos = new Map(all.map((b, i) => [b, i]));
  const needed = [
    ...new Set(chosenAt.flatMap((i) => all.slice(Math.max(0, pos.get(buckets[i])! - k + 1), pos.get(buckets[i])! + 1))),
  ].sort((a, b) => a - b);
  const outputs = await predictWindows(
    p,
    needed.map((bucket) => ({ host, bucket })),
  );
  const raw = new Map(
    needed.map((b, i) => {
      const o = outputs[i];
      const scenario = reportedScenario(card, host, b, o);
      return [b, { o, scenario, alarm: isAlarm(card, o.risk, scenario, host, b) }];
    }),
  );
  return chosenAt.map((i) => {
    const b = buckets[i];
    const { o, scenario } = raw.get(b)!;
    const back = all.slice(Math.max(0, pos.get(b)! - k + 1), pos.get(b)! + 1);
    const risk: Record<string, number> = {};
    card.horizons.forEach((h, j) => (risk[h.name] = Number(o.risk[j].toFixed(4))));
    return {
      t: host.times[b],
      risk,
      alarm: back.length === k && back.every((j) => raw.get(j)!.alarm),
      scenario,
      ttfMinutes: Math.round(o.ttf[1]),
    };
  });
}
