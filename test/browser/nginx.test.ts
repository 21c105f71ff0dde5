// deploy/nginx.conf, served by Debian's nginx from dist/: the headers the app depends on, cross-origin
// isolation in Chromium, and no CSP violation while the app starts and computes its example.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, hasNginx, repoRoot } from '../helpers/env.ts';
import { distDir, launchChromium, watchPage } from '../helpers/browser.ts';

const nginxBin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Wraps deploy/nginx.conf (a conf.d file) in a minimal main config rooted in a temp prefix. */
function writeConfig(prefix: string, port: number, root: string): string {
  const site = readFileSync(resolve(repoRoot, 'deploy/nginx.conf'), 'utf8')
    .replace(/^\s*listen \[::\]:80;\n/m, '')
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/var\/www\/aura;/, `root ${root};`);
  if (!site.includes(`127.0.0.1:${port}`) || !site.includes(root)) {
    throw new Error(
      'deploy/nginx.conf no longer has the `listen 80;` and `root /var/www/aura;` lines this test rewrites',
    );
  }
  const mime = existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : '';
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, d));
  const conf = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 64; }
http {
  ${mime}
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
${site}
}
`;
  const file = join(prefix, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

async function waitForHttp(url: string, nginx: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}: ${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nginx did not answer on ${url}: ${log()}`);
}

interface RunningNginx {
  url: string;
  prefix: string;
  nginx: ChildProcess;
}

/** Debian's nginx in the foreground, with a temp prefix, serving `root` on a free loopback port. */
async function startNginx(root: string): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'aura-nginx-'));
  const port = await freePort();
  const conf = writeConfig(prefix, port, root);
  const nginx = spawn(nginxBin, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // A test that times out never reaches its cleanup: do not leave nginx running after the test process.
  const kill = () => nginx.kill('SIGKILL');
  process.once('exit', kill);
  nginx.once('exit', () => process.off('exit', kill));
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, nginx, () => stderr + readLog(prefix));
  return { url, prefix, nginx };
}

async function stopNginx(nginx: ChildProcess | undefined, prefix: string): Promise<void> {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx.once('exit', r));
    nginx.kill('SIGQUIT');
    await exited;
  }
  if (prefix) rmSync(prefix, { recursive: true, force: true });
}

describe.skipIf(!hasNginx() || !hasChromium())('deploy/nginx.conf through Debian nginx', () => {
  let prefix = '';
  let nginx: ChildProcess;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` first');
    const started = await startNginx(distDir);
    ({ prefix, nginx } = started);
    base = started.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopNginx(nginx, prefix);
  });

  it('sends isolation, CSP and the right cache policy and MIME types', async () => {
    const index = await fetch(base);
    expect(index.status).toBe(200);
    expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(index.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(index.headers.get('cache-control')).toBe('no-cache');

    const sw = await fetch(new URL('sw.js', base));
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toMatch(/javascript/);

    const manifest = await fetch(new URL('manifest.webmanifest', base));
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);

    const assets = readdirSync(join(distDir, 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const asset = await fetch(new URL(`assets/${js}`, base));
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('cross-origin-embedder-policy')).toBe('require-corp');

    for (const wasm of assets.filter((f) => f.endsWith('.wasm'))) {
      const r = await fetch(new URL(`assets/${wasm}`, base));
      expect(r.status, wasm).toBe(200);
      expect(r.headers.get('content-type'), wasm).toBe('application/wasm');
    }
    expect((await fetch(new URL('no-such-file.js', base))).status).toBe(404);
  });

  it('runs cross-origin isolated in Chromium with no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page, base);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
    });
    // Runs before any page script (through the debugger protocol, so CSP does not apply to it).
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await page.goto(base, { waitUntil: 'load' });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    // Let the app start its workers and compute its first result, then look for trouble.
    await page.waitForLoadState('networkidle');
    await page.locator('main svg').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const registered = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return reg ? 'yes' : 'no';
    });
    const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(csp).toEqual([]);
    expect(violations).toEqual([]);
    expect(problems.errors).toEqual([]);
    expect(problems.foreign).toEqual([]);
    console.log(`nginx: service worker registered: ${registered}`);
    await context.close();
  });
  it('a build for a sub-path (AURA_BASE=/aura/) works there, worker and manifest included', async () => {
    const out = join(repoRoot, 'test-results', 'dist-base-aura');
    execFileSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: repoRoot,
      env: { ...process.env, AURA_BASE: '/aura/', NODE_ENV: 'production' }, // vitest sets NODE_ENV=test
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const www = mkdtempSync(join(tmpdir(), 'aura-www-'));
    chmodSync(www, 0o755); // nginx workers run as another user when the tests run as root
    cpSync(out, join(www, 'aura'), { recursive: true });
    const sub = await startNginx(www);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchPage(page, sub.url);
      const paths: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) problems.errors.push(`HTTP ${r.status()} ${r.url()}`);
      });
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.origin === new URL(sub.url).origin) paths.push(u.pathname);
      });
      const app = new URL('aura/', sub.url).href;
      await page.goto(app);
      await page
        .locator('main svg')
        .first()
        .waitFor({ timeout: 60_000 })
        .catch((e: Error) => {
          throw new Error(`${e.message}; page problems: ${problems.errors.join(' | ')}`);
        });
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(app);
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
        const m = (await (await fetch(href)).json()) as { start_url: string; scope: string };
        return { start: new URL(m.start_url, href).href, scope: new URL(m.scope, href).href };
      });
      expect(manifest).toEqual({ start: app, scope: app });
      expect(paths.filter((p) => !p.startsWith('/aura/'))).toEqual([]);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
      await stopNginx(sub.nginx, sub.prefix);
      rmSync(www, { recursive: true, force: true });
    }
  }, 240_000);
});

function readLog(prefix: string): string {
  try {
    return readFileSync(join(prefix, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}
