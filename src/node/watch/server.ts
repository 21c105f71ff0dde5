// The exporter's HTTP face: /metrics (text exposition), /healthz (the process answers), /readyz (the
// baseline is loaded and the last poll succeeded within three intervals). Nothing else is served.
import { createServer, type Server } from 'node:http';

export interface Exporter {
  metrics(): string;
  readonly ready: boolean;
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function createExporterServer(exporter: Exporter): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('only GET and HEAD\n');
      return;
    }
    switch (path) {
      case '/metrics': {
        let body: string;
        try {
          body = exporter.metrics();
        } catch (err) {
          res
            .writeHead(500, { 'Content-Type': 'text/plain' })
            .end(`cannot render metrics: ${(err as Error).message}\n`);
          return;
        }
        res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      case '/healthz':
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
        return;
      case '/readyz': {
        const ready = exporter.ready;
        res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
        return;
      }
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('aura watch serves /metrics, /healthz and /readyz\n');
    }
  });
}

/** `HOST:PORT`, `:PORT` or `PORT`, or a message that says how to write it. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535)
    throw new Error(`--listen must look like HOST:PORT, e.g. 0.0.0.0:9464 or :9464, got '${text}'`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0';
  return { host, port };
}
