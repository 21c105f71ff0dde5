// Tells the format from the first part of the text (never from the file name).
import { guessDelimiter } from './csv-tokenizer.ts';
import { INVALID, parseValue } from './values.ts';

export type Family = 'csv' | 'influx-csv' | 'prom-json' | 'exposition';

export interface Detection {
  family: Family;
  /** CSV delimiter (`,` `;` or tab). */
  delimiter: string;
  /** The first line is Excel's `sep=;` hint and is not data. */
  sepLine: boolean;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{.*\})?[ \t]+(\S+)([ \t]+\S+)?[ \t]*$/;

/** `head` is the start of the text; `complete` says whether it is all of it. */
export function detectFormat(head: string): Detection {
  const lines = head.split('\n', 50).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  const first = nonEmpty[0] ?? '';
  const base = { delimiter: ',', sepLine: false };
  const t = head.trimStart();
  if (t.startsWith('[') || /^\{\s*("|\}|$)/.test(t)) return { family: 'prom-json', ...base };
  if (/^"?#(group|datatype|default)\b/.test(first)) return { family: 'influx-csv', ...base };
  if (/^#\s+(TYPE|HELP|EOF|UNIT)\b/.test(first) || /^\{[a-zA-Z_]/.test(first)) {
    return { family: 'exposition', ...base };
  }
  const samples = nonEmpty.filter((l) => !l.startsWith('#')).slice(0, 5);
  if (
    samples.length > 0 &&
    samples.every((l) => {
      const m = SAMPLE_LINE.exec(l);
      return m !== null && (m[1] !== undefined || m[2] !== undefined) && parseValue(m[3]) !== INVALID;
    })
  ) {
    return { family: 'exposition', ...base };
  }
  const sep = /^sep=(.)\s*$/i.exec(lines[0] ?? '');
  const headerLine = sep ? (nonEmpty[1] ?? '') : first;
  const delimiter = sep ? sep[1] : guessDelimiter(headerLine);
  const cells = headerLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cells.includes('_time') && (cells.includes('_value') || cells.includes('_field'))) {
    return { family: 'influx-csv', delimiter: ',', sepLine: false };
  }
  return { family: 'csv', delimiter, sepLine: !!sep };
}
