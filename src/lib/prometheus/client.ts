// A Prometheus HTTP API client for the browser (fetch, AbortSignal) and Node 20 (global fetch).
// Credentials live only in this object: they go into headers, never into URLs, and are not enumerable.
import { forEachLimited } from '../limit.ts';
import { seriesKey, type MetricFrame } from '../frame/types.ts';
import { assembleFrame, RejectLog, type SeriesPart } from '../ingest/builder.ts';
import { IngestError } from '../ingest/errors.ts';
import { distinctIds } from '../ingest/selector.ts';
import { partsFromApiData } from '../ingest/prom-json.ts';
import { PrometheusError } from './errors.ts';
import { alignGrid, chooseStep, MAX_POINTS_PER_SERIES, splitGrid, type Grid } from './step.ts';

export type Auth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

export interface ClientOptions {
  /** e.g. `http://prometheus:9090`, `https://mimir.example/prometheus`, `http://vm/select/0/prometheus`. */
  baseUrl: string;
  auth?: Auth;
  /** Extra headers sent with every request, e.g. `{ 'X-Scope-OrgID': 'tenant-1' }`. */
  headers?: Record<string, string>;
  /** Per-attempt time limit in ms. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first for 502/503/504/429 and timeouts. Default 3. */
  retries?: number;
  /** First backoff delay in ms, doubled each retry (with jitter). Default 500. */
  backoffMs?: number;
  /** Called with every warning Prometheus attaches to a successful answer. */
  onWarning?: (warning: string) => void;
  /** fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface RangeQuery {
  query: string;
  /** Name for result series without `__name__` (expressions such as `rate(…)`); default: the query itself. */
  name?: string;
}

/** The name a query's results get when Prometheus drops `__name__`: its own, else the query on one line. */
export function queryName(q: RangeQuery): string {
  return q.name ?? q.query.trim().replace(/\s+/g, ' ');
}

/**
 * Keeps results of different queries apart: a result whose name and labels an earlier query's result already
 * has (the same metric queried twice, two presets sharing a name) becomes `name #2`. All chunks of one query
 * carry the same series, so they are renamed alike and still stitch together.
 */
function keepApart(parts: SeriesPart[], taken: Set<string>): SeriesPart[] {
  const first = new Map<string, SeriesPart>();
  for (const p of parts) if (!first.has(seriesKey(p))) first.set(seriesKey(p), p);
  const keys = [...first.keys()];
  const ids = distinctIds([...first.values()], taken);
  const renamed = new Map(keys.map((k, i) => [k, ids[i].name]));
  return parts.map((p) => {
    const name = renamed.get(seriesKey(p))!;
    return name === p.name ? p : { ...p, name };
  });
}

export interface RangeOptions extends CallOptions {
  start: number;
  end: number;
  /** Step in ms; default chooseStep(end - start, { minStepMs, maxPoints }). */
  stepMs?: number;
  minStepMs?: number;
  /** Points per series in the whole result, for the automatic step. Default 11,000. */
  maxPoints?: number;
  /** Evaluation times per request; longer ranges are split into several requests. Default 11,000. */
  maxPointsPerRequest?: number;
  /** Requests in flight at once (queries × chunks). Default 4: a fleet's queries overlap, a server is not flooded. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Requests a range read keeps in flight by default. */
export const RANGE_CONCURRENCY = 4;

export interface BuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  goVersion?: string;
  [key: string]: unknown;
}

interface ApiAnswer<T> {
  data: T;
  warnings: string[];
}

type Params = [string, string][];

const RETRYABLE = new Set([429, 502, 503, 504]);

/** Seconds with millisecond decimals, exactly as Prometheus parses them. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
}

function basicToken(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export class PrometheusClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #opts: Required<Pick<ClientOptions, 'timeoutMs' | 'retries' | 'backoffMs'>> &
    Pick<ClientOptions, 'onWarning'>;
  readonly #hasCredentials: boolean;

  constructor(opts: ClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new PrometheusError('config', `'${opts.baseUrl}' is not a URL; write it like http://prometheus:9090`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PrometheusError('config', `'${opts.baseUrl}' must start with http:// or https://`);
    }
    if (url.username || url.password) {
      throw new PrometheusError(
        'config',
        'the URL holds a user name or password: remove it and give the credentials as basic auth instead (they are kept in memory only)',
      );
    }
    if (url.search || url.hash) throw new PrometheusError('config', 'the base URL must not have a query or fragment');
    this.baseUrl = url.href.replace(/\/+$/, '');
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.auth?.type === 'bearer') headers.Authorization = `Bearer ${opts.auth.token}`;
    if (opts.auth?.type === 'basic')
      headers.Authorization = `Basic ${basicToken(opts.auth.username, opts.auth.password)}`;
    this.#headers = headers;
    this.#hasCredentials = !!opts.auth || Object.keys(opts.headers ?? {}).some((h) => /authorization/i.test(h));
    this.#fetch = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.#opts = {
      timeoutMs: opts.timeoutMs ?? 30_000,
      retries: opts.retries ?? 3,
      backoffMs: opts.backoffMs ?? 500,
      onWarning: opts.onWarning,
    };
  }

  /** Tests the connection: `/api/v1/status/buildinfo`. */
  async buildInfo(opts: CallOptions = {}): Promise<BuildInfo> {
    return (await this.call<BuildInfo>('GET', '/api/v1/status/buildinfo', [], opts.signal)).data;
  }

  /** Every metric name, optionally limited to series matching selectors and a time range. */
  async metricNames(opts: CallOptions & { match?: string[]; start?: number; end?: number } = {}): Promise<string[]> {
    const params: Params = (opts.match ?? []).map((m) => ['match[]', m]);
    if (opts.start !== undefined) params.push(['start', seconds(opts.start)]);
    if (opts.end !== undefined) params.push(['end', seconds(opts.end)]);
    return (await this.call<string[]>('GET', '/api/v1/label/__name__/values', params, opts.signal)).data;
  }

  /** Label sets of the series matching any of the selectors (`/api/v1/series`). */
  async series(
    match: string[],
    opts: CallOptions & { start?: number; end?: number } = {},
  ): Promise<Record<string, string>[]> {
    if (match.length === 0)
      throw new PrometheusError('config', 'series() needs at least one selector, e.g. {job="node"}');
    const params: Params = match.map((m) => ['match[]', m]);
    if (opts.start !== undefined) params.push(['start', seconds(opts.start)]);
    if (opts.end !== undefined) params.push(['end', seconds(opts.end)]);
    return (await this.call<Record<string, string>[]>('POST', '/api/v1/series', params, opts.signal)).data;
  }

  /** An instant query, as a frame with one sample per series. */
  async query(q: string | RangeQuery, opts: CallOptions & { time?: number } = {}): Promise<MetricFrame> {
    const rq = typeof q === 'string' ? { query: q } : q;
    const params: Params = [['query', rq.query]];
    if (opts.time !== undefined) params.push(['time', seconds(opts.time)]);
    const answer = await this.call<unknown>('POST', '/api/v1/query', params, opts.signal);
    const rejected = new RejectLog();
    const parts = partsFromApiData(answer.data, rejected, queryName(rq));
    return this.frame(parts, rejected, answer.warnings);
  }

  /** One query_range request, as Prometheus answers it; the grid must hold at most 11,001 points. */
  async queryRangeOnce(q: RangeQuery, grid: Grid, opts: CallOptions = {}): Promise<ApiAnswer<SeriesPart[]>> {
    const params: Params = [
      ['query', q.query],
      ['start', seconds(grid.start)],
      ['end', seconds(grid.end)],
      ['step', seconds(grid.stepMs)],
    ];
    const answer = await this.call<unknown>('POST', '/api/v1/query_range', params, opts.signal);
    const rejected = new RejectLog();
    const parts = partsFromApiData(answer.data, rejected, queryName(q));
    if (rejected.count > 0) {
      const e = rejected.examples[0];
      answer.warnings.push(`${rejected.count} sample(s) could not be read, e.g. ${e.reason}`);
    }
    return { data: parts, warnings: answer.warnings };
  }

  /**
   * Reads one or more queries over a range into one frame. The range is put on the step's grid and split
   * into requests of at most `maxPointsPerRequest` evaluation times; the pieces are stitched per series
   * (no sample lost, none repeated). Warnings land in `meta.warnings`.
   */
  async rangeFrame(queries: string | RangeQuery | RangeQuery[], opts: RangeOptions): Promise<MetricFrame> {
    const list = typeof queries === 'string' ? [{ query: queries }] : Array.isArray(queries) ? queries : [queries];
    if (!(opts.end >= opts.start)) throw new PrometheusError('config', 'the range ends before it starts');
    const stepMs =
      opts.stepMs ?? chooseStep(opts.end - opts.start, { minStepMs: opts.minStepMs, maxPoints: opts.maxPoints });
    const grid = alignGrid(opts.start, opts.end, stepMs);
    const chunks = splitGrid(grid, opts.maxPointsPerRequest ?? MAX_POINTS_PER_SERIES);
    // Each query (one metric across every instance) × chunk is one request; a few run at once, and the
    // answers are put back in query and chunk order, so the frame is the same whatever finishes first.
    const jobs = list.flatMap((q, qi) => chunks.map((chunk, ci) => ({ q, qi, chunk, ci })));
    const answers: ApiAnswer<SeriesPart[]>[][] = list.map(() => new Array(chunks.length));
    const total = jobs.length;
    let done = 0;
    const inner = new AbortController();
    const signal = opts.signal ? anySignal(opts.signal, inner.signal) : inner.signal;
    try {
      await forEachLimited(jobs.length, opts.concurrency ?? RANGE_CONCURRENCY, async (i) => {
        const { q, qi, chunk, ci } = jobs[i];
        answers[qi][ci] = await this.queryRangeOnce(q, chunk, { ...opts, signal });
        opts.onProgress?.(++done, total);
      });
    } catch (err) {
      inner.abort(); // the first failure stops the other requests
      throw err;
    }
    const parts: SeriesPart[] = [];
    const warnings: string[] = [];
    const taken = new Set<string>();
    for (const perChunk of answers) {
      const own: SeriesPart[] = [];
      for (const answer of perChunk) {
        own.push(...answer.data);
        for (const w of answer.warnings) if (!warnings.includes(w)) warnings.push(w);
      }
      parts.push(...keepApart(own, taken));
    }
    return this.frame(parts, new RejectLog(), warnings);
  }

  private frame(parts: SeriesPart[], rejected: RejectLog, warnings: string[]): MetricFrame {
    const meta = { origin: this.baseUrl, format: 'prometheus', rejected };
    if (parts.every((p) => p.timestamps.length === 0)) {
      return { series: [], meta: { ...meta, rejected: { count: 0, examples: [] }, duplicates: 0, warnings } };
    }
    try {
      const frame = assembleFrame(parts, meta);
      frame.meta.warnings = warnings;
      return frame;
    } catch (err) {
      if (err instanceof IngestError) throw new PrometheusError('invalid_response', err.message);
      throw err;
    }
  }

  /** One API call with retries for overload and timeouts; resolves to `data` and `warnings`. */
  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Params,
    signal?: AbortSignal,
  ): Promise<ApiAnswer<T>> {
    const url = this.baseUrl + path;
    const form = new URLSearchParams(params).toString();
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(url);
      const timeout = AbortSignal.timeout(this.#opts.timeoutMs);
      const combined = signal ? anySignal(signal, timeout) : timeout;
      let res: Response;
      let body: string;
      try {
        res = await this.#fetch(method === 'GET' && form ? `${url}?${form}` : url, {
          method,
          headers:
            method === 'POST'
              ? { ...this.#headers, 'Content-Type': 'application/x-www-form-urlencoded' }
              : this.#headers,
          body: method === 'POST' ? form : undefined,
          signal: combined,
        });
        body = await res.text();
      } catch (err) {
        if (signal?.aborted) throw aborted(url);
        if (timeout.aborted) {
          lastProblem = `no answer within ${this.#opts.timeoutMs / 1000} s`;
          if (attempt < this.#opts.retries) {
            await this.backoff(attempt, undefined, signal, url);
            continue;
          }
          throw new PrometheusError(
            'timeout',
            `Prometheus at ${this.baseUrl} gave ${lastProblem}, ${attempt + 1} times. It may be overloaded: try a shorter range, a larger step, or a longer time limit.`,
          );
        }
        throw networkError(this.baseUrl, err);
      }
      if (res.ok) return this.success<T>(body, url);
      const { error: apiError, errorType } = parseApiError(body);
      if (errorType === 'timeout' || errorType === 'canceled') {
        // Prometheus' own --query.timeout: the same query would time out again, so no retry.
        throw new PrometheusError(
          'timeout',
          `Prometheus stopped the query at its time limit (${apiError}): try a shorter range, a larger step or a simpler query.`,
          res.status,
          apiError,
        );
      }
      if (RETRYABLE.has(res.status)) {
        lastProblem = `${res.status} ${res.statusText}`.trim();
        if (attempt < this.#opts.retries) {
          await this.backoff(attempt, res.headers.get('Retry-After'), signal, url);
          continue;
        }
        throw new PrometheusError(
          'unavailable',
          `Prometheus at ${this.baseUrl} answered ${lastProblem}${apiError ? ` (${apiError})` : ''} ${attempt + 1} times in a row. It is overloaded, restarting or behind a failing proxy: check its /-/ready page and try again later.`,
          res.status,
          apiError,
        );
      }
      throw this.httpError(res.status, res.statusText, apiError, body);
    }
  }

  private success<T>(body: string, url: string): ApiAnswer<T> {
    let doc: { status?: string; data?: T; warnings?: unknown; infos?: unknown; error?: string; errorType?: string };
    try {
      doc = JSON.parse(body);
    } catch {
      throw new PrometheusError(
        'invalid_response',
        `${url} did not answer with Prometheus API JSON (it starts with '${body.slice(0, 60).replace(/\s+/g, ' ')}'): check the base URL and any login proxy in front of Prometheus`,
      );
    }
    if (doc?.status !== 'success') {
      throw new PrometheusError('invalid_response', `Prometheus reported an error: ${doc?.errorType}: ${doc?.error}`);
    }
    const warnings = [
      ...(Array.isArray(doc.warnings) ? doc.warnings : []),
      ...(Array.isArray(doc.infos) ? doc.infos : []),
    ].map(String);
    for (const w of warnings) this.#opts.onWarning?.(w);
    return { data: doc.data as T, warnings };
  }

  private httpError(status: number, statusText: string, apiError: string | undefined, body: string): PrometheusError {
    const text = apiError ?? body.slice(0, 200).trim();
    switch (status) {
      case 400:
        return new PrometheusError('bad_data', `Prometheus refused the request: ${text}`, status, apiError);
      case 422:
        return new PrometheusError(
          'execution',
          `Prometheus could not run the query: ${text}. Try a shorter range, a larger step or a narrower selector.`,
          status,
          apiError,
        );
      case 401:
        return new PrometheusError(
          'unauthorized',
          this.#hasCredentials
            ? `The server refused the credentials (401 Unauthorized): check the token or user name and password.`
            : `The server wants credentials (401 Unauthorized): add a bearer token or a user name and password.`,
          status,
          apiError,
        );
      case 403:
        return new PrometheusError(
          'forbidden',
          `The server refused access (403 Forbidden): the credentials lack permission, or a tenant header such as X-Scope-OrgID is missing or wrong.`,
          status,
          apiError,
        );
      case 404:
        return new PrometheusError(
          'not_found',
          `No Prometheus API under ${this.baseUrl} (404): check the URL and its path prefix (Mimir: /prometheus, VictoriaMetrics cluster: /select/0/prometheus).`,
          status,
          apiError,
        );
      default:
        return new PrometheusError(
          'http',
          `Prometheus at ${this.baseUrl} answered ${status} ${statusText}${text ? `: ${text}` : ''}`,
          status,
          apiError,
        );
    }
  }

  private async backoff(
    attempt: number,
    retryAfter: string | null | undefined,
    signal: AbortSignal | undefined,
    url: string,
  ) {
    let ms = this.#opts.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    const hinted = retryAfter ? Number(retryAfter) : NaN;
    if (Number.isFinite(hinted) && hinted >= 0) ms = Math.min(hinted * 1000, 30_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted(url));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** AbortSignal.any where the browser has it (2023+), else the same by hand. */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const ac = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) ac.abort(s.reason);
    else s.addEventListener('abort', () => ac.abort(s.reason), { once: true });
  }
  return ac.signal;
}

function aborted(url: string): PrometheusError {
  return new PrometheusError('aborted', `The request to ${url} was cancelled.`);
}

function parseApiError(body: string): { error?: string; errorType?: string } {
  try {
    const doc = JSON.parse(body);
    if (doc && typeof doc.error === 'string') {
      return { error: doc.error, errorType: typeof doc.errorType === 'string' ? doc.errorType : undefined };
    }
  } catch {
    /* not JSON: the caller shows the raw text */
  }
  return {};
}

/** fetch threw: nothing came back. Node names the cause; a browser hides it (CORS looks the same). */
function networkError(baseUrl: string, err: unknown): PrometheusError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  return new PrometheusError(
    'network',
    `Could not reach Prometheus at ${baseUrl} (${detail}). Check that the server is running and the URL is right. ` +
      `From a browser, the server must also allow cross-origin requests: start Prometheus with --web.cors.origin='<this page's origin>' ` +
      `or put it behind a proxy that adds CORS headers and answers OPTIONS requests without authentication.`,
    undefined,
    detail,
  );
}
