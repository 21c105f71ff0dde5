// `aura watch`: AURA as a Prometheus exporter. Reads the owned entities' history, polls for new rows, runs
// the one pipeline on them and serves the results as aura_* metrics for Prometheus, Alertmanager and
// Grafana. The loop, the server and the exposition live in src/node/watch and src/lib/export.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { durationFlag, numberFlag, parseCommand, SETTINGS_OPTIONS, settingsFlags, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import { cliPredictor } from '../analysis.ts';
import { PrometheusClient, PrometheusError, type Auth } from '../../lib/prometheus/index.ts';
import { InProcessRunner, type WindowRunner } from '../../lib/timeline/runner.ts';
import { parseDuration, parseStep } from '../../lib/text/duration.ts';
import { parseShard, type Shard } from '../../lib/export/hashmod.ts';
import { createNodeTopology } from '../../node/topology.ts';
import { NodePool } from '../../node/pool.ts';
import { Watcher, type Source } from '../../node/watch/watcher.ts';
import { createExporterServer, parseListen } from '../../node/watch/server.ts';

export const VERSION = '0.1.0';

export const spec: CommandSpec = {
  summary: 'exporter: analyse Prometheus data continuously and serve aura_* metrics for alerting and dashboards',
  usage:
    'aura watch --prometheus URL [--auth bearer:TOKEN|basic:USER:PASS] [--preset node_exporter [--selector M] | --query Q] ' +
    '[--entity LABEL] [--shard I/N] [--listen HOST:PORT] [--step S] [--interval S] [--baseline D] [--delay D] [--once] [--no-predict]',
  file: false,
  options: {
    prometheus: { type: 'string', arg: 'URL', help: 'the Prometheus (or Mimir, Thanos, VictoriaMetrics) API base URL' },
    auth: {
      type: 'string',
      arg: 'bearer:T|basic:U:P',
      help: 'credentials; T or P may be @FILE to read them from a file (a mounted secret)',
    },
    preset: { type: 'string', arg: 'node_exporter', help: 'the queries to read (default node_exporter)' },
    selector: { type: 'string', arg: 'M', help: 'matchers added to every preset selector, e.g. job="node"' },
    query: {
      type: 'string',
      arg: 'Q',
      help: 'your own PromQL instead of a preset; results must carry the entity label',
    },
    entity: {
      type: 'string',
      arg: 'LABEL',
      help: 'the label that names entities and that shards split on (default instance)',
    },
    shard: { type: 'string', arg: 'I/N', help: 'own the entities whose Prometheus hashmod(LABEL, N) is I (0-based)' },
    listen: {
      type: 'string',
      arg: 'HOST:PORT',
      help: 'where /metrics, /healthz and /readyz are served (default :9464)',
    },
    step: { type: 'string', arg: 'S', help: 'the analysis grid, as a Prometheus query step (default 1m)' },
    interval: { type: 'string', arg: 'S', help: 'time between polls (default: the step)' },
    baseline: {
      type: 'string',
      arg: 'D',
      help: 'history read at start-up; rows kept per series at most twice this (default 7d)',
    },
    delay: {
      type: 'string',
      arg: 'D',
      help: 'analyse this far behind now, so late scrapes have arrived (default: one step; a replay of old data: its age)',
    },
    once: { type: 'boolean', help: 'read, analyse once, print the metrics to stdout and exit (cron, tests)' },
    'no-predict': { type: 'boolean', help: 'skip the failure model (no aura_failure_* metrics)' },
    workers: { type: 'string', arg: 'N', help: 'worker threads for the topology (default: the number of cores)' },
    ...SETTINGS_OPTIONS,
  },
  details: [
    'Sharding: entity E belongs to shard hashmod(E, N), computed as Prometheus relabelling computes it (md5 of the',
    'value, last 8 bytes big-endian, mod N), so scraping and analysis can be split the same way. Preset queries',
    "ask Prometheus only for the shard's entities (a regex matcher on LABEL); --query results are filtered here.",
    'Entities are discovered with `count by (LABEL) (query)` at start and every 20 polls.',
    'Exit codes: 0 stopped (SIGTERM/SIGINT) or --once done, 2 bad options or, with --once, Prometheus unusable.',
  ],
  examples: [
    'aura watch --prometheus http://127.0.0.1:9090 --once',
    'aura watch --prometheus http://prometheus:9090 --selector job="node" --listen :9464',
    'aura watch --prometheus http://prometheus:9090 --shard 1/3 --auth bearer:@/var/run/secrets/prom-token',
  ],
};

export async function run(args: string[]): Promise<number> {
  const { parsed } = parseCommand(spec, args);
  const get = (k: string) => {
    const v = parsed.flags.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const url = get('prometheus');
  if (!url) throw new CliError('--prometheus URL is required, e.g. --prometheus http://127.0.0.1:9090');
  const settings = settingsFlags(parsed);
  const workers = numberFlag(parsed, 'workers', availableParallelism(), { integer: true, min: 1, max: 64 });
  const stepMs = durationFlag(get('step') ?? '1m', 'step', parseStep);
  const intervalMs = durationFlag(get('interval') ?? get('step') ?? '1m', 'interval', parseStep);
  const baselineMs = durationFlag(get('baseline') ?? '7d', 'baseline', parseDuration);
  if (baselineMs < 20 * stepMs)
    throw new CliError(`--baseline must hold at least 20 steps (${(20 * stepMs) / 1000} s at this step)`);
  const delayMs = get('delay') === undefined ? stepMs : durationFlag(get('delay')!, 'delay', parseDuration);
  const entity = get('entity') ?? 'instance';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(entity)) throw new CliError(`--entity must be a label name, got '${entity}'`);
  const source = sourceOf(get('preset'), get('selector'), get('query'), entity);
  let shard: Shard | null = null;
  try {
    shard = get('shard') === undefined ? null : parseShard(get('shard')!);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const listen = (() => {
    try {
      return parseListen(get('listen') ?? ':9464');
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  })();
  let client: PrometheusClient;
  try {
    client = new PrometheusClient({ baseUrl: url, auth: authOf(get('auth')), retries: 1, backoffMs: 500 });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const runner: WindowRunner = workers > 1 ? new NodePool(workers) : new InProcessRunner(await createNodeTopology());
  const log = (line: string) => process.stderr.write(`aura watch: ${line}\n`);
  const watcher = new Watcher({
    client,
    source,
    entity,
    shard,
    stepMs,
    intervalMs,
    baselineMs,
    delayMs,
    settings,
    runner,
    predictor: parsed.flags.has('no-predict') ? null : cliPredictor(),
    version: VERSION,
    log,
  });

  if (parsed.flags.has('once')) {
    try {
      await watcher.pollOnce();
    } catch (err) {
      if (err instanceof PrometheusError) throw new CliError(err.message);
      throw err;
    } finally {
      await runner.close();
    }
    process.stdout.write(watcher.metrics());
    return 0;
  }

  const server = createExporterServer(watcher);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new CliError(`cannot listen on ${listen.host}:${listen.port}: ${err.message}`)),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  log(`serving /metrics on ${listen.host}:${port}; shard ${shard ? `${shard.index}/${shard.count}` : '0/1'}`);
  const stop = new AbortController();
  const onSignal = (sig: string) => {
    log(`${sig}: stopping`);
    stop.abort();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  await watcher.run(stop.signal);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await runner.close();
  return 0;
}

function sourceOf(
  preset: string | undefined,
  selector: string | undefined,
  query: string | undefined,
  entity: string,
): Source {
  if (query !== undefined) {
    if (preset !== undefined || selector !== undefined)
      throw new CliError('give either --query or --preset/--selector, not both');
    if (!query.trim()) throw new CliError('--query is empty: give a PromQL expression');
    return { kind: 'query', queries: [{ query }] };
  }
  if (preset !== undefined && preset !== 'node_exporter')
    throw new CliError(`--preset must be node_exporter (the only preset), got '${preset}'`);
  if (entity !== 'instance')
    throw new CliError('the node_exporter preset names hosts by `instance`: drop --entity, or use --query');
  const matchers = selector === undefined ? [] : [selector.trim().replace(/^\{|\}$/g, '')].filter((m) => m);
  for (const m of matchers)
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"/.test(m))
      throw new CliError(`--selector must be label matchers such as job="node" or job=~"node|db", got '${selector}'`);
  return { kind: 'preset', matchers };
}

function authOf(text: string | undefined): Auth | undefined {
  if (text === undefined) return undefined;
  const secret = (v: string) => {
    if (!v.startsWith('@')) return v;
    try {
      return readFileSync(v.slice(1), 'utf8').trim();
    } catch (err) {
      throw new CliError(`--auth: cannot read ${v.slice(1)}: ${(err as Error).message}`);
    }
  };
  const [kind, ...rest] = text.split(':');
  if (kind === 'bearer' && rest.length >= 1 && rest.join(':')) return { type: 'bearer', token: secret(rest.join(':')) };
  if (kind === 'basic' && rest.length >= 2)
    return { type: 'basic', username: rest[0], password: secret(rest.slice(1).join(':')) };
  throw new CliError('--auth must be bearer:TOKEN or basic:USER:PASSWORD (TOKEN or PASSWORD may be @FILE)');
}
