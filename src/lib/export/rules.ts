// Prometheus alerting rules over the aura_* metrics, as a plain rule file or a PrometheusRule manifest
// (prometheus-operator). Risk thresholds come from the model card's alarm policy, so an alert fires where
// the model itself alarms. YAML is written by hand: every string is a JSON string, which YAML reads as a
// double-quoted scalar, so no value can break the document.
import { METRIC } from './metrics.ts';

export interface RuleOptions {
  /** Risk thresholds per horizon (ModelCard alarm policy: alarmThreshold(card, horizon)). */
  thresholds: Record<string, number>;
  /** `for:` of the entity alerts (anomaly active, risk), e.g. `10m`. */
  forDuration: string;
  /** The scrape job of the watch shards, for the meta-alerts. */
  job: string;
  /** A shard is stale when its last successful poll is older than this, in seconds. */
  staleSeconds: number;
}

export const DEFAULT_RULE_OPTIONS: Omit<RuleOptions, 'thresholds'> = {
  forDuration: '10m',
  job: 'aura',
  staleSeconds: 300,
};

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** The alerting rules, in one group `aura`. */
export function alertRules(o: RuleOptions): AlertRule[] {
  if (!DURATION.test(o.forDuration))
    throw new Error(`--for must be a Prometheus duration such as 30s, 5m or 1h, got '${o.forDuration}'`);
  if (!/^[a-zA-Z_][a-zA-Z0-9_:.-]*$/.test(o.job)) throw new Error(`--job must be a job name, got '${o.job}'`);
  const job = `job=${JSON.stringify(o.job)}`;
  const rules: AlertRule[] = [
    {
      alert: 'AuraAnomalyActive',
      expr: `${METRIC.anomalyActive} == 1`,
      for: o.forDuration,
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.entity }}: behaviour changed shape',
        description:
          '{{ $labels.entity }} has been in an anomaly span for ' +
          o.forDuration +
          `; the series that drive it are in ${METRIC.driverInfo}{entity="{{ $labels.entity }}"}.`,
      },
    },
  ];
  for (const [horizon, threshold] of Object.entries(o.thresholds)) {
    if (!(threshold > 0 && threshold < 1))
      throw new Error(`the ${horizon} risk threshold must be in (0, 1), got ${threshold}`);
    rules.push({
      alert: `AuraFailureRisk${horizon}`,
      expr: `${METRIC.risk}{horizon=${JSON.stringify(horizon)}} >= ${threshold}`,
      for: o.forDuration,
      labels: { severity: horizon === '15m' ? 'critical' : 'warning', horizon },
      annotations: {
        summary: `{{ $labels.entity }}: failure risk within ${horizon} is {{ $value | humanizePercentage }}`,
        description: `The model's risk is at or above its alarm threshold ${threshold} (model card alarm policy).`,
      },
    });
  }
  rules.push(
    {
      alert: 'AuraTimeToFailureUnder1h',
      expr: `${METRIC.ttf} < 3600`,
      for: '0m',
      labels: { severity: 'critical' },
      annotations: {
        summary: '{{ $labels.entity }}: failure expected in {{ $value | humanizeDuration }}',
        description: `See ${METRIC.scenarioInfo}{entity="{{ $labels.entity }}"} for the likely scenario.`,
      },
    },
    {
      alert: 'AuraWatchDown',
      expr: `up{${job}} == 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'aura watch {{ $labels.instance }} is down',
        description: 'Prometheus cannot scrape this shard: its entities are not analysed.',
      },
    },
    {
      alert: 'AuraWatchAbsent',
      expr: `absent(up{${job}})`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `no aura watch target in job ${o.job}`,
        description: 'No shard is scraped: check the scrape config and the StatefulSet.',
      },
    },
    {
      alert: 'AuraWatchStale',
      expr: `time() - ${METRIC.lastSuccess} > ${o.staleSeconds}`,
      for: '0m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'aura watch {{ $labels.instance }} has not completed a poll for {{ $value | humanizeDuration }}',
        description: 'Its metrics are old: Prometheus may be unreachable from it, or the poll is too slow.',
      },
    },
    {
      alert: 'AuraPrometheusErrors',
      expr: `sum by (instance, code) (increase(${METRIC.requestErrors}[10m])) > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'aura watch {{ $labels.instance }}: Prometheus requests failing ({{ $labels.code }})',
        description: 'Requests from the watch shard to Prometheus keep failing; it retries with backoff.',
      },
    },
  );
  return rules;
}

function yamlRules(rules: AlertRule[], indent: string): string[] {
  const q = JSON.stringify;
  const lines: string[] = [];
  for (const r of rules) {
    lines.push(`${indent}- alert: ${r.alert}`, `${indent}  expr: ${q(r.expr)}`, `${indent}  for: ${r.for}`);
    lines.push(`${indent}  labels:`);
    for (const [k, v] of Object.entries(r.labels)) lines.push(`${indent}    ${k}: ${q(v)}`);
    lines.push(`${indent}  annotations:`);
    for (const [k, v] of Object.entries(r.annotations)) lines.push(`${indent}    ${k}: ${q(v)}`);
  }
  return lines;
}

/** A plain Prometheus rule file (`rule_files:`). */
export function ruleFile(o: RuleOptions): string {
  return ['groups:', '  - name: aura', '    rules:', ...yamlRules(alertRules(o), '      '), ''].join('\n');
}

/** The same rules as a prometheus-operator PrometheusRule manifest. */
export function prometheusRule(o: RuleOptions, name = 'aura'): string {
  return [
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  labels:',
    '    app.kubernetes.io/name: aura',
    'spec:',
    '  groups:',
    '    - name: aura',
    '      rules:',
    ...yamlRules(alertRules(o), '        '),
    '',
  ].join('\n');
}
