// Cells of the tables AURA writes (Markdown reports, CSV exports) that carry text from the input: series
// names, label values, file names. Such text is data, never markup or a formula:
// - Markdown: HTML is written as entities, link/image/code syntax is escaped, `|` cannot end the cell;
// - CSV and Markdown: a cell a spreadsheet would run as a formula (leading = + - @, tab or CR) starts with
//   `'` instead (OWASP's advice for CSV injection);
// - control characters are escaped (a report is often read in a terminal).
import { escapeControls } from './quote.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes `'` when a spreadsheet would read the text as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const MD_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '~': '\\~',
};

/**
 * Input text inside a line of Markdown prose: shows as the same characters in any CommonMark/GFM
 * renderer, and cannot open HTML, a link, an image, code, emphasis or a new table cell. Line breaks
 * become spaces. `_` inside a word (`node_cpu_seconds_total`) stays as it is: it cannot emphasise there.
 */
export function markdownInline(text: string): string {
  return escapeControls(text.replace(/\r\n|[\r\n]/g, ' '))
    .replace(/[&<>\\`*[\]|~]/g, (c) => MD_ESCAPES[c])
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

/** Input text as a Markdown table cell: markdownInline, and formula-safe for a paste into a spreadsheet. */
export function markdownCell(text: string): string {
  return markdownInline(neutraliseFormula(text));
}

/** A CSV field: formula-safe, quoted when it holds the delimiter, a quote or a line break (RFC 4180). */
export function csvText(text: string, delimiter = ','): string {
  const safe = neutraliseFormula(text);
  return safe.includes(delimiter) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
