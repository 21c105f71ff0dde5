// InfluxDB annotated CSV (Flux query results): `#group`, `#datatype`, `#default` rows, then a header
// with `result,table,_start,_stop,_time,_value,_field,_measurement,<tags…>`; several tables may follow,
// each after a blank line with its own annotations and header.
// Series name: `_measurement` when the field is a plain value (`value`, Telegraf's `gauge`/`counter`),
// the field when the measurement is Telegraf's `prometheus`, else `<measurement>_<field>`. Tags are labels.
import type { RejectLog, SeriesPart } from './builder.ts';
import { SeriesBuilder } from './builder.ts';
import type { RecordParser } from './record-parser.ts';
import { setLabel, SourceNames } from './selector.ts';
import { parseTime, type ZoneResolver } from './time.ts';
import { INVALID, invalidValueReason, MISSING, parseValue } from './values.ts';
import { shown } from '../text/quote.ts';

const SYSTEM_COLUMNS = new Set(['', 'result', 'table', '_start', '_stop', '_time', '_value', '_field', '_measurement']);
const PLAIN_FIELDS = new Set(['value', 'gauge', 'counter', 'untyped']);

export function influxSeriesName(measurement: string, field: string): string {
  if (!field) return measurement || '_value';
  if (!measurement) return field;
  if (PLAIN_FIELDS.has(field)) return measurement;
  if (measurement === 'prometheus') return field;
  return `${measurement}_${field}`;
}

interface InfluxTable {
  header: string[];
  line: number;
  time: number;
  value: number;
  field: number;
  measurement: number;
  tags: number[];
  datatype: string;
  defaults: string[];
}

export class InfluxParser implements RecordParser {
  private annotations = new Map<string, string[]>();
  private table: InfluxTable | null = null;
  private readonly builders = new Map<string, SeriesBuilder>();
  /** `cpu`+`usage_idle` and `cpu_usage`+`idle` both spell cpu_usage_idle: each pair keeps its own series. */
  private readonly names = new SourceNames();

  constructor(
    private readonly zone: ZoneResolver,
    private readonly rejected: RejectLog,
  ) {}

  record(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0].trim() === '') {
      this.table = null; // the next table brings its own annotations and header
      return;
    }
    const first = fields[0];
    if (first.startsWith('#')) {
      if (this.table) {
        this.table = null;
        this.annotations = new Map();
      }
      this.annotations.set(first.trim().toLowerCase(), fields);
      return;
    }
    if (!this.table) {
      this.openTable(fields, line);
      return;
    }
    this.row(this.table, fields, line);
  }

  private openTable(header: string[], line: number): void {
    const names = header.map((h) => h.trim());
    const col = (n: string) => names.indexOf(n);
    const tags: number[] = [];
    names.forEach((n, j) => {
      if (!SYSTEM_COLUMNS.has(n) && !n.startsWith('_')) tags.push(j);
    });
    const datatypes = this.annotations.get('#datatype');
    const value = col('_value');
    this.table = {
      header: names,
      line,
      time: col('_time'),
      value,
      field: col('_field'),
      measurement: col('_measurement'),
      tags,
      datatype: value >= 0 && datatypes ? (datatypes[value] ?? '').trim() : '',
      defaults: this.annotations.get('#default') ?? [],
    };
    this.annotations = new Map();
    if (this.table.time < 0 || this.table.value < 0) {
      if (names.includes('error')) return; // an error table: its rows are reported one by one below
      this.rejected.add(line, 'an InfluxDB table without _time and _value columns (pivoted results are not read)');
    }
  }

  private row(t: InfluxTable, fields: string[], line: number): void {
    if (fields.length !== t.header.length) {
      this.rejected.add(
        line,
        `expected ${t.header.length} fields as in the header on line ${t.line}, found ${fields.length}`,
      );
      return;
    }
    const cell = (j: number) => (fields[j] === '' && t.defaults[j] ? t.defaults[j] : fields[j]);
    if (t.time < 0 || t.value < 0) {
      const e = t.header.indexOf('error');
      this.rejected.add(
        line,
        e >= 0 ? `InfluxDB error: ${shown(fields[e], 200)}` : 'row of a table without _time and _value',
      );
      return;
    }
    const time = parseTime(cell(t.time), this.zone);
    if (!Number.isFinite(time)) {
      this.rejected.add(line, `timestamp '${shown(cell(t.time))}' in _time is not an RFC 3339 time`);
      return;
    }
    const raw = cell(t.value);
    let v: number | null | undefined;
    if (t.datatype === 'boolean') {
      v = raw === 'true' ? 1 : raw === 'false' ? 0 : raw === '' ? MISSING : INVALID;
    } else if (t.datatype === 'string') {
      this.rejected.add(line, `_value is a string field ('${shown(raw, 30)}'); only numeric fields are metrics`);
      return;
    } else {
      v = parseValue(raw);
    }
    if (v === INVALID) {
      this.rejected.add(line, invalidValueReason(raw, '_value'));
      return;
    }
    if (v === MISSING) return;
    const measurement = t.measurement >= 0 ? cell(t.measurement) : '';
    const field = t.field >= 0 ? cell(t.field) : '';
    let key = measurement + '\u0001' + field;
    for (const j of t.tags) key += '\u0001' + t.header[j] + '\u0002' + cell(j);
    let b = this.builders.get(key);
    if (!b) {
      const labels: Record<string, string> = {};
      for (const j of t.tags) if (cell(j) !== '') setLabel(labels, t.header[j], cell(j));
      const name = this.names.name(measurement + '\u0001' + field, influxSeriesName(measurement, field));
      b = new SeriesBuilder(name, labels);
      this.builders.set(key, b);
    }
    b.push(time, v);
  }

  finish(): { parts: SeriesPart[]; format: string; duplicates: number } {
    return { parts: [...this.builders.values()].map((b) => b.toPart()), format: 'influx-csv', duplicates: 0 };
  }
}
