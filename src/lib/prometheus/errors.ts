// Every way talking to Prometheus can fail, each with a message that says what to do next.

export type PrometheusErrorKind =
  /** The client was set up wrongly (bad URL, credentials in the URL). */
  | 'config'
  /** No HTTP answer at all: server down, DNS, TLS, or (in a browser) CORS. */
  | 'network'
  /** No answer within the time limit, after retries. */
  | 'timeout'
  /** Cancelled by the caller's AbortSignal. */
  | 'aborted'
  /** 400: the query or a parameter is malformed; the message carries Prometheus' own text. */
  | 'bad_data'
  /** 422: the query is valid but could not be run (too many samples, query timeout). */
  | 'execution'
  /** 503/502/504/429 after retries. */
  | 'unavailable'
  /** 401. */
  | 'unauthorized'
  /** 403. */
  | 'forbidden'
  /** 404: no Prometheus API under this URL. */
  | 'not_found'
  /** Any other HTTP status. */
  | 'http'
  /** An answer that is not Prometheus API JSON (a login page from a proxy, say). */
  | 'invalid_response';

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    readonly status?: number,
    /** Prometheus' own error text, when it sent one. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}
