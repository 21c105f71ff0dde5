// PromQL for node_exporter, one series per instance (per mount point for file systems). Ratios are 0..1.

export interface Preset {
  id: string;
  title: string;
  unit: 'ratio' | 'bytes/s' | 'load';
  /** Series name given to the results (they have no `__name__`). */
  name: string;
  query: string;
}

export interface PresetOptions {
  /** Limit to one instance (exact match); default all instances. */
  instance?: string;
  /** Query step in ms, to size the rate window. Default 15 s. */
  stepMs?: number;
  /** Scrape interval in ms. Default 15 s. */
  scrapeIntervalMs?: number;
}

/**
 * The window for rate(): Grafana's $__rate_interval, max(step + scrape interval, 4 × scrape interval),
 * so that every window holds at least two samples whatever the step.
 */
export function rateWindow(stepMs = 15_000, scrapeIntervalMs = 15_000): string {
  return `${Math.ceil(Math.max(stepMs + scrapeIntervalMs, 4 * scrapeIntervalMs) / 1000)}s`;
}

function quote(v: string): string {
  return JSON.stringify(v); // PromQL string literals accept JSON's escapes
}

export function nodeExporterPresets(opts: PresetOptions = {}): Preset[] {
  const w = rateWindow(opts.stepMs, opts.scrapeIntervalMs);
  const inst = opts.instance === undefined ? [] : [`instance=${quote(opts.instance)}`];
  const sel = (...matchers: string[]) => `{${[...matchers, ...inst].join(',')}}`;
  const fs = sel('fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*"', 'mountpoint!~"/run.*|/var/lib/docker/.+"');
  const nic = sel('device!~"lo|veth.*|docker.*|br-.*|virbr.*|cali.*|flannel.*"');
  return [
    {
      id: 'cpu',
      title: 'CPU busy',
      unit: 'ratio',
      name: 'node_cpu_busy_ratio',
      query: `1 - avg by (instance) (rate(node_cpu_seconds_total${sel('mode="idle"')}[${w}]))`,
    },
    {
      id: 'memory',
      title: 'Memory used',
      unit: 'ratio',
      name: 'node_memory_used_ratio',
      query: `1 - sum by (instance) (node_memory_MemAvailable_bytes${sel()}) / sum by (instance) (node_memory_MemTotal_bytes${sel()})`,
    },
    {
      id: 'filesystem',
      title: 'File system used',
      unit: 'ratio',
      name: 'node_filesystem_used_ratio',
      query: `1 - max by (instance, mountpoint) (node_filesystem_avail_bytes${fs} / node_filesystem_size_bytes${fs})`,
    },
    {
      id: 'network_receive',
      title: 'Network received',
      unit: 'bytes/s',
      name: 'node_network_receive_bytes_rate',
      query: `sum by (instance) (rate(node_network_receive_bytes_total${nic}[${w}]))`,
    },
    {
      id: 'network_transmit',
      title: 'Network sent',
      unit: 'bytes/s',
      name: 'node_network_transmit_bytes_rate',
      query: `sum by (instance) (rate(node_network_transmit_bytes_total${nic}[${w}]))`,
    },
    {
      id: 'load',
      title: 'Load (1 min) per CPU',
      unit: 'load',
      name: 'node_load1_per_cpu',
      query: `max by (instance) (node_load1${sel()}) / count by (instance) (node_cpu_seconds_total${sel('mode="idle"')})`,
    },
  ];
}
