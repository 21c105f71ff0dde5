// The push importer: bytes (or text) in, one MetricFrame out. Decodes, detects the format from the first
// 64 KiB, then feeds a streaming parser, so memory stays near the size of the typed arrays built.
import type { MetricFrame } from '../frame/types.ts';
import { assembleFrame, RejectLog, type SeriesPart } from './builder.ts';
import { CsvParser } from './csv.ts';
import type { RecordParser } from './record-parser.ts';
import { CsvTokenizer } from './csv-tokenizer.ts';
import { ByteDecoder } from './decode.ts';
import { detectFormat } from './detect.ts';
import { IngestError } from './errors.ts';
import { ExpositionParser } from './exposition.ts';
import { InfluxParser } from './influx.ts';
import { LineSplitter } from './lines.ts';
import { parsePromJson } from './prom-json.ts';
import { zoneResolver } from './time.ts';

export interface ImportOptions {
  /** Where the data came from (file name, URL); copied to `meta.origin`. */
  origin?: string;
  /** Zone for calendar times written without one: IANA name (`Europe/Berlin`) or offset (`+02:00`). Default UTC. */
  timeZone?: string;
  /** Timestamp (ms) given to exposition samples that have none; without it they are rejected. */
  now?: number;
  /** How many rejected rows to keep as examples (all are counted). Default 10. */
  maxExamples?: number;
  /** Size of the whole input when known (File.size), used to size columns once instead of growing them. */
  totalBytes?: number;
}

/** What Importer.finishParts() returns: the frame's parts before assembly, and how they were read. */
export interface ImportedParts {
  parts: SeriesPart[];
  format: string;
  duplicates: number;
  types?: Map<string, string>;
  /** CSV tables opened by a header row; 0 when not a plain CSV (or headerless). */
  tables: number;
  rejected: RejectLog;
  /** The text encoding chosen from the first bytes (decode.ts). */
  encoding: string;
}

/** Text held back before choosing a format. */
const DETECT_BYTES = 64 * 1024;

export class Importer {
  private readonly decoder = new ByteDecoder();
  private readonly rejected: RejectLog;
  private head = '';
  private sink: ((text: string) => void) | null = null;
  private close:
    | (() => { parts: SeriesPart[]; format: string; duplicates: number; types?: Map<string, string>; tables?: number })
    | null = null;
  private finished = false;
  /** The format family, once detected; a `sep=` line makes it 'sep-csv' (its header is not the first line). */
  private family = '';

  constructor(private readonly opts: ImportOptions = {}) {
    this.rejected = new RejectLog(opts.maxExamples ?? 10);
    zoneResolver(opts.timeZone); // fail early on a bad zone
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void {
    this.pushText(this.decoder.push(chunk));
  }

  /** Feeds already-decoded text (do not mix with `push`). */
  pushText(text: string): void {
    if (this.finished) throw new Error('Importer: push after finish');
    if (text.length === 0) return;
    if (this.sink) {
      this.sink(text);
      return;
    }
    this.head += text;
    if (this.head.length >= DETECT_BYTES) this.start();
  }

  /** Ends the input and builds the frame; throws IngestError when nothing usable was found. */
  finish(): MetricFrame {
    const r = this.finishParts();
    return assembleFrame(
      r.parts,
      { origin: this.opts.origin ?? '', format: r.format, rejected: this.rejected, duplicates: r.duplicates },
      r.types,
    );
  }

  /**
   * Ends the input and returns what finish() assembles, for a host that reads ranges of one file apart and
   * joins them (src/node/import-ranges.ts): `tables` counts CSV tables, 0 for other families.
   */
  finishParts(): ImportedParts {
    if (this.finished) throw new Error('Importer: finish called twice');
    const tail = this.decoder.end();
    if (tail) this.pushText(tail);
    this.finished = true;
    if (!this.sink) {
      if (this.head.trim() === '') throw new IngestError('the file is empty');
      this.start();
    }
    const r = this.close!();
    const tables = this.family === 'csv' ? (r.tables ?? 0) : 0;
    return { ...r, tables, rejected: this.rejected, encoding: this.decoder.encoding };
  }

  private start(): void {
    const head = this.head;
    this.head = '';
    const d = detectFormat(head);
    this.family = d.sepLine ? 'sep-csv' : d.family;
    const zone = zoneResolver(this.opts.timeZone);
    if (d.family === 'prom-json') {
      const chunks: string[] = [];
      let length = 0;
      this.sink = (t) => {
        length += t.length;
        // Beyond this a JavaScript string cannot hold the document.
        if (length > 256 << 20)
          throw new IngestError('a JSON document over 256 MB cannot be read whole: query a shorter range');
        chunks.push(t);
      };
      this.close = () => ({
        parts: parsePromJson(chunks.join(''), this.rejected),
        format: 'prom-json',
        duplicates: 0,
      });
    } else if (d.family === 'exposition') {
      const parser = new ExpositionParser(this.rejected, this.opts.now);
      const lines = new LineSplitter((text, line) => parser.line(text, line));
      this.sink = (t) => lines.push(t);
      this.close = () => {
        lines.end();
        return { ...parser.finish(), duplicates: 0, types: parser.types };
      };
    } else {
      // Rows expected from the file size and the line length seen so far.
      let rowsHint = 0;
      const total = this.opts.totalBytes;
      if (total && head.length > 0) {
        let lines = 0;
        for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines++;
        if (lines > 1) rowsHint = Math.ceil((total / head.length) * lines);
      }
      const parser: RecordParser =
        d.family === 'influx-csv'
          ? new InfluxParser(zone, this.rejected)
          : new CsvParser(d.delimiter, zone, this.rejected, rowsHint);
      let skipSep = d.sepLine;
      const tokenizer = new CsvTokenizer(
        d.delimiter,
        (fields, line) => {
          if (skipSep) skipSep = false;
          else parser.record(fields, line);
        },
        (line, reason) => this.rejected.add(line, reason),
      );
      this.sink = (t) => tokenizer.push(t);
      this.close = () => {
        tokenizer.end();
        return parser.finish();
      };
    }
    this.sink(head);
  }
}
