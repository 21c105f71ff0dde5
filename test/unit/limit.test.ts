// forEachLimited: every task runs once, never more than `limit` at a time, and the first failure rejects.
import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../../src/lib/limit.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('forEachLimited', () => {
  it('runs every task once, at most `limit` at a time, starting in order', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await forEachLimited(10, 3, async (i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('rejects with the first failure, and does nothing for no tasks', async () => {
    await expect(
      forEachLimited(5, 2, async (i) => {
        await tick();
        if (i === 1) throw new Error('task 1 failed');
      }),
    ).rejects.toThrow('task 1 failed');
    let calls = 0;
    await forEachLimited(0, 4, async () => void calls++);
    expect(calls).toBe(0);
  });
});
