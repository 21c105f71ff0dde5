// Performance budgets of the built app (dist/), measured, never asserted in tests:
//  1. initial JS ≤ 150 KB gzip: index.html's module graph (static imports only; workers, onnxruntime and
//     WASM load later);
//  2. dropping the demo CSV → first diagram ≤ 1.5 s in headless Chromium (median of a few runs);
//  3. the tab's memory ≤ 150 MB after that analysis.
// Also prints the offline cache sizes behind deploy/README.md's precache-vs-runtime choice.
// `npm run budget` (builds first) or `node bin/run-ts.js bench/index.ts budget` on an existing dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import type { Page } from 'playwright-core';
import { distDir, launchChromium, rendererRss, serveStatic } from '../test/helpers/browser.ts';
import { repoRoot } from '../test/helpers/env.ts';
import { BenchTable, median } from './table.ts';

const KB = 1024;
const MB = 1024 * 1024;
const RUNS = 3;
const limits = { initialJsGzipKB: 150, dropToDiagramMs: 1500, memoryMB: 150 };

const gz = (b: Buffer) => gzipSync(b, { level: 6 }).length; // nginx's gzip_comp_level in deploy/nginx.conf

/** Files index.html loads before anything runs: entry scripts, modulepreloads, their static imports, CSS. */
export async function initialGraph(dir: string): Promise<{ js: string[]; css: string[] }> {
  await init;
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = (re: RegExp) => [...html.matchAll(re)].map((m) => posix.normalize(m[1].replace(/^\.?\//, '')));
  const css = refs(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);
  const queue = [
    ...refs(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...refs(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ];
  const js = new Set<string>();
  while (queue.length) {
    const file = queue.pop()!;
    if (js.has(file)) continue;
    js.add(file);
    const [imports] = parse(readFileSync(join(dir, file), 'utf8'));
    for (const im of imports) {
      // d === -1: a static import (loaded before the module runs); dynamic imports are lazy.
      if (im.d === -1 && im.n && im.n.startsWith('.'))
        queue.push(posix.normalize(posix.join(posix.dirname(file), im.n)));
    }
  }
  return { js: [...js], css };
}

function precacheFiles(dir: string): string[] {
  if (!existsSync(join(dir, 'sw.js')))
    throw new Error(`${dir} has no sw.js (an incomplete or dev build): run \`npm run budget\` to rebuild it`);
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  return [...new Set([...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]))];
}

/** The largest renderer process (the tab and its dedicated workers), or null where /proc is not readable. */
async function tabRss(page: Page): Promise<number | null> {
  try {
    const rss = await rendererRss(page);
    return rss.length ? Math.max(...rss) : null;
  } catch {
    return null;
  }
}

interface DropRun {
  timelineMs: number;
  diagramMs: number;
  /** The app's performance measures (`aura:…`, see mark() in src/ui/state/app.svelte.ts), ms. */
  phases: Record<string, number>;
  uaMemory: number | null;
  jsHeap: number;
  rss: number | null;
}

async function dropOnce(url: string, csvPath: string, series: number): Promise<DropRun> {
  const browser = await launchChromium({ args: ['--enable-blink-features=ForceEagerMeasureMemory'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // tsx keeps function names with a __name() helper that does not exist inside the page.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(url);
    // Let the start-up demo analysis finish so it does not share the CPU with the measured one.
    await page.locator('.overview header .num').first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 120_000 });
    const name = 'budget-demo.csv';
    const done = page.evaluate(
      ({ name, series }) =>
        new Promise<{ timelineMs: number; diagramMs: number }>((resolve) => {
          const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
          let start = 0;
          let timelineMs = 0;
          let diagramMs = 0;
          // The previous analysis's diagram goes when the new one starts; the first diagram drawn after
          // that is the new data's.
          let cleared = false;
          input.addEventListener('change', () => (start = performance.now()), { capture: true, once: true });
          const check = () => {
            if (!start) return;
            const circles = document.querySelectorAll('.diagram svg circle').length > 0;
            if (!circles) cleared = true;
            const ours = document.querySelector('.origin')?.textContent === name;
            const header = document.querySelector('.overview header .num')?.textContent ?? '';
            if (
              !timelineMs &&
              ours &&
              header.includes(`${series} series`) &&
              document.querySelector('.timeline svg path')
            ) {
              timelineMs = performance.now() - start;
            }
            const label = document.querySelector('.topology header')?.textContent?.includes('Window ending') ?? false;
            if (!diagramMs && cleared && circles && label) diagramMs = performance.now() - start;
            if (timelineMs && diagramMs) {
              observer.disconnect();
              resolve({ timelineMs, diagramMs });
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        }),
      { name, series },
    );
    await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: readFileSync(csvPath) });
    const times = await done;
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 120_000 });
    const uaMemory = await page.evaluate(async () => {
      const p = performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
      if (!crossOriginIsolated || !p.measureUserAgentSpecificMemory) return null;
      return (await p.measureUserAgentSpecificMemory()).bytes;
    });
    const phases = await page.evaluate(() => {
      const out: Record<string, number> = {};
      // the latest of each name: the demo analysed at start-up left its own
      for (const m of performance.getEntriesByType('measure')) if (m.name.startsWith('aura:')) out[m.name] = m.duration;
      return out;
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const jsHeap = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    return { ...times, phases, uaMemory, jsHeap, rss: await tabRss(page) };
  } finally {
    await browser.close();
  }
}

interface CacheRun {
  installMs: number;
  installedBytes: number;
  afterUseBytes: number;
  afterUseFiles: number;
}

/** Sum of response bodies in the page's Cache Storage (what the service worker keeps). */
function cacheBytes(page: Page): Promise<{ bytes: number; files: number }> {
  return page.evaluate(async () => {
    let bytes = 0;
    let files = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        if (res) {
          bytes += (await res.arrayBuffer()).byteLength;
          files++;
        }
      }
    }
    return { bytes, files };
  });
}

/** First visit on a plain static server: time until the service worker controls the page, cache sizes. */
async function offlineCacheRun(dir: string): Promise<CacheRun> {
  const server = await serveStatic(dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(server.url);
    const installMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          if (navigator.serviceWorker.controller) return resolve(performance.now());
          navigator.serviceWorker.addEventListener('controllerchange', () => resolve(performance.now()), {
            once: true,
          });
        }),
    );
    const installed = await cacheBytes(page);
    // The start-up demo runs the model, so onnxruntime's WASM is fetched (and cached at runtime if so configured).
    await page.locator('.overview header .num').first().waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 180_000 });
    await page.waitForTimeout(1000);
    const after = await cacheBytes(page);
    return { installMs, installedBytes: installed.bytes, afterUseBytes: after.bytes, afterUseFiles: after.files };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Builds the precache-everything variant next to dist/ and compares both strategies. */
async function compareOrtCaching(): Promise<void> {
  const precacheDir = join(repoRoot, 'test-results', 'dist-precache-ort');
  execFileSync('npx', ['vite', 'build', '--outDir', precacheDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: repoRoot,
    env: { ...process.env, AURA_ORT_CACHE: 'precache', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const table = new BenchTable(
    'Offline cache, first visit on a plain static server (no COOP/COEP headers), headless Chromium; one run per strategy',
    ['onnxruntime WASM', 'runs', 'SW install (first visit), wall', 'cached at install', 'cached after first inference'],
  );
  for (const [label, dir] of [
    ['runtime CacheFirst (dist/)', distDir],
    ['precached (AURA_ORT_CACHE=precache)', precacheDir],
  ] as const) {
    const r = await offlineCacheRun(dir);
    table.add(
      label,
      1,
      `${(r.installMs / 1000).toFixed(1)} s`,
      `${(r.installedBytes / MB).toFixed(1)} MB`,
      `${(r.afterUseBytes / MB).toFixed(1)} MB (${r.afterUseFiles} files)`,
    );
  }
  table.print();
}

async function budgets(): Promise<void> {
  if (!existsSync(join(distDir, 'index.html')))
    throw new Error('dist/ is missing: run `npx vite build` (or `npm run budget`) first');

  // 1. Initial JS.
  const graph = await initialGraph(distDir);
  const jsRaw = graph.js.reduce((n, f) => n + statSync(join(distDir, f)).size, 0);
  const jsGz = graph.js.reduce((n, f) => n + gz(readFileSync(join(distDir, f))), 0);
  const cssGz = graph.css.reduce((n, f) => n + gz(readFileSync(join(distDir, f))), 0);

  // Offline cache: what the service worker downloads on install, and what onnxruntime adds on first use.
  const precached = precacheFiles(distDir);
  const precacheBytes = precached.reduce(
    (n, f) => n + (existsSync(join(distDir, f)) ? statSync(join(distDir, f)).size : 0),
    0,
  );
  const ort = readdirSync(join(distDir, 'assets')).filter((f) => /^ort-wasm.*\.wasm$/.test(f));
  const ortSizes = ort.map(
    (f) =>
      `${f.replace(/-[\w-]{8}\.wasm$/, '.wasm')} ${(statSync(join(distDir, 'assets', f)).size / MB).toFixed(1)} MB`,
  );

  // 2 + 3. Drop the demo CSV in headless Chromium, on a server that sends the isolation headers (as nginx does).
  const csvPath = join(repoRoot, 'test-results', 'budget-demo.csv');
  execFileSync(
    'sh',
    [
      '-c',
      `mkdir -p test-results && node bin/aura.js synth --preset demo --format wide-csv > ${JSON.stringify(csvPath)}`,
    ],
    {
      cwd: repoRoot,
    },
  );
  const header = readFileSync(csvPath, 'utf8').split('\n', 1)[0];
  const series = (header.match(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g) ?? []).length;
  const rows = readFileSync(csvPath, 'utf8').trimEnd().split('\n').length - 1;
  const server = await serveStatic(distDir, {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  });
  const table = new BenchTable(
    `Budgets of the built app (dist/) in headless Chromium, demo CSV: ${series} series × ${rows} rows ` +
      `(${(statSync(csvPath).size / MB).toFixed(1)} MB); timed rows: median of ${RUNS} runs, each in a fresh browser; ` +
      'runs "—": sizes read from dist/, not timed',
    ['budget', 'runs', 'measured (median)', 'limit', ''],
    'lrrrl',
  );
  const phasesTable = new BenchTable(`Where the time goes: the app's performance measures, median of ${RUNS} runs`, [
    'measure',
    'runs',
    'median wall ms',
  ]);
  const runs: DropRun[] = [];
  try {
    for (let i = 0; i < RUNS; i++) runs.push(await dropOnce(server.url, csvPath, series));
  } finally {
    await server.close();
  }
  const timeline = median(runs.map((r) => r.timelineMs));
  const diagram = median(runs.map((r) => r.diagramMs));
  const ua = runs.every((r) => r.uaMemory !== null) ? median(runs.map((r) => r.uaMemory!)) : null;
  const heap = median(runs.map((r) => r.jsHeap));
  const rss = runs.every((r) => r.rss !== null) ? median(runs.map((r) => r.rss!)) : null;
  const ok = (v: number, limit: number) => (v <= limit ? 'ok' : 'OVER');

  table.add(
    `initial JS (${graph.js.length} files, gzip -6)`,
    '—',
    `${(jsGz / KB).toFixed(1)} KB (${(jsRaw / KB).toFixed(0)} KB raw)`,
    `${limits.initialJsGzipKB} KB`,
    ok(jsGz / KB, limits.initialJsGzipKB),
  );
  table.add('initial CSS (gzip -6)', '—', `${(cssGz / KB).toFixed(1)} KB`, '—', '');
  table.add('drop demo CSV → whole timeline drawn, wall', RUNS, `${timeline.toFixed(0)} ms`, '—', '');
  table.add(
    'drop demo CSV → first persistence diagram, wall',
    RUNS,
    `${diagram.toFixed(0)} ms`,
    `${limits.dropToDiagramMs} ms`,
    ok(diagram, limits.dropToDiagramMs),
  );
  table.add(
    'tab memory (measureUserAgentSpecificMemory)',
    RUNS,
    ua === null ? 'n/a' : `${(ua / MB).toFixed(1)} MB`,
    `${limits.memoryMB} MB`,
    ua === null ? '' : ok(ua / MB, limits.memoryMB),
  );
  table.add('main-thread JS heap used (CDP)', RUNS, `${(heap / MB).toFixed(1)} MB`, '—', '');
  table.add('renderer process RSS (/proc)', RUNS, rss === null ? 'n/a' : `${(rss / MB).toFixed(1)} MB`, '—', '');
  table.add(
    'service-worker precache',
    '—',
    `${precached.length} files, ${(precacheBytes / MB).toFixed(2)} MB`,
    '—',
    '',
  );
  table.add('onnxruntime WASM (cached on first use)', '—', ortSizes.join('; ') || 'none', '—', '');
  table.print();
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.phases)))];
  for (const n of names) {
    const values = runs.map((r) => r.phases[n]).filter((v) => v !== undefined);
    phasesTable.add(n.replace(/^aura:/, ''), values.length, median(values).toFixed(0));
  }
  if (names.length > 0) phasesTable.print();
  console.log(
    `\nper run (ms timeline/diagram): ${runs.map((r) => `${r.timelineMs.toFixed(0)}/${r.diagramMs.toFixed(0)}`).join(', ')}`,
  );
}

/** AURA_BUDGET_ONLY=budgets or =cache runs one half (the cache comparison builds a second dist). */
export async function run(): Promise<void> {
  if (!existsSync(join(distDir, 'index.html')))
    throw new Error('dist/ is missing: run `npx vite build` (or `npm run budget`) first');
  const only = process.env.AURA_BUDGET_ONLY;
  if (only !== 'cache') await budgets();
  if (only !== 'budgets') await compareOrtCaching();
}
