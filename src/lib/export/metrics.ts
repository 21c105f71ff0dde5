// What `aura watch` exports: the metric names (the alerting rules and the Grafana dashboard use these
// constants), and the per-entity families read off one Report. No analysis happens here: every number is a
// field of the Report the one pipeline built.
import type { EntitySummary, Prediction, Report } from '../report/types.ts';
import type { Family } from './exposition.ts';

export const METRIC = {
  anomalyScore: 'aura_anomaly_score',
  anomalyThreshold: 'aura_anomaly_threshold',
  anomalyActive: 'aura_anomaly_active',
  driverInfo: 'aura_anomaly_driver_info',
  peerOutlier: 'aura_peer_outlier_score',
  risk: 'aura_failure_risk',
  confidence: 'aura_failure_confidence',
  ttf: 'aura_time_to_failure_seconds',
  scenarioInfo: 'aura_failure_scenario_info',
  buildInfo: 'aura_build_info',
  pollDuration: 'aura_poll_duration_seconds',
  windows: 'aura_windows_total',
  requestErrors: 'aura_prometheus_request_errors_total',
  entities: 'aura_entities',
  lastSuccess: 'aura_last_success_timestamp_seconds',
  ready: 'aura_ready',
} as const;

/** Drivers named per active span, at most. */
export const MAX_DRIVERS = 3;

/** Whether the entity's latest window is inside one of its anomaly spans. */
export function isActive(e: EntitySummary, latestT: number): boolean {
  const t = e.latest?.t ?? latestT;
  return e.anomalies.some((s) => s.end >= t);
}

/**
 * A driver series as a label value: its key without the entity's own label, which the `entity` label already
 * carries (`node_filesystem_used_ratio{instance="a",mountpoint="/"}` → `node_filesystem_used_ratio{mountpoint="/"}`).
 */
export function driverName(series: string, label: string | null, entity: string): string {
  if (!label) return series;
  const own = `${label}=${JSON.stringify(entity)}`;
  return series.replace(`{${own}}`, '').replace(`{${own},`, '{').replace(`,${own}`, '');
}

/** The per-entity families of one Report (an entity the model cannot read has no risk samples). */
export function reportFamilies(report: Report): Family[] {
  const entities = report.entities ?? [];
  const label = report.fleet?.label ?? null;
  const latestT = report.timeline.length ? report.timeline[report.timeline.length - 1].t : -Infinity;
  const preds = new Map<string, Prediction>(report.predictions.map((p) => [p.entity, p]));
  const single = entities.length === 1 && report.predictions.length === 1 ? report.predictions[0] : undefined;
  const f = (name: string, type: Family['type'], help: string): Family => ({ name, type, help, samples: [] });
  const score = f(METRIC.anomalyScore, 'gauge', "Robust z of the entity's latest window's distance to its baseline.");
  const threshold = f(METRIC.anomalyThreshold, 'gauge', 'The score above which a window is flagged.');
  const active = f(METRIC.anomalyActive, 'gauge', "1 while the entity's latest window is inside an anomaly span.");
  const drivers = f(METRIC.driverInfo, 'gauge', 'Series that drive the active anomaly span, strongest first (rank).');
  const outlier = f(METRIC.peerOutlier, 'gauge', 'How far the entity stands apart from its peers now; 0 with them.');
  const risk = f(METRIC.risk, 'gauge', 'Failure probability within the horizon, from the CfC model.');
  const confidence = f(METRIC.confidence, 'gauge', "Agreement of the model's ensemble members on the alarm (0..1).");
  const ttf = f(METRIC.ttf, 'gauge', 'Estimated time to failure; absent when the model does not alarm.');
  const scenario = f(METRIC.scenarioInfo, 'gauge', 'The failure scenario the model names (1), when it names one.');
  if (report.settings.threshold !== undefined) threshold.samples.push({ value: report.settings.threshold });
  for (const e of entities) {
    const entity = { entity: e.entity };
    if (e.latest && Number.isFinite(e.latest.score)) score.samples.push({ labels: entity, value: e.latest.score });
    const on = isActive(e, latestT);
    active.samples.push({ labels: entity, value: on ? 1 : 0 });
    if (on) {
      const span = e.anomalies[e.anomalies.length - 1];
      const seen = new Set<string>();
      for (const s of span.series) {
        const series = driverName(s, label, e.entity);
        if (seen.has(series) || seen.size >= MAX_DRIVERS) continue;
        seen.add(series);
        drivers.samples.push({ labels: { ...entity, series, rank: String(seen.size) }, value: 1 });
      }
    }
    const current = e.outlier && e.outlier.until >= latestT ? e.outlier.score : 0;
    if (e.outlier || report.fleet?.peerThreshold != null) outlier.samples.push({ labels: entity, value: current });
    const p = preds.get(e.entity) ?? single;
    if (!p) continue;
    for (const [horizon, r] of Object.entries(p.risk))
      if (Number.isFinite(r)) risk.samples.push({ labels: { ...entity, horizon }, value: r });
    if (Number.isFinite(p.confidence)) confidence.samples.push({ labels: entity, value: p.confidence });
    if (p.ttfMinutes !== null && Number.isFinite(p.ttfMinutes))
      ttf.samples.push({ labels: entity, value: Math.round(p.ttfMinutes * 60) });
    if (p.scenario !== 'none') scenario.samples.push({ labels: { ...entity, scenario: p.scenario }, value: 1 });
  }
  return [score, threshold, active, drivers, outlier, risk, confidence, ttf, scenario];
}
