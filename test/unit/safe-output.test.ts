// Output that quotes input stays inert: Markdown reports escape HTML and link syntax, table cells and CSV
// columns never start a spreadsheet formula, and ingest messages escape control bytes (issue 11, items 6–8).
import { describe, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { importText, IngestError } from '../../src/lib/ingest/index.ts';
import { buildReport } from '../../src/lib/report/build.ts';
import { timelineCsv } from '../../src/lib/report/csv.ts';
import { reportMarkdown } from '../../src/lib/report/markdown.ts';
import type { Report } from '../../src/lib/report/types.ts';
import { csvText, markdownCell, markdownInline } from '../../src/lib/text/cells.ts';
import { escapeControls, hasControls, shown } from '../../src/lib/text/quote.ts';
import type { WhatIfResult } from '../../src/lib/whatif/compare.ts';
import { whatIfMarkdown } from '../../src/lib/whatif/markdown.ts';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const LINK = '[click](javascript:alert(1))';

function report(series: string[], entity = 'host-1', origin = 'm.csv'): Report {
  const t = Date.UTC(2024, 0, 1);
  return {
    input: { origin, format: 'wide-csv', series: 4, samples: 400, start: t, end: t + 6e6, stepMs: 15_000 },
    settings: { window: 60, stride: 10, cloud: 'state', maxDim: 1, normalise: 'noise', threshold: 4 },
    timeline: [{ t: t + 9e5, score: 9, anomalous: true, betti: { 0: 1 }, distance: { w2: 1.5 } }],
    anomalies: [{ start: t + 9e5, end: t + 1.2e6, peak: 9, series }],
    predictions: [
      {
        entity,
        scenario: 'none',
        risk: { '1h': 0.1 },
        ttfMinutes: null,
        ttfInterval: null,
        confidence: 0.5,
        recommendations: [],
        alertRule: '',
      },
    ],
  };
}

/** The anomaly table's row (the line that starts with a date). */
const anomalyRow = (md: string) => md.split('\n').find((l) => /^\| \d{4}-/.test(l))!;

describe('Markdown report', () => {
  it('prints HTML from series names as text, not markup (regression: raw <img> and <script>)', () => {
    const md = reportMarkdown(report([IMG, SCRIPT, LINK], SCRIPT, IMG));
    expect(md).not.toMatch(/<img|<script|<\/script/i);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // No link syntax survives: a renderer would otherwise make a javascript: link.
    expect(md).not.toContain('[click](');
    expect(md).toContain('\\[click\\](javascript:alert(1))');
    expect(md.split('\n')[0]).toBe('# AURA analysis: &lt;img src=x onerror=alert(1)&gt;');
  });

  it('neutralises formulas in label cells (regression: =HYPERLINK(…) printed raw)', () => {
    const md = reportMarkdown(report([FORMULA, '+1', '-2', '@SUM(A1)'], '=1+1'));
    const row = anomalyRow(md);
    const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
    const names = cells[5].split(', ');
    expect(names).toEqual([`'=HYPERLINK("http://evil.example","click")`, "'+1", "'-2", "'@SUM(A1)"]);
    expect(md).toContain("| '=1+1 |");
  });

  it('keeps a `|` or a line break inside its cell', () => {
    const row = anomalyRow(reportMarkdown(report(['a|b', 'line\nbreak'])));
    expect(row.split(/(?<!\\)\|/).length).toBe(7); // 5 cells between 6 bars (from, detected, to, peak, series)
    expect(row).toContain('a\\|b, line break');
  });

  it('leaves ordinary metric names readable', () => {
    const md = reportMarkdown(report(['node_cpu_seconds_total{mode="idle"}', 'cpu']));
    expect(anomalyRow(md)).toContain('| node_cpu_seconds_total{mode="idle"}, cpu |');
  });

  it('lists rejected rows with their line numbers and reasons, escaped', () => {
    const frame = importText(
      'time,cpu\n2024-01-01T00:00:00Z,1\nnot-a-time,2\n2024-01-01T00:00:15Z,<b>3</b>\n2024-01-01T00:00:30Z,4\n',
      { origin: 'partly.csv' },
    );
    expect(frame.meta.rejected.count).toBe(2);
    const r = withRejected(frame);
    expect(r.input.rejected).toEqual({ count: 2, first: frame.meta.rejected.examples });
    const md = reportMarkdown(r);
    expect(md).toContain('- rejected: 2 rows not read\n');
    expect(md).toMatch(/ {2}- line 3: timestamp 'not-a-time' is neither/);
    expect(md).toMatch(/ {2}- line 4: value '&lt;b&gt;3&lt;\/b&gt;' in column 'cpu' is not a number/);
    // A clean file's report has no such field (and no such line).
    const clean = withRejected(importText('time,cpu\n1,1\n2,2\n'));
    expect(clean.input.rejected).toBeUndefined();
    expect(reportMarkdown(clean)).not.toContain('rejected');
  });
});

/** A real report of a real frame (the timeline left empty: only the input part matters here). */
function withRejected(frame: MetricFrame): Report {
  const s = frame.series[0];
  return buildReport({
    frame,
    aligned: { timestamps: s.timestamps, stepMs: 15_000, columns: [s.values], series: [s] },
    timeline: {
      settings: { window: 60, stride: 10, cloud: 'state', maxDim: 1, normalise: 'noise' },
      points: [],
      anomalies: [],
      baseline: null,
      embedding: null,
      skipped: [],
      landmarked: 0,
      pending: null,
      notes: [],
    },
    predictions: [],
  });
}

describe('what-if Markdown', () => {
  it('escapes the host and file names and neutralises table cells', () => {
    const t = Date.UTC(2024, 0, 1);
    const side = {
      spans: [],
      entitySpans: [],
      firstFlag: null,
      peakScore: NaN,
      firstAlarm: null,
      peakRisk: {},
      trace: [],
    };
    const result = {
      label: { scenario: 'memory_leak', kind: 'failure', instance: IMG, onset: t, failure: t + 3.6e6 },
      interval: [t, t + 4e6],
      failureInData: true,
      before: side,
      after: side,
      summary: [`The anomaly detector did not flag the injected memory_leak on ${IMG}.`],
    } as unknown as WhatIfResult;
    const md = whatIfMarkdown(result, report([], IMG, SCRIPT), report([], IMG, SCRIPT));
    expect(md).not.toMatch(/<img|<script/i);
    expect(md).toContain('# What if: memory_leak on &lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('Injected into &lt;script&gt;alert(1)&lt;/script&gt;:');
  });
});

describe('CSV', () => {
  it('writes column names as text: formula-safe and quoted (timeline CSV)', () => {
    const r = report(['x']);
    r.timeline[0].distance = { [FORMULA]: 2, 'a,b': 3 };
    const header = timelineCsv(r).split('\n')[0];
    expect(header).toBe(`time,time_ms,score,anomalous,betti_0,"'=HYPERLINK(""http://evil.example"",""click"")","a,b"`);
  });

  it('csvText: formulas, tab and CR neutralised; numbers and names untouched', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('\tcmd')).toBe("'\tcmd");
    expect(csvText('\r=1')).toBe(`"'\r=1"`);
    expect(csvText('cpu{host="a"}')).toBe('"cpu{host=""a""}"');
    expect(csvText('node_load1')).toBe('node_load1');
  });
});

describe('messages that quote input', () => {
  it('escape control bytes (regression: a raw 0x1C reached the terminal)', () => {
    let message = '';
    try {
      importText('time,value\n2024-01-01T00:00:00Z,1\u001c\n\u001b[2Jx,2\n');
    } catch (e) {
      expect(e).toBeInstanceOf(IngestError);
      message = (e as Error).message;
    }
    expect(message).toContain("value '1\\x1c' in column 'value' is not a number");
    expect(hasControls(message)).toBe(false);
    const frame = importText('time,v\u0007\n2024-01-01T00:00:00Z,1\n\u001b]0;pwned\u0007,2\n');
    expect(frame.meta.rejected.examples[0].reason).toBe(
      "timestamp '\\x1b]0;pwned\\x07' is neither an epoch number nor a date like 2024-01-31 12:00:00",
    );
    expect(frame.series[0].name).toBe('v\u0007'); // the data keeps what the file says; only messages escape
  });

  it('escapeControls and shown: C0, C1, DEL, bidi overrides; cut at the limit, never inside a pair', () => {
    expect(escapeControls('a\tb\nc\rd\u0000\u007f\u0085\u202e\u2066')).toBe(
      'a\\tb\\nc\\rd\\x00\\x7f\\x85\\u202e\\u2066',
    );
    expect(escapeControls('plain ünïcödé 📈')).toBe('plain ünïcödé 📈');
    expect(shown('x'.repeat(50))).toBe('x'.repeat(40) + '…');
    expect(shown('x'.repeat(39) + '📈' + 'y')).toBe('x'.repeat(39) + '…');
  });

  it('markdown helpers keep words readable and escape only what could act', () => {
    expect(markdownInline('node_cpu_seconds_total')).toBe('node_cpu_seconds_total');
    expect(markdownInline('_x_ *y* ~~z~~ `c`')).toBe('\\_x\\_ \\*y\\* \\~\\~z\\~\\~ \\`c\\`');
    expect(markdownCell('-1')).toBe("'-1");
    expect(markdownInline('-1')).toBe('-1');
  });
});
