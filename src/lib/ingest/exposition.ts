// Prometheus text exposition, OpenMetrics and `promtool tsdb dump` output: one sample per line,
// `name{labels} value [timestamp]`. Exposition timestamps are milliseconds, OpenMetrics ones seconds
// (a file is OpenMetrics when it has `# EOF` or `# UNIT`), dump lines start with `{__name__=…}` and use ms.
import type { RejectLog, SeriesPart } from './builder.ts';
import { SeriesBuilder } from './builder.ts';
import { readSelector } from './selector.ts';
import { inDateRange } from './time.ts';
import { INVALID, invalidValueReason, MISSING, parseValue } from './values.ts';
import { shown } from '../text/quote.ts';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class ExpositionParser {
  private readonly builders = new Map<string, SeriesBuilder>();
  readonly types = new Map<string, string>();
  private openMetrics = false;
  private dump = false;
  private sawSample = false;
  private firstTooLargeForSeconds = 0;

  constructor(
    private readonly rejected: RejectLog,
    /** Timestamp (ms) for samples written without one; without it such samples are refused. */
    private readonly now?: number,
  ) {}

  line(text: string, line: number): void {
    if (text.length === 0) return;
    if (text.charCodeAt(0) === 35 /* # */) {
      this.comment(text);
      return;
    }
    if (text.trim() === '') return;
    const end = selectorEnd(text);
    if (end < 0) {
      this.rejected.add(line, 'expected a sample: \'name{label="value"} value timestamp\'');
      return;
    }
    if (!this.sawSample) {
      this.sawSample = true;
      this.dump = text.charCodeAt(0) === 123; /* { */
    }
    // Value, optional timestamp, then an optional OpenMetrics exemplar after ` # `.
    let rest = text.slice(end);
    const hash = rest.indexOf(' # ');
    if (hash >= 0) rest = rest.slice(0, hash);
    const tokens = rest.trim().split(/[ \t]+/);
    if (tokens.length > 2 || tokens[0] === '') {
      this.rejected.add(line, "expected 'value' or 'value timestamp' after the series name");
      return;
    }
    const v = parseValue(tokens[0]);
    if (v === INVALID || v === MISSING) {
      this.rejected.add(line, invalidValueReason(tokens[0]));
      return;
    }
    let t: number;
    if (tokens.length === 2) {
      if (!NUMBER.test(tokens[1])) {
        this.rejected.add(line, `timestamp '${shown(tokens[1])}' is not a number`);
        return;
      }
      t = Number(tokens[1]);
      if (!inDateRange(t)) {
        this.rejected.add(line, `timestamp '${shown(tokens[1])}' is out of range`);
        return;
      }
      // Fine as milliseconds, but not as OpenMetrics seconds: remembered in case this turns out to be OpenMetrics.
      if (!inDateRange(t * 1000) && this.firstTooLargeForSeconds === 0) this.firstTooLargeForSeconds = line;
    } else if (this.now !== undefined) {
      t = NaN; // filled in at the end, once the unit is known
    } else {
      this.rejected.add(
        line,
        'sample has no timestamp (a single scrape holds no history: save data with timestamps, e.g. promtool tsdb dump or a query_range JSON)',
      );
      return;
    }
    const key = text.slice(0, end);
    let b = this.builders.get(key);
    if (!b) {
      const sel = readSelector(key);
      if (!sel || sel.end !== key.length || sel.id.name === '') {
        this.rejected.add(line, `cannot read the series name and labels in '${shown(key, 60)}'`);
        return;
      }
      b = new SeriesBuilder(sel.id.name, sel.id.labels);
      this.builders.set(key, b);
    }
    b.push(t, v);
  }

  private comment(text: string): void {
    const m = /^#\s+(TYPE|UNIT|EOF|HELP)\b\s*(\S*)\s*(\S*)/.exec(text);
    if (!m) return;
    if (m[1] === 'EOF' || m[1] === 'UNIT') this.openMetrics = true;
    if (m[1] === 'TYPE' && m[2]) this.types.set(m[2], m[3].toLowerCase());
  }

  finish(): { parts: SeriesPart[]; format: string } {
    const scale = this.openMetrics ? 1000 : 1;
    const parts: SeriesPart[] = [];
    let outOfRange = 0;
    for (const b of this.builders.values()) {
      let ts = b.timestamps.toArray();
      let vs = b.values.toArray();
      for (let i = 0; i < ts.length; i++) ts[i] = Number.isNaN(ts[i]) ? this.now! : Math.round(ts[i] * scale);
      if (this.openMetrics && this.firstTooLargeForSeconds > 0) {
        const keep = ts.map((t) => (inDateRange(t) ? 1 : 0));
        const kept = keep.reduce((a, k) => a + k, 0);
        outOfRange += ts.length - kept;
        ts = ts.filter((_, i) => keep[i] === 1);
        vs = vs.filter((_, i) => keep[i] === 1);
      }
      parts.push({ name: b.name, labels: b.labels, timestamps: ts, values: vs });
    }
    if (outOfRange > 0) {
      this.rejected.add(
        this.firstTooLargeForSeconds,
        `${outOfRange} timestamp(s) out of range as OpenMetrics seconds (this one and later ones); milliseconds belong in the text exposition format, without '# EOF'`,
      );
      this.rejected.count += outOfRange - 1;
    }
    const format = this.dump ? 'promtool-dump' : this.openMetrics ? 'openmetrics' : 'prom-text';
    return { parts, format };
  }
}

/** Index just after the series part of a sample line (`name`, `name{…}` or `{…}`), or -1. */
function selectorEnd(text: string): number {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 32 || c === 9) break;
    i++;
  }
  if (i < n && text.charCodeAt(i) === 123) {
    let inQuote = false;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inQuote) {
        if (c === 92 /* \ */) i++;
        else if (c === 34) inQuote = false;
      } else if (c === 34) inQuote = true;
      else if (c === 125 /* } */) return i + 1;
    }
    return -1;
  }
  return i > 0 ? i : -1;
}
