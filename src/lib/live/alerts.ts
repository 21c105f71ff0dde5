// Alerts: a risk that crosses its threshold upwards raises one alert; it re-arms only after the risk fell
// back below the threshold minus a hysteresis margin, so a value hovering at the line does not flap.
import type { Prediction, TimelinePoint } from '../report/types.ts';

export interface AlertRule {
  /** Probability in [0, 1] at or above which a horizon's risk raises an alert. */
  riskThreshold: number;
  /** Re-arm once the risk is below riskThreshold − hysteresis. */
  hysteresis: number;
}

export const defaultAlertRule: AlertRule = { riskThreshold: 0.5, hysteresis: 0.1 };

export interface Alert {
  /** When the crossing was seen (the newest window's end, epoch ms). */
  t: number;
  /** The Prometheus URL (or other origin) the data came from. */
  source: string;
  kind: 'risk' | 'anomaly';
  entity: string;
  /** Model horizon, e.g. "1h"; empty for anomaly alerts. */
  horizon: string;
  value: number;
  /** The threshold crossed; null for anomaly alerts (the timeline decides what is anomalous). */
  threshold: number | null;
  scenario: string;
  message: string;
}

/** Per entity+horizon: whether an alert is currently raised (and so must not be raised again). */
export type AlertArming = Map<string, boolean>;

function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

/** Compares the latest predictions with the arming state; returns the new alerts and updates `armed`. */
export function riskCrossings(
  predictions: readonly Prediction[],
  raised: AlertArming,
  rule: AlertRule,
  t: number,
  source: string,
): Alert[] {
  const alerts: Alert[] = [];
  for (const p of predictions) {
    for (const [horizon, risk] of Object.entries(p.risk)) {
      if (!Number.isFinite(risk)) continue;
      const key = `${p.entity}\u0000${horizon}`;
      if (raised.get(key)) {
        if (risk < rule.riskThreshold - rule.hysteresis) raised.set(key, false);
        continue;
      }
      if (risk >= rule.riskThreshold) {
        raised.set(key, true);
        const ttf = p.ttfMinutes === null ? '' : `, about ${Math.round(p.ttfMinutes)} min to failure`;
        alerts.push({
          t,
          source,
          kind: 'risk',
          entity: p.entity,
          horizon,
          value: risk,
          threshold: rule.riskThreshold,
          scenario: p.scenario,
          message: `${p.entity || 'system'}: ${p.scenario.replace(/_/g, ' ')} risk ${percent(risk)} within ${horizon}${ttf}`,
        });
      }
    }
  }
  return alerts;
}

/** One alert per run of anomalous windows among the newly computed ones (the first window of each run). */
export function anomalyStarts(
  points: readonly TimelinePoint[],
  wasAnomalous: boolean,
  source: string,
): { alerts: Alert[]; anomalous: boolean } {
  const alerts: Alert[] = [];
  let previous = wasAnomalous;
  for (const p of points) {
    if (p.anomalous && !previous) {
      alerts.push({
        t: p.t,
        source,
        kind: 'anomaly',
        entity: '',
        horizon: '',
        value: p.score,
        threshold: null,
        scenario: '',
        message: `Behaviour changed shape at ${new Date(p.t).toISOString()} (anomaly score ${p.score.toFixed(2)})`,
      });
    }
    previous = p.anomalous;
  }
  return { alerts, anomalous: previous };
}
