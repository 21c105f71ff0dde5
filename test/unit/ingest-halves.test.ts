// The two-halves rules the app's ingest worker reads a large wide CSV by (src/lib/ingest/halves.ts), with
// both halves read here in turn: the joined frame must be the whole file's, rejected rows and their line
// numbers, gaps, and repeated or unordered timestamps across the cut included; whatever could read differently
// in halves (a quote, non-ASCII text, a long table, a second table) must make the join give up.
import { describe, expect, it } from 'vitest';
import { importText } from '../../src/lib/ingest/index.ts';
import { Importer } from '../../src/lib/ingest/importer.ts';
import { countNewlines, halfChunkProblem, halfResult, joinHalves, NEWLINE } from '../../src/lib/ingest/halves.ts';

const T0 = Date.UTC(2026, 0, 5);
const HEADER = 'timestamp,cpu{instance="a"},mem{instance="a"},cpu{instance="b"},mem{instance="b"}';
const opts = { origin: 'f.csv', maxExamples: 10 };

function rows(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i + from;
    const v = (j: number) => String(Math.sin(k * 0.37 + j) * 1e5 + 1e6 + k / 3);
    return [new Date(T0 + k * 60_000).toISOString(), v(0), v(1), v(2), v(3)].join(',');
  });
}

/** The file read as the ingest worker reads it: first half here, the second behind a copy of the header. */
function inHalves(text: string): unknown {
  const bytes = new TextEncoder().encode(text);
  const headerEnd = bytes.indexOf(NEWLINE) + 1;
  const cut = bytes.indexOf(NEWLINE, Math.max(headerEnd, bytes.length >> 1)) + 1;
  const first = new Importer({ ...opts, totalBytes: cut });
  const head = bytes.subarray(0, cut);
  first.push(head);
  const tail = bytes.subarray(cut);
  const why = halfChunkProblem(tail);
  const second = new Importer(opts);
  second.push(bytes.subarray(0, headerEnd));
  second.push(tail);
  return joinHalves(
    first.finishParts(),
    why ? { ok: false, why } : halfResult(second.finishParts()),
    1 + countNewlines(head),
    opts,
  );
}

describe('joinHalves', () => {
  it('gives the whole file’s frame: rejected rows, gaps, and timestamps repeated or unordered across the cut', () => {
    const body = rows(400);
    body[30] = 'not a time,1,2,3,4';
    body[210] = body[210].replace(/,[^,]*$/, ',');
    body[320] = 'also bad,1,2,3,4';
    body[330] = body[5]; // a timestamp from the first half again, later in the file
    body.splice(260, 0, body[150]);
    const text = [HEADER, ...body].join('\n') + '\n';
    const whole = importText(text, opts);
    const split = inHalves(text);
    expect(split).toEqual(whole);
    expect(whole.meta.rejected.count).toBe(2);
    expect(whole.meta.duplicates).toBeGreaterThan(0);
  });

  it('gives up where a half could read differently from the whole', () => {
    const body = rows(200);
    const quoted = [...body];
    quoted[150] = quoted[150].replace(/,/, ',"') + '"';
    expect(inHalves([HEADER, ...quoted].join('\n'))).toBeNull();
    const accented = [...body];
    accented[150] = 'né,1,2,3,4';
    expect(inHalves([HEADER, ...accented].join('\n'))).toBeNull();
    // a second table in the second half
    expect(inHalves([HEADER, ...body.slice(0, 150), '', HEADER, ...body.slice(150)].join('\n'))).toBeNull();
    // a long table: its series are keyed by label cells
    const long = ['time,metric,host,value', ...body.map((r, i) => `${r.split(',')[0]},cpu,h${i % 3},${i}`)];
    expect(inHalves(long.join('\n'))).toBeNull();
  });

  it('says why a chunk after the header cannot be read apart', () => {
    expect(halfChunkProblem(new TextEncoder().encode('1,2\n3,4\n'))).toBeNull();
    expect(halfChunkProblem(new TextEncoder().encode('1,"2"\n'))).toMatch(/quote/);
    expect(halfChunkProblem(new TextEncoder().encode('1,é\n'))).toMatch(/non-ASCII/);
  });
});
