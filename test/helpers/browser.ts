// Shared browser-test plumbing: Debian's Chromium through playwright-core, and a tiny static server for dist/.
// One launch per test file keeps the suite light on a small machine; open pages, not browsers.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type CDPSession, type LaunchOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumPath, repoRoot } from './env.ts';

export const distDir = resolve(repoRoot, 'dist');

/** Quiet, isolated Chromium: no background traffic, no first-run UI, nothing outside 127.0.0.1. */
const baseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--mute-audio',
];

/** WebGPU on a headless machine runs on SwiftShader (Vulkan on the CPU). */
export const webgpuArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

export interface LaunchOpts {
  /** Extra command-line switches (e.g. webgpuArgs). */
  args?: string[];
  headless?: boolean;
}

export function launchChromium(opts: LaunchOpts = {}): Promise<Browser> {
  const options: LaunchOptions = {
    executablePath: chromiumPath,
    headless: opts.headless ?? true,
    args: [...baseArgs, ...(opts.args ?? [])],
  };
  return chromium.launch(options);
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

/** The policy the app must live with: only its own origin, WebAssembly compilation allowed, no eval, no inline script. */
export const strictCsp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  server: Server;
  /** Paths requested so far (for asserting what the page fetched). */
  requests: string[];
  close(): Promise<void>;
}

export interface ServeOpts {
  /** Headers added to every response, e.g. { 'Content-Security-Policy': strictCsp }. */
  headers?: Record<string, string>;
}

/** Serves `root` (default dist/) on 127.0.0.1 at a free port. Unknown paths are 404 (no SPA fallback: the app is one page). */
export async function serveStatic(root: string = distDir, opts: ServeOpts = {}): Promise<StaticServer> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(
      `${root}/index.html is missing: run \`npm run build\` (or \`npx vite build\`) before the browser tests`,
    );
  }
  const rootDir = resolve(root);
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    let file = normalize(join(rootDir, path));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ...opts.headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export interface PageProblems {
  /** Uncaught exceptions in the page or its workers, console errors, CSP violations. */
  errors: string[];
  /** Requests to any origin other than the server's. */
  foreign: string[];
}

/** Records what went wrong in a page so a test can assert there was nothing. */
export function watchPage(page: Page, baseUrl: string): PageProblems {
  const problems: PageProblems = { errors: [], foreign: [] };
  const origin = new URL(baseUrl).origin;
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (/^(data|blob):/.test(u)) return;
    if (new URL(u).origin !== origin) problems.foreign.push(u);
  });
  return problems;
}

/** One browser-level CDP session per browser: attaching one made the page repaint in full twice per sample. */
const browserSessions = new WeakMap<Browser, Promise<CDPSession>>();

/** Resident memory of each renderer process (the tabs and their dedicated workers), bytes, read from /proc. */
export async function rendererRss(page: Page): Promise<number[]> {
  const browser = page.context().browser()!;
  let session = browserSessions.get(browser);
  if (!session) browserSessions.set(browser, (session = browser.newBrowserCDPSession()));
  const cdp = await session;
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  const out: number[] = [];
  for (const p of info.processInfo.filter((x) => x.type === 'renderer')) {
    try {
      out.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0) * 1024);
    } catch {
      // the process ended between the list and the read
    }
  }
  return out;
}

/**
 * Opens the app and waits for the service worker's one-time reload that makes a fresh page cross-origin
 * isolated (src/ui/pwa/pwa.svelte.ts). Until then the page may reload by itself, under a test's feet.
 */
export async function openIsolated(page: Page, url: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(url);
  const until = Date.now() + timeoutMs;
  // evaluate() fails while the page reloads; that counts as not isolated yet.
  while (!(await page.evaluate(() => crossOriginIsolated).catch(() => false))) {
    if (Date.now() > until) throw new Error(`${url} did not become cross-origin isolated within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.waitForLoadState('load');
}

/**
 * The built app served (with the strict CSP unless `csp: false`) and a Chromium, for one describe block:
 * started before its tests, closed after them. Read `app.browser` and `app.server` inside the tests.
 */
export function appInChromium(opts: { csp?: boolean } = {}): {
  readonly browser: Browser;
  readonly server: StaticServer;
} {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;
  beforeAll(async () => {
    const headers = opts.csp === false ? {} : { headers: { 'Content-Security-Policy': strictCsp } };
    [server, browser] = await Promise.all([serveStatic(undefined, headers), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get server() {
      return server!;
    },
  };
}
