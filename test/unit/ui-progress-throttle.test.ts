// The analysis worker's progress to the page: a few messages a second whatever the phases, the last state
// not lost, and nothing after stop() (a late message once the page's callbacks were released stopped the
// worker with "Proxy has been released").
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttled } from '../../src/workers/analysis/throttle.ts';

describe('throttled progress', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  const clock = () => Date.now();

  it('sends the first at once and at most one per interval, the latest held back sent on time', () => {
    const sent: number[] = [];
    const p = throttled((v: number) => sent.push(v), 250, clock);
    p.push(1);
    expect(sent).toEqual([1]);
    // A burst, as eight entities in different phases report: one message for it, carrying the latest.
    for (let v = 2; v <= 50; v++) {
      vi.advanceTimersByTime(4);
      p.push(v);
    }
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([1, 50]);
    // Two seconds of a report every 5 ms: about 4 messages a second, not 200.
    for (let i = 0; i < 400; i++) {
      vi.advanceTimersByTime(5);
      p.push(100 + i);
    }
    vi.advanceTimersByTime(250);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.at(-1)).toBe(499);
  });

  it('sends nothing after stop, even when its timer was due', () => {
    const sent: number[] = [];
    const p = throttled((v: number) => sent.push(v), 250, clock);
    p.push(1);
    p.push(2);
    p.stop();
    p.push(3);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });

  it('a message sent on time while a timer is pending leaves no second timer behind', () => {
    const sent: number[] = [];
    const p = throttled((v: number) => sent.push(v), 250, clock);
    p.push(1);
    p.push(2); // held: a timer for 250 ms
    // The worker was busy past the timer's time: the next push sends at once and must cancel the timer.
    vi.setSystemTime(Date.now() + 300);
    p.push(3);
    p.push(4); // held again: one timer
    p.stop();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 3]);
  });
});
