// Resource channels, and which one a metric belongs to: node_exporter names first, then keywords for anything
// else. Shared vocabulary of the generator (synth), the model (lnn) and the views, so it sits below them all.

/** Resource channels. Each host's metrics are mapped onto these. */
export const CHANNELS = [
  'cpu',
  'load',
  'memory',
  'swap',
  'disk',
  'io',
  'network',
  'retrans',
  'fd',
  'latency',
  'errors',
] as const;
export type Channel = (typeof CHANNELS)[number];

const BY_NAME: Record<string, Channel> = {
  node_cpu_seconds_total: 'cpu',
  node_load1: 'load',
  node_load5: 'load',
  node_load15: 'load',
  node_memory_MemAvailable_bytes: 'memory',
  node_memory_MemFree_bytes: 'memory',
  node_memory_SwapFree_bytes: 'swap',
  node_filesystem_avail_bytes: 'disk',
  node_filesystem_free_bytes: 'disk',
  node_disk_io_time_seconds_total: 'io',
  node_disk_read_bytes_total: 'io',
  node_disk_written_bytes_total: 'io',
  node_network_receive_bytes_total: 'network',
  node_network_transmit_bytes_total: 'network',
  node_netstat_Tcp_RetransSegs: 'retrans',
  node_filefd_allocated: 'fd',
  process_open_fds: 'fd',
};

/** Keyword fallbacks, most specific first (a `swap` metric also says `mem`, a latency metric may say `http`). */
const BY_KEYWORD: [RegExp, Channel][] = [
  [/swap/, 'swap'],
  [/retrans/, 'retrans'],
  [/latency|duration|p99|p95|response_time|rtt/, 'latency'],
  [/error|5xx|fail/, 'errors'],
  [/filefd|open_fds|file_desc|open_files|(^|_)fds?(_|$)/, 'fd'],
  [/mem/, 'memory'],
  [/filesystem|(^|_)fs(_|$)|disk_(free|avail)|storage|volume/, 'disk'],
  [/disk|(^|_)io(_|$)|iops/, 'io'],
  [/net|(^|_)(rx|tx)(_|$)|bandwidth|bytes_(in|out|sent|recv)|network/, 'network'],
  [/load/, 'load'],
  [/cpu/, 'cpu'],
];

/** Column names that say nothing of the metric (a NAB-style `timestamp,value` file). */
const GENERIC_NAME = /^(value|values|val|y|metric|data)$/i;

/**
 * The channel of a series in a frame: by its name, or, when the name is generic (`value`), by the name of
 * the file it came from (`ec2_cpu_utilization_24ae8d.csv` is CPU).
 */
export function seriesChannel(name: string, origin: string): Channel | null {
  const own = channelOf(name);
  if (own || !GENERIC_NAME.test(name)) return own;
  const stem = origin
    .split(/[\\/]/)
    .pop()!
    .replace(/\.[a-z0-9]+$/i, '');
  return stem ? channelOf(stem) : null;
}

export function channelOf(name: string): Channel | null {
  const exact = BY_NAME[name];
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [re, channel] of BY_KEYWORD) if (re.test(lower)) return channel;
  return null;
}

/** The entity a series describes: its `instance` label, else `host`, `node` or `job`, else `all`. */
export function entityOf(labels: Record<string, string>): string {
  return labels.instance ?? labels.host ?? labels.node ?? labels.job ?? 'all';
}
