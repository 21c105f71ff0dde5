// The Prometheus client against a real Prometheus: backfilled history read back sample for sample across
// chunked requests, live self-scrape data, node_exporter presets, and every failure path we can provoke.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import { formatValue } from '../../src/lib/ingest/values.ts';
import { nodeExporterPresets, PrometheusClient, PrometheusError } from '../../src/lib/prometheus/index.ts';
import { hasPrometheus } from '../helpers/env.ts';
import { freePort, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

const DAY = 86_400_000;
const STEP = 15_000;
const N = 14_400; // 60 h at 15 s: more than 11,000 points, so reading it back needs two requests
/** Midnight six days ago: blocks must lie in the past. */
const T0 = Math.floor(Date.now() / DAY - 6) * DAY;
const NODE_T0 = T0 + 3 * DAY;
const NODE_N = 240; // one hour at 15 s

/** Deterministic awkward values: long decimals, negatives, NaN and ±Inf. */
function written(host: number): { ts: number[]; vs: number[] } {
  const ts: number[] = [];
  const vs: number[] = [];
  let x = 0x9e3779b9 ^ host;
  for (let i = 0; i < N; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ (x + 0x6d2b79f5)) >>> 0;
    let v = (x / 2 ** 32 - 0.3) * 10 ** ((x % 9) - 3);
    if (i % 997 === 5) v = NaN;
    if (i % 1999 === 7) v = host === 0 ? Infinity : -Infinity;
    ts.push(T0 + i * STEP);
    vs.push(v);
  }
  return { ts, vs };
}
const hosts = [written(0), written(1)];

function backfillText(): string {
  const out: string[] = ['# TYPE aura_test_gauge gauge'];
  hosts.forEach((h, k) => {
    for (let i = 0; i < N; i++) out.push(`aura_test_gauge{host="h${k}"} ${formatValue(h.vs[i])} ${h.ts[i] / 1000}`);
  });
  // node_exporter-like data for two hosts, two CPUs each.
  const node = (name: string, labels: string, f: (sec: number) => number) => {
    for (let i = 0; i < NODE_N; i++) {
      const t = NODE_T0 + i * STEP;
      out.push(`${name}{${labels}} ${f((t - NODE_T0) / 1000)} ${t / 1000}`);
    }
  };
  for (const inst of ['host-1', 'host-2']) {
    const k = inst === 'host-1' ? 1 : 2;
    for (const cpu of ['0', '1']) {
      node('node_cpu_seconds_total', `cpu="${cpu}",instance="${inst}",mode="idle"`, (s) => 1000 + 0.75 * s);
      node('node_cpu_seconds_total', `cpu="${cpu}",instance="${inst}",mode="user"`, (s) => 50 + 0.25 * s);
    }
    node('node_memory_MemAvailable_bytes', `instance="${inst}"`, () => 2e9 * k);
    node('node_memory_MemTotal_bytes', `instance="${inst}"`, () => 8e9);
    node('node_filesystem_avail_bytes', `device="sda1",fstype="ext4",instance="${inst}",mountpoint="/"`, () => 40e9);
    node('node_filesystem_size_bytes', `device="sda1",fstype="ext4",instance="${inst}",mountpoint="/"`, () => 100e9);
    node('node_filesystem_avail_bytes', `device="tmpfs",fstype="tmpfs",instance="${inst}",mountpoint="/run"`, () => 1);
    node('node_filesystem_size_bytes', `device="tmpfs",fstype="tmpfs",instance="${inst}",mountpoint="/run"`, () => 2);
    node('node_network_receive_bytes_total', `device="eth0",instance="${inst}"`, (s) => 1e6 + 1000 * k * s);
    node('node_network_receive_bytes_total', `device="lo",instance="${inst}"`, (s) => 5e5 * s);
    node('node_network_transmit_bytes_total', `device="eth0",instance="${inst}"`, (s) => 500 * s);
    node('node_load1', `instance="${inst}"`, () => 1.5 * k);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

function expectSameSamples(s: Series, ts: number[], vs: number[]) {
  expect(s.timestamps.length).toBe(ts.length);
  let mismatches = 0;
  for (let i = 0; i < ts.length; i++) {
    if (s.timestamps[i] !== ts[i] || !Object.is(s.values[i], vs[i])) mismatches++;
  }
  expect(mismatches).toBe(0);
}

const byKey = (f: MetricFrame) => Object.fromEntries(f.series.map((s) => [seriesKey(s), s]));

describe.skipIf(!hasPrometheus())('Prometheus client against a real Prometheus', () => {
  let prom: RunningPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prom = await startPrometheus({ backfill: backfillText() });
    client = new PrometheusClient({ baseUrl: prom.url, retries: 0 });
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('tests the connection with buildinfo', async () => {
    const info = await client.buildInfo();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads back 2 × 14,400 backfilled samples exactly, over chunked requests', async () => {
    const progress: [number, number][] = [];
    const frame = await client.rangeFrame('aura_test_gauge', {
      start: T0,
      end: T0 + (N - 1) * STEP,
      stepMs: STEP,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(frame.meta.duplicates).toBe(0);
    const s = byKey(frame);
    expect(Object.keys(s).sort()).toEqual(['aura_test_gauge{host="h0"}', 'aura_test_gauge{host="h1"}']);
    hosts.forEach((h, k) => expectSameSamples(s[`aura_test_gauge{host="h${k}"}`], h.ts, h.vs));
  });

  it('gives the same samples with uneven chunks (997 points per request)', async () => {
    let total = 0;
    const frame = await client.rangeFrame('aura_test_gauge{host="h1"}', {
      start: T0,
      end: T0 + (N - 1) * STEP,
      stepMs: STEP,
      maxPointsPerRequest: 997,
      onProgress: (_, t) => (total = t),
    });
    expect(total).toBe(Math.ceil(N / 997));
    expect(frame.meta.duplicates).toBe(0);
    expectSameSamples(frame.series[0], hosts[1].ts, hosts[1].vs);
  });

  it('chooses a nice step under 11,000 points and reads the latest sample at each step', async () => {
    const frame = await client.rangeFrame('aura_test_gauge{host="h0"}', { start: T0, end: T0 + (N - 1) * STEP });
    const s = frame.series[0];
    const step = s.timestamps[1] - s.timestamps[0];
    expect(step).toBe(20_000); // 60 h / 11,000 = 19.6 s -> 20 s
    expect(s.timestamps.length).toBeLessThanOrEqual(11_000);
    // Reference: Prometheus' instant-vector rule, the last written sample at or before each time.
    const { ts, vs } = hosts[0];
    const expectT: number[] = [];
    const expectV: number[] = [];
    for (let t = T0; t <= T0 + (N - 1) * STEP; t += step) {
      const i = Math.floor((t - T0) / STEP);
      expectT.push(t);
      expectV.push(vs[i]);
    }
    expect(ts[0]).toBe(T0);
    expectSameSamples(s, expectT, expectV);
  });

  it('reads the same history from a promtool tsdb dump file', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      'promtool',
      ['tsdb', 'dump', `--min-time=${T0}`, `--max-time=${T0 + (N - 1) * STEP}`, prom.dataDir],
      { maxBuffer: 1 << 28 },
    );
    const frame = importText(stdout, { origin: 'dump' });
    expect(frame.meta.format).toBe('promtool-dump');
    const s = byKey(frame);
    hosts.forEach((h, k) => expectSameSamples(s[`aura_test_gauge{host="h${k}"}`], h.ts, h.vs));
  });

  it('discovers metric names and series', async () => {
    const names = await client.metricNames();
    expect(names).toContain('aura_test_gauge');
    expect(names).toContain('node_load1');
    const series = await client.series(['aura_test_gauge'], { start: T0, end: T0 + DAY });
    expect(series.map((l) => l.host).sort()).toEqual(['h0', 'h1']);
  });

  it('reads live samples from Prometheus scraping itself', async () => {
    let up: MetricFrame | null = null;
    for (let i = 0; i < 80 && !(up && up.series.length > 0); i++) {
      up = await client.query('up{job="prometheus"}');
      if (up.series.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(up!.series[0].values[0]).toBe(1);
    // The range grid ends on a whole second at or before now: let a couple of scrapes land first.
    await new Promise((r) => setTimeout(r, 2500));
    const now = Date.now();
    const frame = await client.rangeFrame(
      ['up', 'prometheus_build_info'].map((query) => ({ query })),
      {
        start: now - 30_000,
        end: now,
        stepMs: 1000,
      },
    );
    const up1 = frame.series.find((s) => s.name === 'up')!;
    expect(up1.labels.job).toBe('prometheus');
    expect(up1.values.length).toBeGreaterThan(0);
    expect(Array.from(up1.values).every((v) => v === 1)).toBe(true);
    const build = frame.series.find((s) => s.name === 'prometheus_build_info')!;
    expect(build.labels.version).toBe((await client.buildInfo()).version);
  });

  it('computes the node_exporter presets per instance', async () => {
    const stepMs = 60_000;
    const presets = nodeExporterPresets({ stepMs });
    const frame = await client.rangeFrame(
      presets.map((p) => ({ query: p.query, name: p.name })),
      { start: NODE_T0 + 10 * 60_000, end: NODE_T0 + 50 * 60_000, stepMs },
    );
    const s = byKey(frame);
    const all = (key: string) => Array.from(s[key].values);
    const near = (xs: number[], x: number) => xs.every((v) => Math.abs(v - x) < 1e-9);
    expect(all('node_cpu_busy_ratio{instance="host-1"}').length).toBe(41);
    expect(near(all('node_cpu_busy_ratio{instance="host-1"}'), 0.25)).toBe(true);
    expect(near(all('node_memory_used_ratio{instance="host-1"}'), 0.75)).toBe(true);
    expect(near(all('node_memory_used_ratio{instance="host-2"}'), 0.5)).toBe(true);
    expect(near(all('node_filesystem_used_ratio{instance="host-2",mountpoint="/"}'), 0.6)).toBe(true);
    expect(s['node_filesystem_used_ratio{instance="host-2",mountpoint="/run"}']).toBeUndefined();
    expect(near(all('node_network_receive_bytes_rate{instance="host-2"}'), 2000)).toBe(true);
    expect(near(all('node_network_transmit_bytes_rate{instance="host-1"}'), 500)).toBe(true);
    expect(near(all('node_load1_per_cpu{instance="host-2"}'), 1.5)).toBe(true);
    const one = nodeExporterPresets({ instance: 'host-1' }).find((p) => p.id === 'memory')!;
    const f1 = await client.query(one.query, { time: NODE_T0 + 30 * 60_000 });
    expect(f1.series.map((x) => x.labels.instance)).toEqual(['host-1']);
  });

  it('shows Prometheus’ own text for bad PromQL (400 bad_data)', async () => {
    const err = await client.rangeFrame('sum(rate(x[5m])', { start: T0, end: T0 + 60_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.kind).toBe('bad_data');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/parse error/);
  });

  it('explains a request over the 11,000-point limit', async () => {
    const err = await client
      .queryRangeOnce({ query: 'up' }, { start: T0, end: T0 + 20_000 * STEP, stepMs: STEP })
      .catch((e) => e);
    expect(err.kind).toBe('bad_data');
    expect(err.message).toMatch(/11,?000/);
  });

  it('cancels a request', async () => {
    const ac = new AbortController();
    const pending = client.rangeFrame('aura_test_gauge', {
      start: T0,
      end: T0 + (N - 1) * STEP,
      stepMs: STEP,
      maxPointsPerRequest: 100,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 20);
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err.kind).toBe('aborted');
  });

  it('says what to do when nothing listens (network / CORS)', async () => {
    const port = await freePort();
    const dead = new PrometheusClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 0 });
    const err = await dead.buildInfo().catch((e) => e);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/--web\.cors\.origin/);
    expect(err.message).toMatch(/OPTIONS/);
  });

  describe('behind a gateway with a path prefix, auth and a tenant header', () => {
    let gateway: Server;
    let base: string;
    const seenUrls: string[] = [];
    let flaky = 0;

    beforeAll(async () => {
      gateway = createServer((req: IncomingMessage, res: ServerResponse) => void handle(req, res));
      await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
      const addr = gateway.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => gateway.close(() => r())));

    // A Mimir-like gateway: /prometheus prefix, bearer token, X-Scope-OrgID; /busy answers 503 twice;
    // /hang never answers; /warn adds a warning.
    async function handle(req: IncomingMessage, res: ServerResponse) {
      seenUrls.push(req.url ?? '');
      const url = req.url ?? '';
      if (url.startsWith('/hang/')) return; // never answers
      if (url.startsWith('/busy/') && flaky++ < 2) {
        res.writeHead(503, { 'Retry-After': '0' }).end('overloaded');
        return;
      }
      const m = /^\/(?:busy|warn|hang)?\/?prometheus(\/.*)$/.exec(url);
      if (!m) return void res.writeHead(404).end('404 page not found');
      if (req.headers.authorization !== 'Bearer s3cret') {
        return void res.writeHead(401).end('{"status":"error","errorType":"unauthorized","error":"no token"}');
      }
      if (req.headers['x-scope-orgid'] !== 'tenant-1') return void res.writeHead(403).end('no org id');
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(prom.url + m[1], {
        method: req.method,
        headers: { 'Content-Type': req.headers['content-type'] ?? 'text/plain' },
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      });
      let body = await upstream.text();
      if (url.startsWith('/warn/')) {
        const doc = JSON.parse(body);
        doc.warnings = ['partial data: one store did not answer'];
        body = JSON.stringify(doc);
      }
      res.writeHead(upstream.status, { 'Content-Type': 'application/json' }).end(body);
    }

    const opts = { auth: { type: 'bearer' as const, token: 's3cret' }, headers: { 'X-Scope-OrgID': 'tenant-1' } };

    it('reads through the prefix with the token and tenant header, never putting them in URLs', async () => {
      const c = new PrometheusClient({ baseUrl: `${base}/prometheus/`, ...opts });
      const f = await c.rangeFrame('aura_test_gauge{host="h0"}', { start: T0, end: T0 + 99 * STEP, stepMs: STEP });
      expectSameSamples(f.series[0], hosts[0].ts.slice(0, 100), hosts[0].vs.slice(0, 100));
      expect(seenUrls.some((u) => u.includes('s3cret') || u.includes('tenant-1'))).toBe(false);
      expect(JSON.stringify(c)).not.toContain('s3cret');
    });

    it('401 and 403 say which credential to fix; 404 points at the prefix', async () => {
      const noToken = new PrometheusClient({ baseUrl: `${base}/prometheus` });
      expect((await noToken.buildInfo().catch((e) => e)).kind).toBe('unauthorized');
      const badToken = new PrometheusClient({ baseUrl: `${base}/prometheus`, auth: { type: 'bearer', token: 'x' } });
      const e401 = await badToken.buildInfo().catch((e) => e);
      expect(e401.message).toMatch(/refused the credentials/);
      const noTenant = new PrometheusClient({ baseUrl: `${base}/prometheus`, auth: opts.auth });
      const e403 = await noTenant.buildInfo().catch((e) => e);
      expect(e403.kind).toBe('forbidden');
      expect(e403.message).toMatch(/X-Scope-OrgID/);
      const noPrefix = new PrometheusClient({ baseUrl: base, ...opts });
      const e404 = await noPrefix.buildInfo().catch((e) => e);
      expect(e404.kind).toBe('not_found');
      expect(e404.message).toMatch(/\/prometheus/);
    });

    it('retries 503 with backoff, then succeeds; gives up with a clear message', async () => {
      flaky = 0;
      const c = new PrometheusClient({ baseUrl: `${base}/busy/prometheus`, ...opts, retries: 3, backoffMs: 10 });
      expect((await c.buildInfo()).version).toBeTruthy();
      expect(flaky).toBe(3);
      flaky = -100;
      const giveUp = new PrometheusClient({ baseUrl: `${base}/busy/prometheus`, ...opts, retries: 2, backoffMs: 10 });
      const err = await giveUp.buildInfo().catch((e) => e);
      expect(err.kind).toBe('unavailable');
      expect(err.message).toMatch(/503.*3 times/);
    });

    it('times out, retries, then stops with a message', async () => {
      const c = new PrometheusClient({
        baseUrl: `${base}/hang/prometheus`,
        ...opts,
        timeoutMs: 200,
        retries: 1,
        backoffMs: 10,
      });
      const err = await c.buildInfo().catch((e) => e);
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/2 times/);
    });

    it('surfaces warnings from successful answers', async () => {
      const seen: string[] = [];
      const c = new PrometheusClient({ baseUrl: `${base}/warn/prometheus`, ...opts, onWarning: (w) => seen.push(w) });
      const f = await c.rangeFrame('aura_test_gauge', { start: T0, end: T0 + 60_000, stepMs: STEP });
      expect(f.meta.warnings).toEqual(['partial data: one store did not answer']);
      expect(seen).toEqual(['partial data: one store did not answer']);
    });
  });
});

describe.skipIf(!hasPrometheus())('Prometheus refusing to run a query (422)', () => {
  let prom: RunningPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus({ args: ['--query.max-samples=1'] });
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('passes on Prometheus’ text and says how to narrow the query', async () => {
    const client = new PrometheusClient({ baseUrl: prom.url, retries: 0 });
    // Wait for a few self-scrapes, then ask for more samples than the server may load.
    let err: PrometheusError | null = null;
    for (let i = 0; i < 60 && !err; i++) {
      const now = Date.now();
      err = await client
        .rangeFrame('up', { start: now - 60_000, end: now, stepMs: 1000 })
        .then(() => null)
        .catch((e) => e);
      if (!err) await new Promise((r) => setTimeout(r, 500));
    }
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err!.kind).toBe('execution');
    expect(err!.status).toBe(422);
    expect(err!.message).toMatch(/too many samples/);
    expect(err!.message).toMatch(/shorter range/);
  });
});

describe('Prometheus client configuration', () => {
  it('refuses credentials in the URL', () => {
    expect(() => new PrometheusClient({ baseUrl: 'http://u:p@127.0.0.1:9090' })).toThrow(/basic auth/);
    expect(() => new PrometheusClient({ baseUrl: 'prometheus:9090/x' })).toThrow(PrometheusError);
  });
});
