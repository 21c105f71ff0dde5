// The bench tables' shared helper: medians, and a header that states the machine's cores and load.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { availableParallelism } from 'node:os';
import { BenchTable, median, num } from '../../bench/table.ts';

describe('bench/table', () => {
  afterEach(() => vi.restoreAllMocks());

  it('takes the middle value, or the mean of the two middle values, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]); // not sorted in place
  });

  it('prints cores and load average above an aligned Markdown table', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const table = new BenchTable('what was measured', ['case', 'runs', 'median ms']);
    table.add('small', 5, num(0.01234));
    table.add('a longer case', 3, num(1234.5));
    table.print();
    const text = lines.join('\n');
    expect(text).toContain('what was measured');
    expect(text).toMatch(
      new RegExp(`${availableParallelism()} cores .*load average \\(1 / 5 / 15 min\\) [\\d.]+ / [\\d.]+ / [\\d.]+`),
    );
    const rows = text.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    expect(rows[2]).toContain('0.012');
    expect(rows[3]).toContain('1235');
  });

  it('refuses a row whose cell count does not match the header', () => {
    const table = new BenchTable('t', ['a', 'b']);
    expect(() => table.add('only one')).toThrow(/1 cells, the table 2/);
  });
});
