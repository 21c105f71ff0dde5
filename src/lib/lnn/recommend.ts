// Recommendations from a rule table keyed by scenario, the channel that shows it, and how soon it fails.
//
// | scenario            | channel | < 1 h (urgent)                           | < 6 h (soon)                        | later / unknown              |
// |---------------------|---------|------------------------------------------|-------------------------------------|------------------------------|
// | memory_leak         | memory  | restart it now or fail over               | restart it or take a heap profile   | heap profile, plan a restart |
// | disk_fill           | disk    | free space now (vacuum/compress logs)     | find what grows, rotate logs        | retention or a bigger volume |
// | cpu_saturation      | cpu     | find and stop the runaway process / shed  | add capacity or scale out           | review capacity              |
// | fd_exhaustion       | fd      | restart the leaking service or raise limit| find the leaking process            | fix the descriptor leak      |
// | network_saturation  | network | rate-limit or move traffic away           | find the top talkers, check link    | plan link capacity           |
// | cascading_overload  | cpu     | add capacity now or shed load             | scale out the pool, check retries   | review pool headroom         |
import type { Scenario } from '../report/types.ts';
import type { HostFeatures } from './features.ts';
import { CHANNELS, CHANNEL_FEATURES, FEATURE_COUNT, type Channel } from './spec.ts';

export interface ChannelState {
  level: number;
  /** 3-hour trend of the level, per hour. */
  trend: number;
}

/** What inference found for one host, the input of recommendations and alert rules. */
export interface Finding {
  entity: string;
  scenario: Scenario;
  risk: Record<string, number>;
  ttfMinutes: number | null;
  ttfInterval: [number, number] | null;
  /** Epoch ms of the prediction. */
  now: number;
  channels: Partial<Record<Channel, ChannelState>>;
  /** Series keys behind each channel. */
  series: Partial<Record<Channel, string[]>>;
}

export function channelSummary(h: HostFeatures, k: number): Partial<Record<Channel, ChannelState>> {
  const out: Partial<Record<Channel, ChannelState>> = {};
  const per = CHANNEL_FEATURES.length;
  CHANNELS.forEach((c, ci) => {
    const base = k * FEATURE_COUNT + ci * per;
    if (h.features[base + 4] !== 1) return;
    out[c] = { level: h.features[base], trend: h.features[base + 2] };
  });
  return out;
}

interface Rule {
  channel: Channel;
  what: string;
  event: string;
  urgent: string;
  soon: string;
  later: string;
}

export const RULES: Record<Exclude<Scenario, 'none'>, Rule> = {
  memory_leak: {
    channel: 'memory',
    what: 'memory',
    event: 'exhaustion (OOM kill)',
    urgent: 'restart the leaking service now or fail over',
    soon: 'restart it or take a heap profile',
    later: 'take a heap profile and plan a restart',
  },
  disk_fill: {
    channel: 'disk',
    what: 'free disk space',
    event: 'disk full',
    urgent: 'free space now: vacuum or compress old logs (journalctl --vacuum-size, logrotate -f)',
    soon: 'find what grows (du -xh / | sort -h | tail) and rotate or ship the logs',
    later: 'lower log retention or grow the volume',
  },
  cpu_saturation: {
    channel: 'cpu',
    what: 'CPU use',
    event: 'latency SLO breach',
    urgent: 'find and stop the runaway process (top -o %CPU) or shed load',
    soon: 'add capacity or scale out',
    later: 'review the host’s CPU headroom',
  },
  fd_exhaustion: {
    channel: 'fd',
    what: 'open file descriptors',
    event: 'descriptor limit',
    urgent: 'restart the service leaking descriptors or raise its limit (LimitNOFILE)',
    soon: 'find the leaking process (ls /proc/*/fd | wc -l per PID)',
    later: 'fix the descriptor leak and alert on process_open_fds',
  },
  network_saturation: {
    channel: 'network',
    what: 'network traffic',
    event: 'link saturation',
    urgent: 'rate-limit or move traffic away from the host',
    soon: 'find the top talkers (iftop, nethogs) and check the link speed',
    later: 'plan more link capacity',
  },
  cascading_overload: {
    channel: 'cpu',
    what: 'CPU use',
    event: 'overload after losing a peer',
    urgent: 'add capacity now or shed load: the pool lost a member and the rest are saturating',
    soon: 'scale out the pool and check health checks and retry storms',
    later: 'review the pool’s headroom for losing one member',
  },
};

/** "3 h 20 m", "45 m". */
export function formatMinutes(m: number): string {
  const total = Math.max(0, Math.round(m));
  const h = Math.floor(total / 60);
  const r = total % 60;
  if (h === 0) return `${r} m`;
  return r === 0 ? `${h} h` : `${h} h ${r} m`;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16) + ' UTC';

/** How a channel moves, in words: capacity channels in % of capacity per hour, relative ones in % per hour. */
function movement(channel: Channel, s: ChannelState): string {
  const capacity = channel === 'memory' || channel === 'disk' || channel === 'swap';
  if (capacity) {
    const rate = Math.abs(s.trend * 100).toFixed(1);
    return `${s.trend < 0 ? 'falls' : 'rises'} ${rate} %/h (${(s.level * 100).toFixed(0)} % of its peak left)`;
  }
  if (channel === 'cpu')
    return `is at ${(s.level * 100).toFixed(0)} % and ${s.trend >= 0 ? 'rises' : 'falls'} ${Math.abs(s.trend * 100).toFixed(1)} points/h`;
  const pct = (Math.exp(s.trend) - 1) * 100;
  return `${pct >= 0 ? 'rises' : 'falls'} ${Math.abs(pct).toFixed(1)} %/h (${(Math.exp(s.level) * 100 - 100).toFixed(0)} % vs. its 6 h baseline)`;
}

export function recommend(f: Finding): string[] {
  if (f.scenario === 'none') return [];
  const rule = RULES[f.scenario];
  const state = f.channels[rule.channel];
  const where = `on ${f.entity}`;
  const head = state
    ? `${rule.what} ${where} ${movement(rule.channel, state)}`
    : `${rule.what} ${where} (no ${rule.channel} metric; inferred from the others)`;
  if (f.ttfMinutes === null || f.ttfInterval === null) {
    return [
      `${head}; ${rule.event} possible, risk within 6 h ${(100 * (f.risk['6h'] ?? 0)).toFixed(0)} %; ${rule.later}`,
    ];
  }
  const action = f.ttfMinutes < 60 ? rule.urgent : f.ttfMinutes < 360 ? rule.soon : rule.later;
  const deadline = f.now + f.ttfInterval[0] * 60e3;
  return [
    `${head}; ${rule.event} in ~${formatMinutes(f.ttfMinutes)} (${formatMinutes(f.ttfInterval[0])} – ${formatMinutes(f.ttfInterval[1])}); ` +
      `${action} before ${clock(deadline)}`,
  ];
}
