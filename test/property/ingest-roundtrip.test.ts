// Write random frames in every text format and read them back: the same series, sample for sample.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { importStream, importText } from '../../src/lib/ingest/index.ts';
import { CsvTokenizer, csvField } from '../../src/lib/ingest/csv-tokenizer.ts';
import { writers } from '../../src/lib/ingest/write.ts';

const metricName = fc.stringMatching(/^[a-zA-Z0-9_:]{0,12}$/).map((s) => `m_${s}`);
const labelName = fc.stringMatching(/^[a-zA-Z0-9_]{0,8}$/).map((s) => `l${s}`);
// Label values: any non-empty text, quotes, commas, braces, backslashes, newlines and markup included.
const labelValue = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.constantFrom('a"b', 'x,y', '{z}', 'a\\b', 'l1\nl2', '<b>', ' # ', ';\t'),
  )
  .filter((s) => s.trim() === s && s !== '' && !s.includes('\r'));
const value = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e21, 5e-324),
  fc.integer({ min: -1e6, max: 1e6 }),
);

const series: fc.Arbitrary<Series> = fc
  .record({
    name: metricName,
    labels: fc.dictionary(labelName, labelValue, { maxKeys: 3 }),
    times: fc.uniqueArray(fc.integer({ min: 1e12, max: 4e12 }), { minLength: 1, maxLength: 20 }),
    values: fc.array(value, { minLength: 20, maxLength: 20 }),
  })
  .map(({ name, labels, times, values }) => {
    const ts = Float64Array.from(times.sort((a, b) => a - b));
    return { name, labels, timestamps: ts, values: Float64Array.from(values.slice(0, ts.length)) };
  });

const frames: fc.Arbitrary<MetricFrame> = fc
  .uniqueArray(series, { minLength: 1, maxLength: 4, selector: (s) => seriesKey(s) })
  .map((list) => ({
    series: list,
    meta: { origin: 'gen', format: '', rejected: { count: 0, examples: [] }, duplicates: 0 },
  }));

function expectSameFrame(read: MetricFrame, written: MetricFrame) {
  const got = new Map(read.series.map((s) => [seriesKey(s), s]));
  expect([...got.keys()].sort()).toEqual(written.series.map(seriesKey).sort());
  for (const w of written.series) {
    const r = got.get(seriesKey(w))!;
    expect(r.name).toBe(w.name);
    expect(r.labels).toEqual(w.labels);
    expect(Array.from(r.timestamps)).toEqual(Array.from(w.timestamps));
    expect(r.values.length).toBe(w.values.length);
    for (let i = 0; i < w.values.length; i++) expect(Object.is(r.values[i], w.values[i])).toBe(true);
  }
  expect(read.meta.rejected.count).toBe(0);
  expect(read.meta.duplicates).toBe(0);
}

describe('round trip through every text format', () => {
  for (const [format, write] of Object.entries(writers)) {
    it(format, () => {
      fc.assert(
        fc.property(frames, (frame) => {
          const read = importText(write(frame));
          expect(read.meta.format).toBe(format);
          expectSameFrame(read, frame);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('wide CSV with semicolons and tabs', () => {
    fc.assert(
      fc.property(frames, fc.constantFrom(';', '\t'), (frame, d) => {
        expectSameFrame(importText(writers['wide-csv'](frame, d)), frame);
      }),
      { numRuns: 100 },
    );
  });

  it('streamed in random chunks, UTF-8 split anywhere, gives the same frame', async () => {
    await fc.assert(
      fc.asyncProperty(
        frames,
        fc.constantFrom(...Object.keys(writers)),
        fc.integer({ min: 1, max: 50 }),
        async (frame, format, size) => {
          const bytes = new TextEncoder().encode(writers[format as keyof typeof writers](frame));
          async function* chunks() {
            for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
          }
          expectSameFrame(await importStream(chunks()), frame);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('CSV tokenizer', () => {
  const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('"', '""', ',', '\n', '\r\n', ' a ', ';'));
  const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 });

  it('reads back what a CSV writer wrote, in any chunking, with the line each record starts on', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 30 }), (rows, eol, size) => {
        const text = rows.map((r) => r.map((c) => csvField(c)).join(',')).join(eol) + eol;
        const got: string[][] = [];
        const lines: number[] = [];
        const tok = new CsvTokenizer(
          ',',
          (f, line) => {
            got.push(f);
            lines.push(line);
          },
          () => {
            throw new Error('bad record');
          },
        );
        for (let i = 0; i < text.length; i += size) tok.push(text.slice(i, i + size));
        tok.end();
        expect(got).toEqual(rows);
        let line = 1;
        rows.forEach((r, k) => {
          expect(lines[k]).toBe(line);
          line += r
            .map((c) => csvField(c))
            .join(',')
            .split('\n').length;
        });
        // papaparse, the reference CSV reader, agrees.
        const papa = Papa.parse<string[]>(text, {
          delimiter: ',',
          newline: eol as '\n' | '\r\n',
          skipEmptyLines: false,
        });
        expect(papa.data.slice(0, rows.length)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
