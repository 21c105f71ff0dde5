// The class behind issue 11 items 6 and 7: any text from the input, in any cell or message, stays inert.
// - Markdown: read back by CommonMark's own rules (backslash escapes, entities) it is the same text, and no
//   character that opens HTML, a link, code, emphasis or a cell is left unescaped;
// - CSV: a real CSV parser (papaparse) reads back the same text, with `'` before a would-be formula;
// - ingest: whatever bytes a file holds, no rejected-row reason or error message carries a control character.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { importText, IngestError } from '../../src/lib/ingest/index.ts';
import { csvText, markdownCell, markdownInline } from '../../src/lib/text/cells.ts';
import { escapeControls, hasControls } from '../../src/lib/text/quote.ts';

const nasty = ['<', '>', '&', '|', '[', ']', '(', ')', '`', '*', '_', '~', '\\', '=', '+', '-', '@', '"', ',', '!'];
const controls = ['\u0000', '\u0007', '\u001b', '\u001c', '\t', '\n', '\r', '\u007f', '\u0085', '\u202e', '\u2028'];
/** Strings rich in the characters that matter, plus anything else. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...nasty, ...controls, 'a', 'b', ' ', '1'), maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** CommonMark's reading of inline text: backslash-escaped ASCII punctuation and the three entities. */
function readBack(md: string): string {
  return md.replace(/\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g, (_, p: string, e: string) =>
    p !== undefined ? p : e === 'amp' ? '&' : e === 'lt' ? '<' : '>',
  );
}

/** Characters that would act if they stood unescaped (each must follow an unescaped backslash). */
function activeLeft(md: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\\') {
      i++;
      continue;
    }
    if ('`*[]|~<>'.includes(md[i])) found.push(md[i]);
  }
  return found;
}

describe('Markdown cells and prose', () => {
  it('read back as the same text (line breaks as spaces, controls escaped) with nothing active left', () => {
    fc.assert(
      fc.property(text, (s) => {
        const md = markdownInline(s);
        expect(readBack(md)).toBe(escapeControls(s.replace(/\r\n|[\r\n]/g, ' ')));
        expect(activeLeft(md)).toEqual([]);
        expect(hasControls(md)).toBe(false);
        expect(md).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('table cells never start a formula and read back as the text, with a quote before a formula', () => {
    fc.assert(
      fc.property(text, (s) => {
        const cell = markdownCell(s);
        expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        const back = readBack(cell);
        const oneLine = escapeControls(s.replace(/\r\n|[\r\n]/g, ' '));
        expect(/^[=+\-@\t\r]/.test(s) ? back === `'${oneLine}` : back === oneLine).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CSV fields', () => {
  it('papaparse reads back the same text, prefixed with a quote when it would be a formula', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (cells) => {
        const line = cells.map((c) => csvText(c)).join(',') + ',end';
        const parsed = Papa.parse<string[]>(line, { delimiter: ',', newline: '\n' });
        // papaparse splits rows on unquoted line breaks only; csvText quotes every break.
        expect(parsed.data.length).toBe(1);
        const row = parsed.data[0];
        expect(row.length).toBe(cells.length + 1);
        cells.forEach((c, j) => {
          expect(row[j]).toBe(/^[=+\-@\t\r]/.test(c) ? `'${c}` : c);
          expect(row[j]).not.toMatch(/^[=+\-@\t\r]/);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ingest messages', () => {
  const withControls = fc.string({ unit: fc.constantFrom(...controls, 'x', '1', ':', '{', '"', '#'), maxLength: 12 });
  const formats: ((a: string, b: string) => string)[] = [
    (a, b) => `time,${b}\n2024-01-01T00:00:00Z,1\n${a},2\n2024-01-01T00:00:30Z,${a}\n`,
    (a, b) => `time,metric,value\n2024-01-01T00:00:00Z,${b},1\n${a},cpu,2\n2024-01-01T00:01:00Z,cpu,${a}\n`,
    (a, b) => `# TYPE cpu gauge\ncpu{h="1"} 1 1700000000000\ncpu{h="${b}"} ${a} 1700000000000\n${a} 3\n`,
    (a) => `{"status":"error","errorType":"${JSON.stringify(a).slice(1, -1)}","error":"x"}`,
    (a, b) =>
      `#datatype,string,long,dateTime:RFC3339,double,string,string\n,result,table,_time,_value,_field,_measurement\n,,0,${a},1,f,${b}\n,,0,2024-01-01T00:00:00Z,${a},f,m\n`,
  ];

  it('never carry a control character, whatever the file holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: formats.length - 1 }), withControls, withControls, (k, a, b) => {
        try {
          const f = importText(formats[k](a, b));
          for (const e of f.meta.rejected.examples) expect(hasControls(e.reason)).toBe(false);
        } catch (err) {
          if (!(err instanceof IngestError)) throw err;
          expect(hasControls(err.message)).toBe(false);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
