// A streaming CSV reader: text arrives in chunks, records leave with the 1-based line they start on.
// RFC 4180 quoting (a field that starts with `"`; `""` inside is a quote; newlines allowed inside),
// LF or CRLF line ends. Lines without quotes take a fast path (String.split).
import { IngestError } from './errors.ts';

export type RecordSink = (fields: string[], line: number) => void;
/** A record that could not be read (an unterminated quote), reported so it can be counted. */
export type BadRecordSink = (line: number, reason: string) => void;

/** A quoted field may not hold more than this many characters; beyond it the quote is taken as unterminated. */
const MAX_QUOTED = 1 << 22;
/** A line longer than this means the input is not a line-oriented text file. */
export const MAX_LINE = 64 << 20;

export function tooLong(): IngestError {
  return new IngestError(`a line is longer than ${MAX_LINE >> 20} MB: this is not a line-oriented metrics file`);
}

export class CsvTokenizer {
  private rest = '';
  /** Line number of the first character of `rest`. */
  private line = 1;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: RecordSink,
    private readonly onBad: BadRecordSink,
  ) {}

  push(chunk: string): void {
    // Text without a line end cannot finish a record: hold it without rescanning what came before.
    if (chunk.indexOf('\n') < 0) {
      this.held.push(chunk);
      this.heldLength += chunk.length;
      if (this.heldLength > MAX_LINE) throw tooLong();
      return;
    }
    const before = this.take();
    if (before.length === 0) {
      this.parse(chunk, false, 0);
      return;
    }
    // Finish the held partial record with the chunk's first line, then read the chunk in place:
    // concatenating the whole chunk would make every later slice go through a cons string (2x slower).
    const nl = chunk.indexOf('\n');
    this.parse(before + chunk.slice(0, nl + 1), false, 0);
    if (this.rest.length > 0) this.parse(this.take() + chunk.slice(nl + 1), false, 0);
    else this.parse(chunk, false, nl + 1);
  }

  end(): void {
    const rest = this.take();
    if (rest.length > 0) this.parse(rest, true, 0);
    this.rest = '';
  }

  private held: string[] = [];
  private heldLength = 0;

  private take(): string {
    const text = this.held.length === 0 ? this.rest : this.rest + this.held.join('');
    this.held = [];
    this.heldLength = 0;
    return text;
  }

  private parse(buf: string, final: boolean, start: number): void {
    const d = this.delimiter;
    const n = buf.length;
    let p = start;
    let line = this.line;
    let nextQuote = buf.indexOf('"', p);
    if (nextQuote < 0) nextQuote = n;
    let nextDelim = -1;
    while (p < n) {
      let nl = buf.indexOf('\n', p);
      if (nl < 0) {
        if (!final) break;
        nl = n;
      }
      if (nextQuote < p) {
        nextQuote = buf.indexOf('"', p);
        if (nextQuote < 0) nextQuote = n;
      }
      if (nextQuote >= nl) {
        const end = nl > p && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        // Fields cut straight out of the buffer (faster than slicing the line and splitting it).
        // The next delimiter's position is remembered so that lines without one do not rescan the buffer.
        const fields: string[] = [];
        let from = p;
        for (;;) {
          if (nextDelim < from) {
            nextDelim = buf.indexOf(d, from);
            if (nextDelim < 0) nextDelim = n;
          }
          if (nextDelim >= end) break;
          fields.push(buf.slice(from, nextDelim));
          from = nextDelim + 1;
        }
        fields.push(buf.slice(from, end));
        this.onRecord(fields, line);
        line++;
        p = nl + 1;
        continue;
      }
      const r = this.quoted(buf, p, final);
      if (r === null) break; // needs more text
      if (r.bad) {
        this.onBad(line, 'unterminated quote: a field opens with " and never closes');
        // Resume on the line after the one the broken record started on.
        line++;
        p = nl + 1;
        continue;
      }
      this.onRecord(r.fields, line);
      line += r.lines;
      p = r.next;
    }
    this.rest = p < n ? buf.slice(p) : '';
    this.line = line;
    if (!final && this.rest.length > MAX_QUOTED && this.rest.includes('"')) {
      // A runaway quote would otherwise buffer the whole file: report it and move past its first line.
      const nl = this.rest.indexOf('\n');
      this.onBad(line, 'unterminated quote: a field opens with " and never closes');
      this.rest = nl < 0 ? '' : this.rest.slice(nl + 1);
      this.line = line + 1;
    }
  }

  /** Reads one record with quotes from `start`; null when the text ends inside it and more may come. */
  private quoted(
    buf: string,
    start: number,
    final: boolean,
  ): { fields: string[]; next: number; lines: number; bad: boolean } | null {
    const d = this.delimiter;
    const n = buf.length;
    const fields: string[] = [];
    let lines = 1;
    let i = start;
    for (;;) {
      // One field starting at i.
      if (i < n && buf[i] === '"') {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            if (!final) return null;
            return { fields, next: n, lines, bad: true };
          }
          const piece = buf.slice(j, q);
          for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) lines++;
          value += piece;
          if (q + 1 < n && buf[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return null;
          j = q + 1;
          break;
        }
        // Text after the closing quote (malformed) is kept as part of the field, up to the delimiter.
        let k = j;
        while (k < n && buf[k] !== d && buf[k] !== '\n') k++;
        if (k >= n && !final) return null;
        let tail = buf.slice(j, k);
        if (tail.endsWith('\r') && (k >= n || buf[k] === '\n')) tail = tail.slice(0, -1);
        fields.push(value + tail);
        i = k;
      } else {
        let k = i;
        while (k < n && buf[k] !== d && buf[k] !== '\n') k++;
        if (k >= n && !final) return null;
        let value = buf.slice(i, k);
        if (value.endsWith('\r') && (k >= n || buf[k] === '\n')) value = value.slice(0, -1);
        fields.push(value);
        i = k;
      }
      if (i >= n) return { fields, next: n, lines, bad: false };
      if (buf[i] === '\n') return { fields, next: i + 1, lines, bad: false };
      i++; // delimiter
    }
  }
}

/** Counts delimiters outside quotes in a line, to choose between comma, semicolon and tab. */
export function guessDelimiter(line: string): string {
  let inQuote = false;
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch in counts) counts[ch]++;
  }
  let best = ',';
  for (const d of [';', '\t']) if (counts[d] > counts[best]) best = d;
  return best;
}

/** Writes one CSV field, quoting when needed. */
export function csvField(s: string, delimiter = ','): string {
  return s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') || s !== s.trim()
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}
