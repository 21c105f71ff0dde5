// A Prometheus alerting rule (YAML, one rule group) that watches for what the model found on a host,
// written against the series the host actually has, so it can be pasted into a rules file.
import type { Channel } from './spec.ts';
import type { Finding } from './recommend.ts';

/** `name{labels}` → PromQL selector: the key is already in Prometheus syntax. */
function selector(key: string): string {
  return key;
}

function pick(f: Finding, channel: Channel, prefer: RegExp): string | null {
  const keys = f.series[channel] ?? [];
  return keys.find((k) => prefer.test(k)) ?? keys[0] ?? null;
}

const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Seconds ahead that predict_linear should look: the far end of the time-to-failure interval, at least 1 h. */
function lookahead(f: Finding): number {
  const minutes = f.ttfInterval ? Math.max(60, f.ttfInterval[1]) : 240;
  return Math.round(minutes / 60) * 3600;
}

/** The PromQL expression for a scenario, or null when the host has no metric to watch it with. */
export function alertExpression(f: Finding): string | null {
  const ahead = lookahead(f);
  switch (f.scenario) {
    case 'memory_leak': {
      const s = pick(f, 'memory', /MemAvailable/);
      return s && `predict_linear(${selector(s)}[1h], ${ahead}) < 0`;
    }
    case 'disk_fill': {
      // A 6 h window sees through log-rotation sawtooths that fool a 1 h fit.
      const s = pick(f, 'disk', /avail/);
      return s && `predict_linear(${selector(s)}[6h], ${ahead}) < 0`;
    }
    case 'cpu_saturation':
    case 'cascading_overload': {
      const s = pick(f, 'cpu', /idle/);
      if (s && s.startsWith('node_cpu_seconds_total')) {
        const inst = JSON.stringify(f.entity);
        return `1 - avg by (instance) (rate(node_cpu_seconds_total{instance=${inst},mode="idle"}[5m])) > 0.9`;
      }
      const lat = pick(f, 'latency', /p99|0\.99/);
      return s ? `${selector(s)} > 0.9` : lat && `${selector(lat)} > 0.5`;
    }
    case 'fd_exhaustion': {
      const s = pick(f, 'fd', /filefd_allocated|open_fds/);
      if (s && s.startsWith('node_filefd_allocated')) {
        const inst = JSON.stringify(f.entity);
        return `predict_linear(${selector(s)}[1h], ${ahead}) > on (instance) node_filefd_maximum{instance=${inst}} * 0.9`;
      }
      return s && `predict_linear(${selector(s)}[1h], ${ahead}) > 0.9 * max_over_time(${selector(s)}[7d]) * 4`;
    }
    case 'network_saturation': {
      const s = pick(f, 'network', /transmit/);
      if (!s) return null;
      const counter = /_total\b|_total\{/.test(s);
      const rate = counter ? `rate(${selector(s)}[5m])` : selector(s);
      const inst = JSON.stringify(f.entity);
      return `${rate} > on (instance, device) 0.9 * node_network_speed_bytes{instance=${inst}}`;
    }
    default:
      return null;
  }
}

const ALERT_NAMES: Record<string, string> = {
  memory_leak: 'HostMemoryExhaustionPredicted',
  disk_fill: 'HostDiskFullPredicted',
  cpu_saturation: 'HostCpuSaturation',
  cascading_overload: 'PoolCascadingOverload',
  fd_exhaustion: 'HostFileDescriptorsExhaustionPredicted',
  network_saturation: 'HostNetworkSaturation',
};

/** The rule group as YAML, or an empty string when nothing was found. */
export function alertRule(f: Finding): string {
  if (f.scenario === 'none') return '';
  const expr = alertExpression(f);
  if (!expr) return '';
  const urgent = f.ttfMinutes !== null && f.ttfMinutes < 60;
  const when = f.ttfMinutes !== null ? ` in about ${Math.round(f.ttfMinutes)} min` : '';
  const lines = [
    'groups:',
    `  - name: ${yamlString(`aura-${f.entity}-${f.scenario}`)}`,
    '    rules:',
    `      - alert: ${ALERT_NAMES[f.scenario]}`,
    `        expr: ${yamlString(expr)}`,
    `        for: ${urgent ? '5m' : '15m'}`,
    '        labels:',
    `          severity: ${urgent ? 'critical' : 'warning'}`,
    `          scenario: ${f.scenario}`,
    '        annotations:',
    `          summary: ${yamlString(`${f.scenario.replace(/_/g, ' ')} on {{ $labels.instance }}`)}`,
    `          description: ${yamlString(
      `AURA predicted ${f.scenario.replace(/_/g, ' ')} on ${f.entity}${when} ` +
        `(risk 1 h ${(100 * (f.risk['1h'] ?? 0)).toFixed(0)} %, 6 h ${(100 * (f.risk['6h'] ?? 0)).toFixed(0)} %).`,
    )}`,
  ];
  return lines.join('\n') + '\n';
}
