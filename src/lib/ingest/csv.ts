// Plain CSV tables, wide (a time column plus one column per series: NAB, Grafana's "Download CSV") or long
// (time, metric, value and optional label columns). Several tables may follow each other, separated by
// blank lines and each with its own header (Grafana writes one per frame).
import type { RejectLog, SeriesPart } from './builder.ts';
import { Float64Builder, SeriesBuilder } from './builder.ts';
import { distinctIds, distinctNames, parseSelector, setLabel, SourceNames, type SeriesId } from './selector.ts';
import { influxSeriesName } from './influx.ts';
import type { RecordParser } from './record-parser.ts';
import { parseTime, type ZoneResolver } from './time.ts';
import { INVALID, invalidValueReason, MISSING, parseValue } from './values.ts';
import { shown } from '../text/quote.ts';

const TIME_NAME = /^(time|timestamp|_time|date|datetime|date_time|ds|ts|time_stamp|@timestamp|epoch)$/i;
const METRIC_NAME = /^(metric|__name__|name|series|metric_name|series_name)$/i;
const VALUE_NAME = /^(value|_value|val|sample|values)$/i;

interface Table {
  readonly timeCol: number;
  row(fields: string[], line: number): void;
  parts(): { parts: SeriesPart[]; duplicates: number };
}

const isBlank = (fields: string[]) => fields.length === 1 && fields[0].trim() === '';

export class CsvParser implements RecordParser {
  private table: Table | null = null;
  private pendingHeader: { fields: string[]; line: number } | null = null;
  private readonly done: SeriesPart[] = [];
  private duplicates = 0;
  private format = '';
  /** Tables opened by a header row (a headerless table is not counted). */
  private tables = 0;
  private readonly decimalComma: boolean;

  constructor(
    delimiter: string,
    private readonly zone: ZoneResolver,
    private readonly rejected: RejectLog,
    /** Expected number of rows (from the file size), to size the first table's columns once. */
    private rowsHint = 0,
  ) {
    this.decimalComma = delimiter !== ',';
  }

  record(fields: string[], line: number): void {
    if (isBlank(fields)) return;
    if (this.pendingHeader) {
      this.tables++;
      this.open(this.pendingHeader.fields, this.pendingHeader.line, fields);
      this.pendingHeader = null;
      this.table!.row(fields, line);
      return;
    }
    if (this.table === null) {
      if (this.isHeaderless(fields)) {
        const names = fields.map((_, j) => (fields.length === 2 ? 'value' : `value${j}`));
        names[0] = 'time';
        this.open(names, line, fields);
        this.table!.row(fields, line);
      } else {
        this.pendingHeader = { fields, line };
      }
      return;
    }
    if (this.isNewHeader(fields)) {
      this.close();
      this.pendingHeader = { fields, line };
      return;
    }
    this.table.row(fields, line);
  }

  finish(): { parts: SeriesPart[]; format: string; duplicates: number; tables: number } {
    if (this.pendingHeader) {
      this.rejected.add(this.pendingHeader.line, 'a header row with no data rows after it');
      this.pendingHeader = null;
    }
    this.close();
    return { parts: this.done, format: this.format || 'wide-csv', duplicates: this.duplicates, tables: this.tables };
  }

  private close(): void {
    if (!this.table) return;
    const { parts, duplicates } = this.table.parts();
    this.done.push(...parts);
    this.duplicates += duplicates;
    this.table = null;
  }

  private isHeaderless(fields: string[]): boolean {
    if (fields.length < 2 || !Number.isFinite(parseTime(fields[0], this.zone))) return false;
    return fields.every((f, j) => j === 0 || parseValue(f, this.decimalComma) !== INVALID);
  }

  /** A row whose time cell is no time but which names a time column starts the next table. */
  private isNewHeader(fields: string[]): boolean {
    const t = this.table!.timeCol;
    const c = (fields[t] ?? '').charCodeAt(0);
    if (c >= 48 && c <= 57) return false; // starts with a digit: a time, not a column name
    return !Number.isFinite(parseTime(fields[t] ?? '', this.zone)) && fields.some((f) => TIME_NAME.test(f.trim()));
  }

  private open(header: string[], headerLine: number, firstRow: string[]): void {
    const names = header.map((h) => h.trim());
    let timeCol = names.findIndex((h) => TIME_NAME.test(h));
    if (timeCol < 0) timeCol = 0;
    const metricCol = names.findIndex((h, j) => j !== timeCol && METRIC_NAME.test(h));
    const valueCol = names.findIndex((h, j) => j !== timeCol && j !== metricCol && VALUE_NAME.test(h));
    let long = metricCol >= 0 && valueCol >= 0;
    if (!long && valueCol >= 0 && names.length >= 3) {
      // `time,host,value`: the other columns hold text, so they are labels of one metric.
      long = names.some(
        (_, j) =>
          j !== timeCol && j !== valueCol && (firstRow[j] ?? '').trim() !== '' && parseValue(firstRow[j]) === INVALID,
      );
    }
    const ctx = { zone: this.zone, rejected: this.rejected, decimalComma: this.decimalComma, headerLine };
    // Label and field columns with one name stay apart (`host`, `host #2`); wide tables do this per series.
    const distinct = distinctNames(names);
    if (names[0] === 'name' && names[1] === 'tags' && names[2] === 'time') {
      // InfluxDB 1.x `influx -format csv`: measurement, tag list, time (ns), one column per field.
      this.table = new Influx1Table(distinct, ctx);
      if (!this.format) this.format = 'influx1-csv';
      return;
    }
    this.table = long
      ? new LongTable(distinct, timeCol, metricCol, valueCol, ctx)
      : new WideTable(names, timeCol, ctx, this.rowsHint);
    this.rowsHint = 0;
    if (!this.format) this.format = long ? 'long-csv' : 'wide-csv';
  }
}

interface TableContext {
  zone: ZoneResolver;
  rejected: RejectLog;
  decimalComma: boolean;
  headerLine: number;
}

function fieldCountReason(found: number, expected: number, headerLine: number): string {
  return `expected ${expected} fields as in the header on line ${headerLine}, found ${found}`;
}

function timeReason(raw: string): string {
  return `timestamp '${shown(raw)}' is neither an epoch number nor a date like 2024-01-31 12:00:00`;
}

/** One time column shared by every series column; empty cells are remembered per column. */
class WideTable implements Table {
  private ids: SeriesId[] = [];
  private readonly cols: number[] = [];
  private readonly times: Float64Builder;
  private readonly values: Float64Builder[];
  private readonly absent: number[][];
  private readonly scratch: Float64Array;

  constructor(
    private readonly header: string[],
    readonly timeCol: number,
    private readonly ctx: TableContext,
    rowsHint = 0,
  ) {
    header.forEach((h, j) => {
      if (j === timeCol) return;
      this.cols.push(j);
      this.ids.push(parseSelector(h) ?? { name: h, labels: {} });
    });
    // Two columns with one name are two series (`cpu`, `cpu #2`), never one overwriting the other.
    this.ids = distinctIds(this.ids);
    const capacity = Math.max(1024, Math.ceil(rowsHint * 1.03));
    this.times = new Float64Builder(capacity);
    this.values = this.cols.map(() => new Float64Builder(capacity));
    this.absent = this.cols.map(() => []);
    this.scratch = new Float64Array(this.cols.length);
  }

  row(fields: string[], line: number): void {
    const { rejected } = this.ctx;
    if (fields.length !== this.header.length) {
      rejected.add(line, fieldCountReason(fields.length, this.header.length, this.ctx.headerLine));
      return;
    }
    const t = parseTime(fields[this.timeCol], this.ctx.zone);
    if (!Number.isFinite(t)) {
      rejected.add(line, timeReason(fields[this.timeCol]));
      return;
    }
    const cols = this.cols;
    const scratch = this.scratch;
    let anyAbsent = false;
    for (let c = 0; c < cols.length; c++) {
      const v = parseValue(fields[cols[c]], this.ctx.decimalComma);
      if (v === INVALID) {
        rejected.add(line, invalidValueReason(fields[cols[c]], this.header[cols[c]]));
        return;
      }
      if (v === MISSING) {
        anyAbsent = true;
        scratch[c] = NaN;
      } else scratch[c] = v;
    }
    const row = this.times.length;
    this.times.push(t);
    for (let c = 0; c < cols.length; c++) this.values[c].push(scratch[c]);
    if (anyAbsent) {
      for (let c = 0; c < cols.length; c++) {
        const f = fields[cols[c]];
        if (parseValue(f, this.ctx.decimalComma) === MISSING) this.absent[c].push(row);
      }
    }
  }

  parts(): { parts: SeriesPart[]; duplicates: number } {
    const times = this.times.toArray();
    const n = times.length;
    // One sort and one "last row of each timestamp" map serve every complete column.
    let order: Uint32Array | null = null;
    for (let i = 1; i < n; i++) {
      if (times[i] < times[i - 1]) {
        order = new Uint32Array(n);
        for (let k = 0; k < n; k++) order[k] = k;
        order.sort((a, b) => times[a] - times[b] || a - b);
        break;
      }
    }
    const at = (k: number) => (order ? order[k] : k);
    let unique = 0;
    for (let k = 0; k < n; k++) if (k === 0 || times[at(k)] !== times[at(k - 1)]) unique++;
    // Rows already in order without repeats (the usual file) need no gathering at all.
    const inPlace = order === null && unique === n;
    const sharedT = inPlace ? times : new Float64Array(unique);
    const source = inPlace ? null : new Uint32Array(unique);
    if (source) {
      let m = -1;
      for (let k = 0; k < n; k++) {
        const i = at(k);
        if (m < 0 || sharedT[m] !== times[i]) m++;
        sharedT[m] = times[i];
        source[m] = i;
      }
    }
    const parts: SeriesPart[] = [];
    let duplicates = 0;
    for (let c = 0; c < this.cols.length; c++) {
      const col = this.values[c].toArray();
      const absent = this.absent[c];
      if (absent.length === 0) {
        let vs = col;
        if (source) {
          vs = new Float64Array(unique);
          for (let j = 0; j < unique; j++) vs[j] = col[source[j]];
        }
        parts.push({ ...this.ids[c], timestamps: sharedT, values: vs });
        duplicates += n - unique;
        continue;
      }
      // Columns with empty cells: keep the present samples, then the last of each timestamp.
      const isAbsent = new Uint8Array(n);
      for (const r of absent) isAbsent[r] = 1;
      const ts = new Float64Builder(Math.max(16, n - absent.length));
      const vs = new Float64Builder(Math.max(16, n - absent.length));
      let kept = 0;
      for (let k = 0; k < n; k++) {
        const i = at(k);
        if (isAbsent[i]) continue;
        kept++;
        if (ts.length > 0 && ts.last() === times[i]) vs.setLast(col[i]);
        else {
          ts.push(times[i]);
          vs.push(col[i]);
        }
      }
      duplicates += kept - ts.length;
      parts.push({ ...this.ids[c], timestamps: ts.toArray(), values: vs.toArray() });
    }
    return { parts, duplicates };
  }
}

/** Rows of (time, metric, value, labels…): one builder per distinct metric + label cells. */
class LongTable implements Table {
  private readonly builders = new Map<string, SeriesBuilder>();
  private readonly labelCols: number[] = [];

  constructor(
    private readonly header: string[],
    readonly timeCol: number,
    private readonly metricCol: number,
    private readonly valueCol: number,
    private readonly ctx: TableContext,
  ) {
    header.forEach((_, j) => {
      if (j !== timeCol && j !== metricCol && j !== valueCol) this.labelCols.push(j);
    });
  }

  row(fields: string[], line: number): void {
    const { rejected } = this.ctx;
    if (fields.length !== this.header.length) {
      rejected.add(line, fieldCountReason(fields.length, this.header.length, this.ctx.headerLine));
      return;
    }
    const t = parseTime(fields[this.timeCol], this.ctx.zone);
    if (!Number.isFinite(t)) {
      rejected.add(line, timeReason(fields[this.timeCol]));
      return;
    }
    const raw = fields[this.valueCol];
    const v = parseValue(raw, this.ctx.decimalComma);
    if (v === INVALID) {
      rejected.add(line, invalidValueReason(raw, this.header[this.valueCol]));
      return;
    }
    if (v === MISSING) return;
    const metric = this.metricCol >= 0 ? fields[this.metricCol] : '';
    let key = metric;
    for (const j of this.labelCols) key += '\u0001' + fields[j];
    let b = this.builders.get(key);
    if (!b) {
      let id: SeriesId;
      if (this.metricCol >= 0) {
        const parsed = parseSelector(metric);
        if (!parsed && metric.trim() === '') {
          rejected.add(line, `empty metric name in column '${shown(this.header[this.metricCol])}'`);
          return;
        }
        id = parsed ?? { name: metric.trim(), labels: {} };
      } else {
        id = { name: this.header[this.valueCol], labels: {} };
      }
      const labels = { ...id.labels };
      for (const j of this.labelCols) if (fields[j].trim() !== '') setLabel(labels, this.header[j], fields[j].trim());
      b = new SeriesBuilder(id.name, labels);
      this.builders.set(key, b);
    }
    b.push(t, v);
  }

  parts(): { parts: SeriesPart[]; duplicates: number } {
    return { parts: [...this.builders.values()].map((b) => b.toPart()), duplicates: 0 };
  }
}

/** InfluxDB 1.x CLI CSV: `name,tags,time,<field>…`; tags are `k=v,k=v`; series `<measurement>_<field>`. */
class Influx1Table implements Table {
  readonly timeCol = 2;
  private readonly builders = new Map<string, SeriesBuilder>();
  private readonly names = new SourceNames();

  constructor(
    private readonly header: string[],
    private readonly ctx: TableContext,
  ) {}

  row(fields: string[], line: number): void {
    const { rejected } = this.ctx;
    if (fields.length !== this.header.length) {
      rejected.add(line, fieldCountReason(fields.length, this.header.length, this.ctx.headerLine));
      return;
    }
    const t = parseTime(fields[2], this.ctx.zone);
    if (!Number.isFinite(t)) {
      rejected.add(line, timeReason(fields[2]));
      return;
    }
    const values: (number | undefined)[] = [];
    for (let j = 3; j < fields.length; j++) {
      const v = parseValue(fields[j], this.ctx.decimalComma);
      if (v === INVALID) {
        rejected.add(line, invalidValueReason(fields[j], this.header[j]));
        return;
      }
      values.push(v);
    }
    for (let j = 3; j < fields.length; j++) {
      const v = values[j - 3];
      if (v === MISSING) continue;
      const key = fields[0] + '\u0001' + fields[1] + '\u0001' + j;
      let b = this.builders.get(key);
      if (!b) {
        const labels: Record<string, string> = {};
        for (const pair of fields[1].split(',')) {
          const eq = pair.indexOf('=');
          if (eq > 0) setLabel(labels, pair.slice(0, eq), pair.slice(eq + 1));
        }
        const wanted = influxSeriesName(fields[0], this.header[j]);
        b = new SeriesBuilder(this.names.name(fields[0] + '\u0001' + this.header[j], wanted), labels);
        this.builders.set(key, b);
      }
      b.push(t, v);
    }
  }

  parts(): { parts: SeriesPart[]; duplicates: number } {
    return { parts: [...this.builders.values()].map((b) => b.toPart()), duplicates: 0 };
  }
}
