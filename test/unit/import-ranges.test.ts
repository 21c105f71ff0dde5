// A large wide CSV file read in two halves at once (src/node/import-ranges.ts) must give the frame the whole
// file gives, byte for byte: rejected rows with their line numbers, gaps, repeated and unordered timestamps
// across the cut. Whatever could read differently in halves (quotes, no header, a second table, non-ASCII
// text, a long table, gzip) must make it give up, so that the file is read the usual way.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importText } from '../../src/lib/ingest/index.ts';
import { importFileInRanges } from '../../src/node/import-ranges.ts';

const dir = mkdtempSync(join(tmpdir(), 'aura-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 5);
const HEADER = 'timestamp,"cpu{instance=""a""}","mem{instance=""a""}",cpu{instance="b"},mem{instance="b"}';

/** Rows of a 4-series wide table, one a minute, values with 17 significant digits. */
function rows(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + from;
    const v = (j: number) => String(Math.sin(k * 0.37 + j) * 1e5 + 1e6 + k / 3);
    return [new Date(T0 + k * 60_000).toISOString(), v(0), v(1), v(2), v(3)].join(',');
  });
}

let n = 0;
async function both(text: string | Buffer): Promise<{ split: unknown; whole: unknown }> {
  const file = join(dir, `f${n++}.csv`);
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);
  const split = await importFileInRanges(file, size, { origin: 'f.csv' }, 0);
  let whole: unknown;
  try {
    whole = importText(typeof text === 'string' ? text : text.toString('utf8'), { origin: 'f.csv' });
  } catch (err) {
    whole = err;
  }
  return { split, whole };
}

describe('importFileInRanges', () => {
  it('gives the whole file’s frame: gaps, rejected rows on both sides, one shared time array', async () => {
    const r = rows(400);
    r[10] = r[10].replace(/,[^,]*$/, ',');
    r[250] = r[250].replace(/,[^,]*,/, ',,');
    r[30] = 'not a time,1,2,3,4';
    r[320] = r[320] + ',5';
    r[330] = r[330].replace(/,[^,]*$/, ',12 %');
    const text = [HEADER, ...r].join('\n') + '\n';
    const { split, whole } = await both(text);
    expect(split).not.toBeNull();
    expect(split).toEqual(whole);
    const frame = split as { series: { timestamps: Float64Array }[]; meta: { rejected: { count: number } } };
    expect(frame.meta.rejected.count).toBe(3);
    // the columns without gaps keep one time array between them, as a whole-file import does
    expect(frame.series[1].timestamps).toBe(frame.series[2].timestamps);
  });

  it('gives the whole file’s frame when times repeat or go back across the cut, with CRLF line ends', async () => {
    const r = rows(300);
    const shuffled = [...r.slice(150), ...r.slice(0, 160)];
    const { split, whole } = await both([HEADER, ...shuffled].join('\r\n') + '\r\n');
    expect(split).not.toBeNull();
    expect(split).toEqual(whole);
    expect((split as { meta: { duplicates: number } }).meta.duplicates).toBe(40); // 10 rows × 4 series
  });

  it('gives up where halves could read differently', async () => {
    const r = rows(200);
    const cases: [string, string | Buffer][] = [
      [
        'a quote after the header',
        [HEADER, ...r.slice(0, 150), `${r[150].split(',')[0]},"1",2,3,4`, ...r.slice(151)].join('\n'),
      ],
      ['no header', r.join('\n')],
      ['a second table', [HEADER, ...r.slice(0, 150), '', HEADER, ...rows(50, 150)].join('\n')],
      ['non-ASCII text', [HEADER, ...r.slice(0, 150), r[150] + 'é', ...r.slice(151)].join('\n')],
      [
        'a long table',
        ['time,metric,host,value', ...r.map((l, i) => `${l.split(',')[0]},cpu,h${i % 3},${i}`)].join('\n'),
      ],
      ['gzip', gzipSync([HEADER, ...r].join('\n'))],
      ['UTF-16', Buffer.from('\ufeff' + [HEADER, ...r].join('\n'), 'utf16le')],
    ];
    for (const [what, text] of cases) {
      const { split } = await both(text);
      expect(split, what).toBeNull();
    }
  });
});
