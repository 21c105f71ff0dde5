// A live update of a fleet in the app, in headless Chromium against a real Prometheus (issue 12 §5: "a live
// update of one new stride for all 1,000 hosts ≤ 1 s"). The fleet of test/browser/live-fleet-source.ts
// (N hosts × 10 metrics scraped every second, 12 h of history backfilled) is connected with window 16 and
// stride 4 at a 1 s step, and every appended poll is timed by the app's own measure `aura:live-update`
// (src/ui/live/live.svelte.ts): from the poll's requests going out (in the live source worker) to the first
// animation frame after the page took the updated Report and rows. Its parts: Prometheus answering and the
// JSON parsed (worker), the way to the page, the update (analysis worker: append, new windows, peers, fleet
// report, the model once a minute), the frame. "One new stride" rows are the updates that added windows.
// CPU per update, which the machine's load does not inflate as it does wall times: the page's main thread and
// the whole tab (page and every worker), from /proc (the tab is the renderer process with DedicatedWorker
// threads; its main thread is the page's), over the updates measured, divided by their number.
//   node bin/run-ts.js bench/index.ts live-fleet   (a built dist/; LIVE_BENCH_HOSTS=1000 by default,
//   BENCH_QUICK=1: 100; LIVE_BENCH_UPDATES=12 updates; LIVE_BENCH_DIST=DIR: another build, for before/after;
//   LIVE_BENCH_PROFILE=FILE.cpuprofile: the page's JavaScript meanwhile)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, hasPrometheus } from '../test/helpers/env.ts';
import { launchChromium, openIsolated, serveStatic } from '../test/helpers/browser.ts';
import { connectFleet, startFleetSource } from '../test/browser/live-fleet-source.ts';
import { BenchTable, median, num } from './table.ts';

const LONG = 900_000;

interface Update {
  /** Poll start → frame after the update, ms. */
  total: number;
  read: number;
  toPage: number;
  update: number;
  frame: number;
  samples: number;
  windows: number;
}

async function updates(page: Page): Promise<Update[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByName('aura:live-update')
      .map((e) => ({ total: e.duration, ...(e as PerformanceMeasure).detail })),
  );
}

/** CPU seconds (user + system) of a process or one of its threads, from /proc (clock ticks of 1/100 s). */
function cpuS(path: string): number {
  const fields = readFileSync(path, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The tab's renderer: the one process of this browser running dedicated workers. */
async function tabPid(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession();
  const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await session.detach();
  const tabs = info.processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => p.id)
    .filter((pid) =>
      readdirSync(`/proc/${pid}/task`).some((t) => {
        try {
          return readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').startsWith('DedicatedWorker');
        } catch {
          return false;
        }
      }),
    );
  if (tabs.length !== 1) throw new Error(`expected one renderer running workers, found ${tabs.length}`);
  return tabs[0];
}

async function measure(url: string, promUrl: string, hosts: number, want: number) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openIsolated(page, `${url}#window=16&stride=4`);
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 180_000 });
    await connectFleet(page, promUrl);
    await page.waitForFunction(
      (n) =>
        new RegExp(`^\\s*${n} hosts by host`).test(
          document.querySelector('[data-testid=fleet-summary]')?.textContent ?? '',
        ),
      hosts,
      { timeout: LONG, polling: 250 },
    );
    // Updates are counted by the sample count shown changing (a build without the measure is counted too).
    await page.evaluate(() => {
      const w = window as unknown as { __updates: number };
      w.__updates = 0;
      let last = '';
      setInterval(() => {
        const now = document.querySelector('[data-testid=live-samples]')?.textContent ?? '';
        if (now !== last) w.__updates++;
        last = now;
      }, 50);
    });
    const shown = (n: number) =>
      page.waitForFunction((k) => (window as unknown as { __updates: number }).__updates >= k, n, {
        timeout: LONG,
        polling: 250,
      });
    // The first updates after connecting also hold the model's first run and the views' first draw.
    await shown(3);
    const pid = await tabPid(browser);
    const cpu = () => [cpuS(`/proc/${pid}/task/${pid}/stat`), cpuS(`/proc/${pid}/stat`)];
    const skip = (await updates(page)).length;
    const counted = await page.evaluate(() => (window as unknown as { __updates: number }).__updates);
    // LIVE_BENCH_PROFILE=FILE.cpuprofile: the page's JavaScript over the updates measured.
    const profile = process.env.LIVE_BENCH_PROFILE;
    const cdp = profile ? await page.context().newCDPSession(page) : null;
    if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const total = async () => Number((await page.getByTestId('live-samples').textContent())?.replace(/\D/g, ''));
    const samples0 = await total();
    const cpu0 = cpu();
    const load0 = loadavg()[0];
    await shown(counted + want);
    const [pageS, tabS] = cpu().map((c, i) => c - cpu0[i]);
    const samplesPerUpdate = ((await total()) - samples0) / want;
    if (cdp) writeFileSync(profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const all = await updates(page);
    return {
      runs: all.slice(skip, skip + want),
      before: all[skip - 1] as Update | undefined,
      pageS,
      tabS,
      samplesPerUpdate,
      load: [load0, loadavg()[0]],
    };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  if (!hasChromium() || !hasPrometheus()) return;
  const hosts = process.env.BENCH_QUICK ? 100 : Number(process.env.LIVE_BENCH_HOSTS ?? 1000);
  const want = Number(process.env.LIVE_BENCH_UPDATES ?? 12);
  const table = new BenchTable(
    `Live mode in the app (headless Chromium, real Prometheus, ${hosts} hosts × 10 metrics at 1 s, window 16, ` +
      `stride 4): each appended poll from its requests going out to the frame after the view took it; median ` +
      `over ${want} updates (ms); "one stride" = the updates that added windows; CPU per update (ms): the ` +
      "page's main thread, and the tab (page and workers), from /proc",
    [
      'updates',
      'n',
      'poll → view',
      'Prometheus + parse (worker)',
      'to page',
      'update (analysis worker)',
      'frame',
      'samples',
      'page CPU / update',
      'tab CPU / update',
      'load (1 min) start, end',
    ],
    'lrrrrrrrrrr',
  );
  const source = await startFleetSource(hosts);
  const server = await serveStatic(process.env.LIVE_BENCH_DIST || undefined);
  try {
    const r = await measure(server.url, source.prom.url, hosts, want);
    let last = r.before?.windows ?? Infinity;
    const strides = r.runs.filter((u) => {
      const added = u.windows > last;
      last = u.windows;
      return added;
    });
    const row = (name: string, us: Update[]) => {
      const m = (k: keyof Update) => num(median(us.map((u) => u[k])));
      table.add(
        name,
        us.length,
        m('total'),
        m('read'),
        m('toPage'),
        m('update'),
        m('frame'),
        us.length ? m('samples') : num(r.samplesPerUpdate),
        num((r.pageS * 1000) / want),
        num((r.tabS * 1000) / want),
        r.load.map((l) => l.toFixed(1)).join(', '),
      );
    };
    row('all', r.runs);
    row('one stride (windows added)', strides);
  } finally {
    await server.close();
    await source.stop();
  }
  table.print();
}
