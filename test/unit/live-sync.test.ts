// Tab sync over Node's BroadcastChannel (the same API as the browser's): packed samples keep their typed arrays,
// a tab does not hear itself, and without the Web Locks API every tab leads.
import { describe, expect, it } from 'vitest';
import { LiveChannel, tryLead, type LiveMessage } from '../../src/browser/sync.ts';
import { pack, SeriesTable, unpack } from '../../src/lib/live/packed.ts';

describe('live tab sync', () => {
  it('delivers packed samples to the other tabs with their typed arrays, not to the sender', async () => {
    const name = `aura-test-${Math.random()}`;
    const heardByA: LiveMessage[] = [];
    const heardByB: LiveMessage[] = [];
    const a = new LiveChannel((m) => heardByA.push(m), name);
    const b = new LiveChannel((m) => heardByB.push(m), name);
    try {
      const samples = pack(
        {
          series: [
            {
              name: 'up',
              labels: { instance: 'h1' },
              timestamps: Float64Array.of(1000, 2000),
              values: Float64Array.of(1, NaN),
            },
          ],
          meta: {
            origin: 'http://prom:9090',
            format: 'prom-json',
            rejected: { count: 0, examples: [] },
            duplicates: 0,
          },
        },
        new SeriesTable(),
      );
      a.post({ type: 'append', samples });
      await expect.poll(() => heardByB.length).toBe(1);
      const m = heardByB[0];
      expect(m.type).toBe('append');
      if (m.type !== 'append') return;
      const table = new SeriesTable();
      table.absorb(m.samples);
      const frame = unpack(m.samples, table);
      expect(frame.series[0].labels).toEqual({ instance: 'h1' });
      expect(frame.series[0].timestamps).toBeInstanceOf(Float64Array);
      expect([...frame.series[0].timestamps]).toEqual([1000, 2000]);
      expect(Number.isNaN(frame.series[0].values[1])).toBe(true);
      expect(heardByA).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('leads alone without a lock manager; with one, only the first tab leads until it lets go', async () => {
    expect(await tryLead(Promise.resolve())).toBe(true);
    // A minimal lock manager with the ifAvailable semantics of navigator.locks.
    let held = false;
    const locks = {
      async request(_name: string, _opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<void>) {
        if (held) return cb(null);
        held = true;
        try {
          await cb({});
        } finally {
          held = false;
        }
      },
    };
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    expect(await tryLead(until, locks)).toBe(true);
    expect(await tryLead(Promise.resolve(), locks)).toBe(false);
    release();
    await until;
    await new Promise((r) => setTimeout(r, 0));
    expect(await tryLead(Promise.resolve(), locks)).toBe(true);
  });
});
