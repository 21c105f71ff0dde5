// A probe in the page for the "does the page still answer?" tests: a timer every 25 ms records how late it
// fires (a running task blocks it), an animation frame is asked for every 100 ms, every long task is kept, and
// a fixed button records how long each real click (sent by Playwright, as a user's would be) waits for its
// handler.
import type { Page } from 'playwright-core';

export interface Probe {
  /** How late each 25 ms timer fired. */
  late: number[];
  frames: number[];
  clicks: number[];
  longTasks: number[];
}

/** Starts the probe; its button has the id `buttonId`, for the test to click. */
export async function startProbe(page: Page, buttonId: string): Promise<void> {
  await page.evaluate((id) => {
    const probe: Probe = { late: [], frames: [], clicks: [], longTasks: [] };
    const w = window as unknown as { __probe: Probe; __stop: () => void };
    w.__probe = probe;
    const obs = new PerformanceObserver((l) =>
      l.getEntries().forEach((e) => probe.longTasks.push(Math.round(e.duration))),
    );
    obs.observe({ type: 'longtask' });
    const button = document.body.appendChild(document.createElement('button'));
    button.textContent = 'probe';
    button.id = id;
    button.style.cssText = 'position:fixed;right:0;bottom:0;z-index:99999';
    // event.timeStamp is when the browser received the input: the handler's delay is the page's.
    button.addEventListener('click', (e) => probe.clicks.push(performance.now() - e.timeStamp));
    let stopped = false;
    let expected = performance.now() + 25;
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      probe.late.push(now - expected);
      expected = now + 25;
      setTimeout(tick, 25);
    };
    setTimeout(tick, 25);
    const frames = setInterval(() => {
      const t0 = performance.now();
      requestAnimationFrame(() => probe.frames.push(performance.now() - t0));
    }, 100);
    w.__stop = () => {
      stopped = true;
      clearInterval(frames);
      obs.disconnect();
      button.remove();
    };
  }, buttonId);
}

/** Stops the probe and returns what it recorded. */
export function stopProbe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const w = window as unknown as { __probe: Probe; __stop: () => void };
    w.__stop();
    return w.__probe;
  });
}

/** The worst of some waits, in whole ms (0 when there were none). */
export const worst = (xs: number[]) => Math.round(Math.max(0, ...xs));

/** The probe's lines for a test's log: timer, frames, clicks and the five longest tasks. */
export function probeLines(probe: Probe): string[] {
  const long = [...probe.longTasks].sort((a, b) => b - a).slice(0, 5);
  return [
    `  25 ms timer: ${probe.late.length} fired, worst ${worst(probe.late)} ms late`,
    `  animation frame: ${probe.frames.length} asked, worst ${worst(probe.frames)} ms`,
    `  click: ${probe.clicks.length} clicks, worst ${worst(probe.clicks)} ms`,
    `  long tasks: ${probe.longTasks.length}, longest ${long.join(', ')} ms`,
  ];
}
